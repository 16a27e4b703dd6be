// parallel.cpp — the parallel region behind parallel_for and gemm, and the busy-machine check.
#include "tinyattn/kernels/parallel.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

#include <omp.h>

namespace tinyattn {

namespace {
constexpr std::int64_t kLateNs = 500'000;       // a helper thread starting 0.5 ms late: no free core
constexpr std::int64_t kOneThreadNs = 200'000'000;  // then one thread for 200 ms before trying again

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
std::atomic<std::int64_t> g_one_thread_until{0};  // while now_ns() < this, use_threads() says no
}  // namespace

bool use_threads(std::size_t work, std::size_t min_work) {
    if (work < min_work || omp_get_max_threads() == 1 || omp_in_parallel()) return false;
    return now_ns() >= g_one_thread_until.load(std::memory_order_relaxed);
}

void run_on_threads(void (*body)(int thread, int threads, void* context), void* context) {
    const std::int64_t start = now_ns();
#pragma omp parallel
    {
        const int thread = omp_get_thread_num();
        if (thread != 0 && now_ns() - start > kLateNs)  // this helper waited for a core
            g_one_thread_until.store(now_ns() + kOneThreadNs, std::memory_order_relaxed);
        body(thread, omp_get_num_threads(), context);
    }
}

}  // namespace tinyattn
