// parallel.hpp — share work among the threads, when it is big enough to pay.
//
// Only gemm needs threads for small models. But in a Transformer step the element-wise work
// (layer norms, activations, copies, gradients of 384×512 activations) is a third of the time,
// and on one core it would leave the second idle between matrix products.
//
// Threads only help when each one has a core. On a busy machine (another training run, a
// parallel build, `ctest -j2` running two lessons at once) the second thread may wait
// milliseconds for a time slice, and every parallel region then waits for it, so two threads
// end up far slower than one. So a region that follows closely on the last one
// (its helper threads are still spinning, waiting for work) checks how late they started; after
// three late starts in a row, tinyattn runs on one thread for the next 200 ms and then tries again. On an idle
// machine the check never fires and costs a few clock reads per region (parallel.cpp).
#pragma once
#include <algorithm>
#include <cstddef>

namespace tinyattn {

// Loops over fewer elements than this stay on one thread: starting the threads costs a few
// microseconds, about what 32k simple element-wise operations take.
constexpr std::size_t kParallelElements = std::size_t(1) << 15;

// May this work (in elements or multiply-adds) use threads right now? False below `min_work`,
// with one thread configured, inside a parallel region, or while the machine is busy (above).
bool use_threads(std::size_t work, std::size_t min_work = kParallelElements);

// How many threads a parallel region would get (1 without OpenMP).
int max_threads();

// The busy-machine back-off is on by default. Tests switch it off so that the parallel paths
// really run (and can be compared with one thread) even on a busy test machine.
void set_busy_backoff(bool enabled);

// body(thread, threads) on every thread of a parallel region (call only after use_threads()).
// Runs the region through an out-of-line function, with the helper-thread lateness check.
void run_on_threads(void (*body)(int thread, int threads, void* context), void* context);

template <class Body>
void parallel_region(Body body) {  // body(thread, threads)
    run_on_threads([](int thread, int threads, void* context) { (*static_cast<Body*>(context))(thread, threads); },
                   &body);
}

// body(begin, end) over consecutive ranges that cover [0, n), one range per thread, when the
// loop touches at least kParallelElements elements (n items of `item_size` elements each).
// Every item is processed by the same code whatever the thread count, so results are the same
// bits on 1 or 2 threads. Only for loops whose items write separate outputs (no sums into a
// shared buffer: those would race).
template <class Body>
void parallel_for(std::size_t n, std::size_t item_size, Body body) {
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

// body(i) for i in [0, n), whole items shared out among the threads (thread t takes items t,
// t + threads, ...) when the total `work` reaches `min_work`. For batches of small products
// (attention's per-head products: too small to split one among threads); each item is then
// computed exactly as on one thread. Items must write separate outputs.
template <class Body>
void parallel_for_each(int n, std::size_t work, std::size_t min_work, Body body) {
    if (n > 1 && use_threads(work, min_work)) {
        parallel_region([&](int thread, int threads) {
            for (int i = thread; i < n; i += threads) body(i);
        });
    } else {
        for (int i = 0; i < n; ++i) body(i);
    }
}

}  // namespace tinyattn
