// bench.cpp — `bench WORKLOAD [--threads N] [--steps N] [--warmup N]`: the workloads of
// shared/WORKLOADS.md in tinyattn, one JSON line per result. bench/torch_reference.py
// prints the same lines for PyTorch; bench/run_comparison.sh runs both and compares.
#include <omp.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "workloads.hpp"

static int usage() {
    std::fprintf(stderr, "usage: bench W1|W2|W3|W4|W5|W6|W7|W8 [--threads N] [--steps N] [--warmup N]\n");
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
        else if (workload == "W8") bench::run_w8(opt);
        else return usage();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench %s: %s\n", workload.c_str(), e.what());
        return 1;
    }
    return 0;
}
