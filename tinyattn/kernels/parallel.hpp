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
#include <cstddef>
#include <functional>

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

// body(thread, threads) on every thread of a parallel region (call only after use_threads()),
// with the helper-thread lateness check above.
void parallel_region(const std::function<void(int thread, int threads)>& body);

// body(begin, end) over consecutive ranges that cover [0, n), one range per thread, when the
// loop touches at least kParallelElements elements (n items of `item_size` elements each).
// Every item is processed by the same code whatever the thread count, so results are the same
// bits on 1 or 2 threads. Only for loops whose items write separate outputs (no sums into a
// shared buffer: those would race).
void parallel_for(std::size_t n, std::size_t item_size, const std::function<void(std::size_t begin, std::size_t end)>& body);

// body(i) for i in [0, n), whole items shared out among the threads (thread t takes items t,
// t + threads, ...) when the total `work` reaches `min_work`. For batches of small products
// (attention's per-head products: too small to split one among threads); each item is then
// computed exactly as on one thread. Items must write separate outputs.
void parallel_for_each(int n, std::size_t work, std::size_t min_work, const std::function<void(int i)>& body);

}  // namespace tinyattn
