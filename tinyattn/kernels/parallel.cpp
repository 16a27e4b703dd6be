// parallel.cpp — the parallel region behind parallel_for and gemm, and the busy-machine check.
#include "tinyattn/kernels/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace tinyattn {

#ifdef _OPENMP

namespace {
// A helper thread that has just finished a region keeps spinning for a while, waiting for the
// next one; it should then start within microseconds. If it starts late, no core was free.
// (After a longer pause it is asleep, and waking it — in a virtual machine, waking its virtual
// CPU — can take a millisecond on an idle machine too: such regions are not judged.)
constexpr std::int64_t kSpinningNs = 200'000;        // a region within 0.2 ms of the last one
constexpr std::int64_t kLateNs = 100'000;            // whose helper starts 0.1 ms late (3 in a row)
constexpr std::int64_t kOneThreadNs = 200'000'000;   // then one thread for 200 ms before trying again

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
std::atomic<std::int64_t> g_one_thread_until{0};  // while now_ns() < this, use_threads() says no
std::atomic<std::int64_t> g_last_region_end{0};
std::atomic<int> g_late_in_a_row{0};  // one late start can be a fluke (a new thread, a page fault)
std::atomic<bool> g_backoff_enabled{true};
}  // namespace

void set_busy_backoff(bool enabled) {
    g_backoff_enabled = enabled;
    g_one_thread_until = 0;
    g_late_in_a_row = 0;
}

int max_threads() { return omp_get_max_threads(); }

bool use_threads(std::size_t work, std::size_t min_work) {
    if (work < min_work || omp_get_max_threads() == 1 || omp_in_parallel()) return false;
    return now_ns() >= g_one_thread_until.load(std::memory_order_relaxed);
}

void parallel_region(const std::function<void(int thread, int threads)>& body) {
    const std::int64_t start = now_ns();
    const bool helpers_spinning = start - g_last_region_end.load(std::memory_order_relaxed) < kSpinningNs;
    std::atomic<bool> late{false};
#pragma omp parallel
    {
        const int thread = omp_get_thread_num();
        if (thread != 0 && now_ns() - start > kLateNs) late = true;  // this helper waited for a core
        body(thread, omp_get_num_threads());
    }
    const std::int64_t end = now_ns();
    g_last_region_end.store(end, std::memory_order_relaxed);
    if (!helpers_spinning || !g_backoff_enabled) return;
    if (!late) {
        g_late_in_a_row = 0;
    } else if (++g_late_in_a_row >= 3) {  // three regions in a row: the machine is busy
        g_late_in_a_row = 0;
        g_one_thread_until.store(end + kOneThreadNs, std::memory_order_relaxed);
    }
}

#else  // built without OpenMP (the fuzz targets): everything runs on the calling thread

int max_threads() { return 1; }
void set_busy_backoff(bool) {}
bool use_threads(std::size_t, std::size_t) { return false; }
void parallel_region(const std::function<void(int thread, int threads)>& body) { body(0, 1); }

#endif

// ---- the two loop shapes, on top of parallel_region -----------------------------------------

void parallel_for(std::size_t n, std::size_t item_size, const std::function<void(std::size_t, std::size_t)>& body) {
    if (n < 2 || !use_threads(n * item_size)) {
        body(std::size_t(0), n);  // not "parallel if (false)": a one-thread team slows the next wake-up
        return;
    }
    parallel_region([&](int thread, int threads) {
        const std::size_t chunk = (n + std::size_t(threads) - 1) / std::size_t(threads);
        const std::size_t begin = std::min(n, std::size_t(thread) * chunk), end = std::min(n, begin + chunk);
        if (begin < end) body(begin, end);
    });
}

void parallel_for_each(int n, std::size_t work, std::size_t min_work, const std::function<void(int)>& body) {
    if (n > 1 && use_threads(work, min_work)) {
        parallel_region([&](int thread, int threads) {
            for (int i = thread; i < n; i += threads) body(i);
        });
    } else {
        for (int i = 0; i < n; ++i) body(i);
    }
}

}  // namespace tinyattn
