// memory.cpp — uninitialised results and gradients, and keeping freed memory (see memory.hpp).
#include "tinyattn/kernels/memory.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tinyattn/autograd.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn {

// 3. Keep freed memory inside the process, set once when the library loads.
#ifdef __GLIBC__
static const bool g_keep_freed_memory = [] {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);  // only blocks ≥ 256 MiB bypass the heap
    mallopt(M_TRIM_THRESHOLD, 512 << 20);  // return memory to the kernel only above 512 MiB free
    return true;
}();
#endif

// Sanitizer builds: NaN until written, so a missed element fails the tests.
static void poison(FloatBuffer& buffer) {
#ifdef TINYATTN_POISON_EMPTY_RESULTS
    std::fill(buffer.begin(), buffer.end(), std::numeric_limits<float>::quiet_NaN());
#else
    (void)buffer;
#endif
}

// 1.
Tensor make_empty_result(const Shape& shape, const char* op, const std::vector<Tensor>& parents) {
    auto node = std::make_shared<Node>();
    node->shape = shape;
    node->data.resize(shape_numel(shape));  // uninitialised: the op writes every element
    poison(node->data);
    return link_result(std::move(node), op, parents);
}
Tensor make_empty_result(const Shape& shape, const char* op, std::initializer_list<Tensor> parents) {
    return make_empty_result(shape, op, std::vector<Tensor>(parents));
}

// 2.
float* grad_data_fresh(const Tensor& t, bool& fresh) {
    check_defined("grad_data", t);
    Node& node = *t.node();
    fresh = node.grad.size() != node.data.size();
    if (fresh) {
        node.grad.resize(node.data.size());  // uninitialised: the caller writes it all
        poison(node.grad);
    }
    return node.grad.data();
}

// ---- bytes held by tensor buffers (UninitializedAllocator counts them) -----------------------
static std::atomic<std::ptrdiff_t> g_tensor_bytes{0};
static std::atomic<std::ptrdiff_t> g_tensor_bytes_peak{0};
void count_tensor_bytes(std::ptrdiff_t bytes) {
    const std::ptrdiff_t now = g_tensor_bytes.fetch_add(bytes) + bytes;
    std::ptrdiff_t peak = g_tensor_bytes_peak.load();
    while (now > peak && !g_tensor_bytes_peak.compare_exchange_weak(peak, now)) {
    }
}
std::size_t tensor_bytes_in_use() { return std::size_t(g_tensor_bytes.load()); }
std::size_t tensor_bytes_peak() { return std::size_t(g_tensor_bytes_peak.load()); }
void reset_tensor_bytes_peak() { g_tensor_bytes_peak.store(g_tensor_bytes.load()); }

}  // namespace tinyattn
