// Lesson 12 — fast matrix multiply: from the textbook triple loop to the library's kernel,
// with the GFLOP/s of every step measured on this machine.
//
// Read this file top to bottom beside lessons/12_fast_matmul/README.md, then the header comment
// of tinyattn/kernels/gemm.cpp, which is the same story told by the kernel itself.
//
// Every step computes C = A·B for square n×n float matrices (row-major). A product costs
// n³ multiply-adds = 2n³ floating-point operations ("flops"), so a step that takes t seconds
// runs at 2n³ / t flops per second. Each step is timed (median of several samples) and checked
// against tinyattn::gemm_reference, which accumulates in double.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

// ---- a. the textbook loop --------------------------------------------------------------------
// C[i,j] = Σ_k A[i,k]·B[k,j]. The inner loop walks down a column of B: consecutive k are n
// floats apart, so every B[k,j] sits on its own 64-byte cache line, and the next j needs the
// same lines again. Two loads (one of them usually a cache miss) feed one multiply-add, and
// the single running sum `acc` makes every add wait for the previous one (3-4 cycles each).
void matmul_naive(int n, const float* A, const float* B, float* C) {
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int k = 0; k < n; ++k) acc += A[i * n + k] * B[k * n + j];
            C[i * n + j] = acc;
        }
}

// ---- b. swap the two inner loops: i-k-j -------------------------------------------------------
// Same sum, different order: row i of C += A[i,k] · (row k of B), for every k. The inner loop
// now walks row k of B and row i of C with unit stride, every cache line is used whole, and
// the n updates of the inner loop are independent of each other, so the compiler turns them
// into 8-wide AVX fused multiply-adds (FMA). Still, each FMA needs a load of B and a load and
// a store of C: memory traffic, not arithmetic, sets the speed.
void matmul_ikj(int n, const float* A, const float* B, float* C) {
    std::fill(C, C + std::size_t(n) * n, 0.0f);
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k) {
            const float a = A[i * n + k];
            const float* b = B + std::size_t(k) * n;
            float* c = C + std::size_t(i) * n;
            for (int j = 0; j < n; ++j) c[j] += a * b[j];
        }
}

// ---- c. a register block: a 4×16 tile of C that never leaves the registers ----------------
// Compute C in tiles of 4 rows × 16 columns and keep the whole tile in local accumulators
// (4 × 16 floats = 8 AVX registers) for the entire k loop. For each k we load 16 floats of B
// (2 vector loads) and 4 floats of A, and do 4 × 16 = 64 multiply-adds (8 vector FMAs): 6 loads
// per 8 FMAs instead of 2 loads + 1 store per FMA in step b, and no C traffic at all inside
// the k loop. Eight independent accumulators also hide the FMA latency. Plain C++: the
// compiler keeps c0..c3 in registers and turns each 16-wide c loop into 2 vector FMAs per row.
// (Written as one float[4][16] with a loop over rows, GCC 12 vectorised the wrong loop and ran
// at 4.6 GFLOP/s: how the source is shaped still matters to the vectoriser.)
constexpr int TR = 4, TC = 16;

void tile_4x16(int n, const float* A, const float* B, float* C, int i0, int j0) {
    float c0[TC] = {}, c1[TC] = {}, c2[TC] = {}, c3[TC] = {};  // rows i0..i0+3 of the tile
    const float* a0 = A + std::size_t(i0) * n;  // rows i0..i0+3 of A
    const float *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n;
    for (int k = 0; k < n; ++k) {
        const float* b = B + std::size_t(k) * n + j0;  // 16 floats of row k of B, used by 4 rows
        for (int c = 0; c < TC; ++c) {
            c0[c] += a0[k] * b[c];  // a0[k] is one float, broadcast and used 16 times
            c1[c] += a1[k] * b[c];
            c2[c] += a2[k] * b[c];
            c3[c] += a3[k] * b[c];
        }
    }
    float* out = C + std::size_t(i0) * n + j0;
    for (int c = 0; c < TC; ++c) {
        out[c] = c0[c];
        out[n + c] = c1[c];
        out[2 * n + c] = c2[c];
        out[3 * n + c] = c3[c];
    }
}

void matmul_register_blocked(int n, const float* A, const float* B, float* C) {
    const int full_rows = n / TR * TR, full_cols = n / TC * TC;
    for (int i0 = 0; i0 < full_rows; i0 += TR)
        for (int j0 = 0; j0 < full_cols; j0 += TC) tile_4x16(n, A, B, C, i0, j0);
    // The ragged edges (when n is not a multiple of 4 or 16): one dot product per element.
    for (int i = 0; i < n; ++i)
        for (int j = (i < full_rows ? full_cols : 0); j < n; ++j) {
            float acc = 0.0f;
            for (int k = 0; k < n; ++k) acc += A[std::size_t(i) * n + k] * B[std::size_t(k) * n + j];
            C[std::size_t(i) * n + j] = acc;
        }
}

// ---- d/e. the library's kernel ----------------------------------------------------------------
// tinyattn::gemm (tinyattn/kernels/gemm.cpp) adds what step c lacks:
//   - a bigger tile, 6×16 in 12 AVX registers, written with FMA intrinsics: 8 loads per 12 FMAs;
//   - packing: blocks of A and B are copied once into the exact order the tile reads them, so
//     the kernel streams contiguous memory (step c reads B with a stride of n floats, which
//     for n = 512 maps every k onto the same few cache sets);
//   - cache blocking: k in slices of 256 (a packed 16-column panel of B = 16 KiB stays in L1),
//     rows in blocks of 144 (their packed A = 144 KiB stays in L2);
//   - threads: C cut into chunks the threads take in turn (kernels/gemm_threads.cpp); at this
//     size one per thread (step e).
void matmul_library(int n, const float* A, const float* B, float* C) {
    gemm(false, false, n, n, n, 1.0f, A, n, B, n, 0.0f, C, n);
}

// ---- timing and checking ----------------------------------------------------------------------
using Matmul = std::function<void(int, const float*, const float*, float*)>;

struct Step {
    std::string label;   // "a. naive i-j-k"
    std::string short_name;  // the figure's bar label
    std::string why;     // one line: what changed and why it is faster
    Matmul run;
    int threads = 1;
    double gflops = 0, max_error = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Median over `samples` timed samples; each sample repeats the product until it has lasted at
// least `min_sample_s` seconds, so that fast steps are not timed on a single microsecond-scale
// call. One untimed warm-up call first (page faults, thread start-up, caches).
double median_seconds_per_product(const Step& step, int n, const float* A, const float* B, float* C,
                                  int samples, double min_sample_s) {
    step.run(n, A, B, C);
    std::vector<double> times;
    for (int s = 0; s < samples; ++s) {
        int reps = 0;
        const auto t0 = std::chrono::steady_clock::now();
        do {
            step.run(n, A, B, C);
            ++reps;
        } while (seconds_since(t0) < min_sample_s);
        times.push_back(seconds_since(t0) / reps);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

double max_abs_difference(const std::vector<float>& x, const std::vector<float>& y) {
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(double(x[i]) - double(y[i])));
    return worst;
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("12_fast_matmul",
                    "C = A·B from the naive triple loop to the packed, cache-blocked, multi-threaded kernel, "
                    "with GFLOP/s measured at every step. --n N sets the size (default 512)");
    // --n is this lesson's own flag; every other argument goes to the shared parser.
    std::string n_text;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--n") n_text = i + 1 < argc ? argv[++i] : "";
        else rest.push_back(argv[i]);
    }
    const LessonOptions opt = parse_lesson_args(int(rest.size()), rest.data(), info);
    int n = opt.quick ? 128 : 512;
    if (!n_text.empty() || (argc > 1 && std::string(argv[argc - 1]) == "--n")) n = int(parse_number("--n", n_text, 1, 4096));
    const int samples = opt.quick ? 3 : 5;
    const double min_sample_s = opt.quick ? 0.005 : 0.05;
    const int all_threads = opt.threads > 0 ? opt.threads : omp_get_num_procs();

    // Random operands in [-1, 1) from the project's generator (same --seed, same matrices).
    Rng rng(opt.seed);
    const std::size_t nn = std::size_t(n) * n;
    std::vector<float> A(nn), B(nn), C(nn), C_ref(nn);
    for (float& x : A) x = rng.uniform(-1.0f, 1.0f);
    for (float& x : B) x = rng.uniform(-1.0f, 1.0f);
    gemm_reference(false, false, n, n, n, 1.0f, A.data(), n, B.data(), n, 0.0f, C_ref.data(), n);

    // How close is close enough? Every step adds n float products in some order; each addition
    // rounds by at most half a unit in the last place of the running sum. The sums here are of
    // size ~√n/3 (≈ 8 at n = 512, where half an ulp is 5e-7), and the n rounding errors mostly
    // cancel like a random walk: ~√n · 3e-7 ≈ 7e-6 typical, a few times that for the worst of the
    // n² elements. A bound of 1e-6 per term, 1e-6·(n+1), leaves room for any summation order,
    // while a wrong index or a missed term gives errors of order 0.1-1.
    const double tolerance = 1e-6 * (n + 1);

    std::vector<Step> steps = {
        {"a. naive i-j-k", "a naive", "2 loads per FMA, B read down a column: a new cache line for every k",
         matmul_naive},
        {"b. loop order i-k-j", "b i-k-j", "unit stride: the inner loop is 8-wide FMAs, but C is loaded+stored each k",
         matmul_ikj},
        {"c. 4x16 register tile", "c 4x16 tile", "C stays in 8 registers for the whole k loop: 6 loads per 8 FMAs",
         matmul_register_blocked},
        {"d. packed gemm, 1 thread", "d packed",
         "6x16 tile (12 registers), packed A/B panels, KC/MC cache blocks", matmul_library, 1},
        {"e. packed gemm, " + std::to_string(all_threads) + " threads", "e " + std::to_string(all_threads) + " threads",
         "the same kernel, C cut into one rectangle per thread", matmul_library, all_threads},
    };

    std::printf("C = A·B, n = %d (%.3g Gflop per product = 2n³), float32; max |error| vs gemm_reference "
                "(double accumulation), tolerance 1e-6·(n+1) = %.1e\n",
                n, 2.0 * n * n * n / 1e9, tolerance);
    std::printf("timing: median of %d samples, each at least %.0f ms\n\n", samples, min_sample_s * 1e3);
    bool all_ok = true;
    for (Step& s : steps) {
        omp_set_num_threads(s.threads);  // steps a-c are single-threaded code; d and e set the library's threads
        const double t = median_seconds_per_product(s, n, A.data(), B.data(), C.data(), samples, min_sample_s);
        s.gflops = 2.0 * n * n * n / t / 1e9;
        s.max_error = max_abs_difference(C, C_ref);
        const bool ok = s.max_error <= tolerance;
        all_ok = all_ok && ok;
        std::printf("%-28s %8.2f ms  %7.2f GFLOP/s  max |error| %.1e%s\n    why: %s\n", s.label.c_str(), t * 1e3,
                    s.gflops, s.max_error, ok ? "" : "  WRONG (beyond tolerance)", s.why.c_str());
        std::fflush(stdout);
    }

    // The summary table (the test reads these lines).
    std::printf("\n%-28s %10s %10s %12s\n", "step", "GFLOP/s", "speed-up", "max |error|");
    for (const Step& s : steps)
        std::printf("%-28s %10.2f %9.1fx %12.1e\n", s.label.c_str(), s.gflops, s.gflops / steps[0].gflops,
                    s.max_error);
    std::printf("\n");

    // The figure: one bar per step.
    std::vector<std::string> names;
    plot::Series bars{"GFLOP/s", {}, {}};
    for (const Step& s : steps) {
        names.push_back(s.short_name);
        bars.y.push_back(float(s.gflops));
    }
    std::cout << plot::bucket_bars((fs::path(opt.plots_dir) / "12_fast_matmul_gflops").string(), names, {bars},
                                   {.title = "C = A·B, n = " + std::to_string(n) + ": GFLOP/s per step",
                                    .x_label = "step",
                                    .y_label = "GFLOP/s"})
              << "\n";

    Report report;
    report.set("lesson", "12_fast_matmul");
    report.set("n", n);
    report.set("threads", all_threads);
    report.set("tolerance", tolerance);
    for (const Step& s : steps) {
        const std::string key(1, s.label[0]);
        report.set("gflops_" + key, s.gflops);
        report.set("max_error_" + key, s.max_error);
    }
    report.set("all_correct", all_ok ? 1.0 : 0.0);
    report.write(opt.report);

    if (!all_ok) {
        std::fprintf(stderr, "12_fast_matmul: a step's result differs from gemm_reference beyond the tolerance\n");
        return 1;
    }
    std::printf("every step agrees with gemm_reference within %.1e\n", tolerance);
    return 0;
}
