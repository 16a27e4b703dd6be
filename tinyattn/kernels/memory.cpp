// memory.cpp — uninitialised results and gradients, and keeping freed memory (see memory.hpp).
#include "tinyattn/kernels/memory.hpp"

#include <algorithm>
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

}  // namespace tinyattn
