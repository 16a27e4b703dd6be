// broadcast.hpp — NumPy broadcasting, used by the elementwise ops (internal header).
// (broadcast_shapes, which gives the output shape, is in ops.hpp.)
//
// Shapes are aligned on the right; a dim of size 1 (or a missing dim) stretches to match:
//   [32, 1, 64] with [10, 64] -> [32, 10, 64]
// Forward reads the stretched input many times; backward must therefore *sum* the output
// gradient over every position that read the same input element.
#pragma once
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn {

// For each element of an output of shape `out`, the flat index of the input element
// (of shape `in`, which broadcasts to `out`) that it reads.
struct BroadcastIndex {
    std::vector<size_t> index;  // empty when in == out (then the index is i itself)

    BroadcastIndex(const Shape& in, const Shape& out);
    size_t operator()(size_t i) const { return index.empty() ? i : index[i]; }
};

}  // namespace tinyattn
