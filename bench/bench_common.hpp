// bench_common.hpp — what every workload of the benchmark shares: the timing loop, the JSON
// line it prints, peak memory, and the fixed random batches (see shared/WORKLOADS.md).
// Defined in bench_common.cpp; the workloads (workloads.hpp) use it, main (bench.cpp) runs them.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "tinyattn/rng.hpp"

namespace bench {

struct Options {
    int threads = 1;
    int warmup = 5;   // untimed steps first (caches, allocator, Adam's moment buffers)
    int steps = 20;   // timed steps; the median is the figure we report
};

struct Timing {
    std::vector<double> ms;  // one entry per timed step
    double median() const;
    double min() const;
    double max() const;
};

// Runs `step` warmup times untimed, then steps times, timing each call.
Timing time_steps(const std::function<void()>& step, const Options& opt);

// {"workload":..,"threads":..,"ms_per_step_median":..,"ms_min":..,"ms_max":..,"steps":..,"params":..,"peak_rss_mb":..}
void print_step_json(const std::string& workload, const Options& opt, const Timing& t, size_t params);

// Peak resident set size of this process so far, in MiB (getrusage's ru_maxrss).
double peak_rss_mb();

// count token ids uniform in [4, vocab) — WORKLOADS.md's fixed random batch.
std::vector<int> random_ids(tinyattn::Rng& rng, int count, int vocab);

// Throws unless the model has exactly the parameter count PyTorch reports for it.
void check_params(const std::string& workload, size_t got, size_t expected);

}  // namespace bench
