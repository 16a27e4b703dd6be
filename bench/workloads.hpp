// workloads.hpp — the workloads of shared/WORKLOADS.md, one file each; bench.cpp's main runs
// the one asked for. Each uses bench_common.hpp and nothing of main.
#pragma once
#include <string>

#include "bench_common.hpp"

namespace bench {

// The workloads (one file each).
void run_w1_w2(const std::string& workload, const Options& opt);  // W1, W2 (seq2seq-bahdanau)
void run_w3(const Options& opt);                                   // sentiment-lstm-attnpool
void run_w4(const Options& opt);                                   // transformer-tiny
void run_w5(const Options& opt);                                   // gemm GFLOP/s
void run_w6(const Options& opt);                                   // greedy-decode latency
void run_w7(const Options& opt);                                   // show-attend-tell soft captioner (lesson 13)
void run_w8(const Options& opt);                                   // KV-cached greedy decode (W4 model)

}  // namespace bench
