// parallel.hpp — share a loop over [0, n) among the threads, when it is big enough to pay.
//
// Only gemm needs threads for small models. But in a Transformer step the element-wise work
// (layer norms, activations, copies, gradients of 384×512 activations) is a third of the time,
// and on one core it would leave the second idle between matrix products.
#pragma once
#include <algorithm>
#include <cstddef>

#include <omp.h>

namespace tinyattn {

// Loops over fewer elements than this stay on one thread: starting the threads costs a few
// microseconds, about what 32k simple element-wise operations take.
constexpr std::size_t kParallelElements = std::size_t(1) << 15;

// body(begin, end) over consecutive ranges that cover [0, n), one range per thread, when the
// loop touches at least kParallelElements elements (n items of `item_size` elements each).
// Every item is processed by the same code whatever the thread count, so results are the same
// bits on 1 or 2 threads. Only for loops whose items write separate outputs (no sums into a
// shared buffer: those would race).
template <class Body>
void parallel_for(std::size_t n, std::size_t item_size, Body body) {
    if (n < 2 || n * item_size < kParallelElements || omp_get_max_threads() == 1 || omp_in_parallel()) {
        body(std::size_t(0), n);  // not "parallel if (false)": a one-thread team slows the next wake-up
        return;
    }
#pragma omp parallel
    {
        const std::size_t threads = std::size_t(omp_get_num_threads()), chunk = (n + threads - 1) / threads;
        const std::size_t begin = std::min(n, std::size_t(omp_get_thread_num()) * chunk);
        const std::size_t end = std::min(n, begin + chunk);
        if (begin < end) body(begin, end);
    }
}

}  // namespace tinyattn
