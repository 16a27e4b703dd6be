// bench_common.cpp — the timing loop, the JSON line, peak memory and the fixed random batches.
#include "bench_common.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

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
