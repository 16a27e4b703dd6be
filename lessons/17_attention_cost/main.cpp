// Lesson 17 — what attention costs: the time and memory of one forward + backward pass of
// self-attention, an LSTM layer and windowed self-attention, for sequence lengths n = 32 … 4096.
//
// Read this file top to bottom beside lessons/17_attention_cost/README.md.
//
// All three read a sequence x [1, n, d] (d = 64) and produce [1, n, d]:
//   self-attention   softmax(x·xᵀ/√d)·x   (nn/scaled_dot_product.cpp)  n×n scores: n²·d work, n² memory
//   LSTM layer       h_t = LSTM(x_t, h_{t-1})   (nn/lstm.cpp)          n steps of d×4d products: n·d² work
//   windowed         softmax over |i − j| ≤ w only (nn/windowed_attention.cpp)   n·(2w+1)·d work
// For each n the lesson measures
//   time    the fastest of a few forward + backward passes, in CPU seconds of this process (the
//           work done, summed over its threads): other programs sharing the cores stretch the wall
//           clock of a pass, but hardly its CPU time,
//   memory  the most bytes the tensors held at once during one pass (tensor_bytes_peak(),
//           tensor.hpp: exact and the same on every run, unlike the time),
// then fits a straight line to log(cost) against log(n) over the longer lengths: its slope k says
// cost ∝ n^k. Attention is quadratic (k ≈ 2), the LSTM and the windowed attention linear (k ≈ 1);
// where the lines cross, attention becomes the slower one.
// Part 2 decodes one token at a time with a Transformer decoder, with and without a KV cache.
#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

constexpr int kDim = 64;     // d: the model width of every layer here
constexpr int kWindow = 16;  // w: windowed attention reads 2w + 1 = 33 positions

// ---- the three layers, each one forward + backward on x [1, n, d] --------------------------
// backward() from sum(output): the gradient of every input and weight is computed, as in training.
void attention_pass(const Tensor& x) {
    sum(nn::scaled_dot_product_attention(x, x, x).context).backward();
}

void lstm_pass(const nn::LSTM& lstm, const Tensor& x) {
    sum(lstm.forward(x).output).backward();
}

void windowed_pass(const Tensor& x) {
    sum(nn::windowed_attention(x, x, x, kWindow)).backward();
}

// ---- measuring ------------------------------------------------------------------------------
double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct Cost {
    double seconds;    // the fastest pass, CPU time
    double megabytes;  // peak bytes held by tensors during a pass, above what was held before
};

// Runs pass(x) on a fresh leaf x each time: the first run measures memory, then the fastest of
// at least `min_runs` runs (more while they add up to less than min_total seconds) is the time.
Cost measure(const std::function<void(const Tensor&)>& pass, const Tensor& input, int min_runs, double min_total) {
    Cost cost{1e30, 0.0};
    double total = 0.0;
    for (int run = 0; run < min_runs || (total < min_total && run < 20); ++run) {
        const Tensor x = input.detach().requires_grad_();
        const std::size_t before = tensor_bytes_in_use();
        reset_tensor_bytes_peak();
        const double start = cpu_seconds();
        pass(x);
        const double s = cpu_seconds() - start;
        if (run == 0) cost.megabytes = double(tensor_bytes_peak() - before) / 1e6;
        cost.seconds = std::min(cost.seconds, s);
        total += s;
    }
    return cost;
}

// The least-squares slope of log(y) against log(n) over the points with n ≥ from: cost ∝ n^slope.
double log_log_slope(const std::vector<int>& n, const std::vector<double>& y, int from) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] < from) continue;
        const double lx = std::log(double(n[i])), ly = std::log(y[i]);
        sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly, ++m;
    }
    return (m * sxy - sx * sy) / (m * sxx - sx * sx);
}

// The first length where a's cost overtakes b's, between two measured lengths, interpolated on
// the log-log lines through them; -1 if a never overtakes b.
double crossover(const std::vector<int>& n, const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 1; i < n.size(); ++i) {
        if (a[i] <= b[i] || a[i - 1] > b[i - 1]) continue;
        const double r0 = std::log(a[i - 1] / b[i - 1]), r1 = std::log(a[i] / b[i]);  // r0 ≤ 0 < r1
        const double f = r0 / (r0 - r1);
        return std::exp(std::log(double(n[i - 1])) + f * std::log(double(n[i]) / n[i - 1]));
    }
    return -1;
}

std::vector<float> floats(const std::vector<double>& v) { return {v.begin(), v.end()}; }

double max_abs_difference(const Tensor& a, const Tensor& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.numel(); ++i) worst = std::max(worst, double(std::fabs(a.data()[i] - b.data()[i])));
    return worst;
}

// ---- decoding one token at a time: with and without a KV cache -------------------------------
// A decoder writing token t must attend over positions 0..t. Without a cache it runs the whole
// decoder again on all t + 1 positions (causal mask) and keeps the last row: O(t·d²) projections
// plus O(t²·d) attention per token. With a cache (nn::TransformerDecoder::forward_step) it
// projects only the new position and reads the earlier keys and values from the cache: O(d²)
// plus O(t·d) per token.
struct DecodeCost {
    std::vector<double> ms_full, ms_cached;  // per token, CPU milliseconds
    double max_difference = 0;               // between the two ways' outputs, all steps
};

DecodeCost decode_per_token(int steps, Rng& rng) {
    // W4's decoder (WORKLOADS.md "transformer-tiny"): d 128, 4 heads, 2 layers, feed-forward 512;
    // random weights, a memory of 12 source positions, batch 1, evaluation mode.
    nn::TransformerDecoder decoder(nn::TransformerLayerOptions(128, 4).dim_feedforward(512).dropout(0.0f), 2, rng);
    decoder.eval();
    NoGrad no_grad;
    const Tensor memory = uniform({1, 12, 128}, -1.0f, 1.0f, rng), tgt = uniform({1, steps, 128}, -1.0f, 1.0f, rng);
    DecodeCost cost;
    std::vector<nn::DecoderLayerCache> cache;
    for (int t = 0; t < steps; ++t) {
        double start = cpu_seconds();
        const Tensor full = decoder.forward(narrow(tgt, 1, 0, t + 1), memory, nn::causal_mask(t + 1)).output;
        cost.ms_full.push_back((cpu_seconds() - start) * 1e3);
        start = cpu_seconds();
        const Tensor step = decoder.forward_step(narrow(tgt, 1, t, 1), memory, Tensor(), cache).output;
        cost.ms_cached.push_back((cpu_seconds() - start) * 1e3);
        cost.max_difference = std::max(cost.max_difference, max_abs_difference(step, narrow(full, 1, t, 1)));
    }
    return cost;
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("17_attention_cost",
                    "time and peak memory of forward + backward for self-attention, an LSTM layer and windowed "
                    "attention, n = 32 ... 4096: the O(n^2) of attention measured, with fitted slopes");
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const int max_n = opt.quick ? 1024 : 4096;
    const int fit_from = max_n / 4;  // fit the slopes where the leading term dominates
    // Other programs share the cores: the fastest of several runs is the one least disturbed.
    const int min_runs = opt.quick ? 3 : 5;
    const double min_total = opt.quick ? 0.05 : 0.5;

    Rng rng(opt.seed);
    const nn::LSTM lstm(kDim, kDim, 1, true, /*batch_first=*/true, 0.0f, false, rng);

    // First, is the banded kernel right? It must give the numbers of full attention with the band
    // masked out (windowed_attention_reference), forward and backward (tests/test_windowed_attention.cpp
    // checks the gradients; here the output, on the lesson's own sizes).
    double windowed_error = 0;
    {
        NoGrad no_grad;
        const Tensor x = uniform({1, 256, kDim}, -1.0f, 1.0f, rng);
        windowed_error = max_abs_difference(nn::windowed_attention(x, x, x, kWindow),
                                            nn::windowed_attention_reference(x, x, x, kWindow));
        std::printf("windowed attention (w = %d) vs full attention with the band mask, n = 256: max |difference| %.1e\n\n",
                    kWindow, windowed_error);
    }

    std::vector<int> ns;
    std::vector<double> t_att, t_lstm, t_win, m_att, m_lstm, m_win;
    std::printf("one forward + backward pass, d = %d, batch 1, %d thread(s); time = CPU time, fastest of >= %d runs\n", kDim,
                opt.threads > 0 ? opt.threads : 0, min_runs);
    std::printf("%6s | %12s %12s %12s | %12s %12s %12s\n", "n", "attention ms", "LSTM ms", "windowed ms", "attention MB",
                "LSTM MB", "windowed MB");
    for (int n = 32; n <= max_n; n *= 2) {
        const Tensor x = uniform({1, n, kDim}, -1.0f, 1.0f, rng);
        const Cost att = measure(attention_pass, x, min_runs, min_total);
        const Cost rec = measure([&](const Tensor& in) { lstm_pass(lstm, in); }, x, min_runs, min_total);
        const Cost win = measure(windowed_pass, x, min_runs, min_total);
        ns.push_back(n);
        t_att.push_back(att.seconds * 1e3), t_lstm.push_back(rec.seconds * 1e3), t_win.push_back(win.seconds * 1e3);
        m_att.push_back(att.megabytes), m_lstm.push_back(rec.megabytes), m_win.push_back(win.megabytes);
        std::printf("%6d | %12.3f %12.3f %12.3f | %12.2f %12.2f %12.2f\n", n, t_att.back(), t_lstm.back(), t_win.back(),
                    m_att.back(), m_lstm.back(), m_win.back());
        std::fflush(stdout);
    }

    const double st_att = log_log_slope(ns, t_att, fit_from), st_lstm = log_log_slope(ns, t_lstm, fit_from),
                 st_win = log_log_slope(ns, t_win, fit_from);
    const double sm_att = log_log_slope(ns, m_att, fit_from), sm_lstm = log_log_slope(ns, m_lstm, fit_from),
                 sm_win = log_log_slope(ns, m_win, fit_from);
    const double cross_time = crossover(ns, t_att, t_lstm), cross_memory = crossover(ns, m_att, m_lstm);
    std::printf("\nfitted slopes of log(cost) vs log(n), n >= %d (cost ∝ n^slope):\n", fit_from);
    std::printf("  %-22s time %.2f   memory %.2f\n", "self-attention", st_att, sm_att);
    std::printf("  %-22s time %.2f   memory %.2f\n", "LSTM layer", st_lstm, sm_lstm);
    std::printf("  %-22s time %.2f   memory %.2f\n", ("windowed, w = " + std::to_string(kWindow)).c_str(), st_win, sm_win);
    auto say_crossover = [&](const char* what, double n) {
        if (n > 0) std::printf("attention's %s overtakes the LSTM's at n ≈ %.0f\n", what, n);
        else std::printf("attention's %s stays below the LSTM's up to n = %d\n", what, max_n);
    };
    say_crossover("time", cross_time);
    say_crossover("memory", cross_memory);
    std::printf("\n");

    // The figures: log-log, so n^k is a straight line of slope k (k = 2 climbs twice as steeply).
    auto series = [&](const char* name, double slope, const std::vector<double>& y) {
        char label[64];
        std::snprintf(label, sizeof label, "%s (slope %.2f)", name, slope);
        std::vector<float> x(ns.begin(), ns.end());
        return plot::Series{label, x, floats(y)};
    };
    std::cout << plot::line_curves((fs::path(opt.plots_dir) / "17_attention_cost_time").string(),
                                   {series("self-attention", st_att, t_att), series("LSTM layer", st_lstm, t_lstm),
                                    series("windowed, w = 16", st_win, t_win)},
                                   {.title = "forward + backward, d = 64: time", .x_label = "n",
                                    .y_label = "CPU milliseconds", .log_y = true, .log_x = true, .key_above = true})
              << "\n";
    std::cout << plot::line_curves((fs::path(opt.plots_dir) / "17_attention_cost_memory").string(),
                                   {series("self-attention", sm_att, m_att), series("LSTM layer", sm_lstm, m_lstm),
                                    series("windowed, w = 16", sm_win, m_win)},
                                   {.title = "forward + backward, d = 64: peak tensor memory", .x_label = "n",
                                    .y_label = "MB", .log_y = true, .log_x = true, .key_above = true})
              << "\n";

    // Part 2: greedy decoding's per-token cost, with and without the KV cache.
    const int steps = opt.quick ? 64 : 256;
    const DecodeCost dc = decode_per_token(steps, rng);
    std::printf("decoding one token at a time, W4's decoder (d 128, 2 layers), batch 1: CPU ms per token\n");
    std::printf("%6s | %12s %12s\n", "t", "no cache", "KV cache");
    for (int t = 1; t <= steps; t *= 2)
        std::printf("%6d | %12.3f %12.3f\n", t, dc.ms_full[size_t(t - 1)], dc.ms_cached[size_t(t - 1)]);
    double total_full = 0, total_cached = 0;
    for (int t = 0; t < steps; ++t) total_full += dc.ms_full[size_t(t)], total_cached += dc.ms_cached[size_t(t)];
    std::printf("all %d tokens: %.1f ms without the cache, %.1f ms with it (%.1fx); outputs differ by at most %.1e\n\n",
                steps, total_full, total_cached, total_full / total_cached, dc.max_difference);
    std::vector<float> ts;
    for (int t = 1; t <= steps; ++t) ts.push_back(float(t));
    std::cout << plot::line_curves((fs::path(opt.plots_dir) / "17_attention_cost_kv_cache").string(),
                                   {{"no cache: decoder re-run on t positions", ts, floats(dc.ms_full)},
                                    {"KV cache: one new position", ts, floats(dc.ms_cached)}},
                                   {.title = "greedy decoding, W4's decoder: CPU time per token", .x_label = "t",
                                    .y_label = "CPU milliseconds", .key_above = true})
              << "\n";

    Report report;
    report.set("lesson", "17_attention_cost");
    report.set("decode_steps", steps);
    report.set("decode_ms_no_cache", total_full);
    report.set("decode_ms_kv_cache", total_cached);
    report.set("decode_max_difference", dc.max_difference);
    report.set("max_n", max_n);
    report.set("windowed_max_error", windowed_error);
    report.set("slope_time_attention", st_att);
    report.set("slope_time_lstm", st_lstm);
    report.set("slope_time_windowed", st_win);
    report.set("slope_memory_attention", sm_att);
    report.set("slope_memory_lstm", sm_lstm);
    report.set("slope_memory_windowed", sm_win);
    report.set("crossover_time_n", cross_time);
    report.set("crossover_memory_n", cross_memory);
    report.set("memory_attention_mb_at_max_n", m_att.back());
    report.set("memory_lstm_mb_at_max_n", m_lstm.back());
    report.write(opt.report);
    return 0;
}
