// bench.cpp — `bench WORKLOAD [--threads N] [--steps N] [--warmup N]`: the workloads of
// shared/WORKLOADS.md in tinyattn, one JSON line per result. bench/torch_reference.py
// prints the same lines for PyTorch; bench/run_comparison.sh runs both and compares.
#include <sys/resource.h>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "bench_common.hpp"

namespace bench {

double Timing::median() const {
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}
double Timing::min() const { return *std::min_element(ms.begin(), ms.end()); }
double Timing::max() const { return *std::max_element(ms.begin(), ms.end()); }

Timing time_steps(const std::function<void()>& step, const Options& opt) {
    for (int i = 0; i < opt.warmup; ++i) step();
    Timing t;
    for (int i = 0; i < opt.steps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        step();
        const auto stop = std::chrono::steady_clock::now();
        t.ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    return t;
}

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

void print_step_json(const std::string& workload, const Options& opt, const Timing& t, size_t params) {
    std::printf("{\"workload\":\"%s\",\"threads\":%d,\"ms_per_step_median\":%.3f,\"ms_min\":%.3f,\"ms_max\":%.3f,"
                "\"steps\":%d,\"params\":%zu,\"peak_rss_mb\":%.1f}\n",
                workload.c_str(), opt.threads, t.median(), t.min(), t.max(), opt.steps, params, peak_rss_mb());
    std::fflush(stdout);
}

std::vector<int> random_ids(tinyattn::Rng& rng, int count, int vocab) {
    std::vector<int> ids(size_t(count > 0 ? count : 0));
    for (int& id : ids) id = rng.randint(4, vocab);
    return ids;
}

void check_params(const std::string& workload, size_t got, size_t expected) {
    if (got != expected)
        throw std::runtime_error(workload + ": model has " + std::to_string(got) + " parameters, PyTorch's has " +
                                 std::to_string(expected));
}

}  // namespace bench

static int usage() {
    std::fprintf(stderr, "usage: bench W1|W2|W3|W4|W5|W6|W7 [--threads N] [--steps N] [--warmup N]\n");
    return 2;
}

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string workload = argv[1];
    bench::Options opt;
    if (workload == "W2") opt.steps = 10;  // ~1 s a step: fewer timed steps keep the comparison short
    for (int i = 2; i + 1 < argc; i += 2) {
        const int value = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--threads")) opt.threads = value;
        else if (!std::strcmp(argv[i], "--steps")) opt.steps = value;
        else if (!std::strcmp(argv[i], "--warmup")) opt.warmup = value;
        else return usage();
    }
    if (opt.threads < 1 || opt.steps < 1 || opt.warmup < 0) return usage();
    omp_set_num_threads(opt.threads);
    try {
        if (workload == "W1" || workload == "W2") bench::run_w1_w2(workload, opt);
        else if (workload == "W3") bench::run_w3(opt);
        else if (workload == "W4") bench::run_w4(opt);
        else if (workload == "W5") bench::run_w5(opt);
        else if (workload == "W6") bench::run_w6(opt);
        else if (workload == "W7") bench::run_w7(opt);
        else return usage();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench %s: %s\n", workload.c_str(), e.what());
        return 1;
    }
    return 0;
}
