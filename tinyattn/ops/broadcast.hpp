// broadcast.hpp — NumPy broadcasting, used by the elementwise ops (internal header).
//
// Shapes are aligned on the right; a dim of size 1 (or a missing dim) stretches to match:
//   [32, 1, 64] with [10, 64] -> [32, 10, 64]
// Forward reads the stretched input many times; backward must therefore *sum* the output
// gradient over every position that read the same input element.
#pragma once
#include <algorithm>
#include <vector>

#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn {

// For each element of an output of shape `out`, the flat index of the input element
// (of shape `in`, which broadcasts to `out`) that it reads.
struct BroadcastIndex {
    std::vector<size_t> index;  // empty when in == out (then the index is i itself)

    BroadcastIndex(const Shape& in, const Shape& out);
    size_t operator()(size_t i) const { return index.empty() ? i : index[i]; }
};

// How a binary op walks its operands. Almost every call in a model is one of two easy cases:
// both operands have the output's shape, or one of them is repeated along the leading dims
// (a bias [D] added to every row of [N, D], a [T, T] mask over [B, H, T, T]). Then the output is
// `rows` rows of `period` elements, and inside a row all three arrays are read with unit stride:
// a plain loop the compiler vectorises, with no per-element index lookup. Everything else
// (e.g. [N, 1] * [1, D]) goes through BroadcastIndex.
struct BinaryLayout {
    bool simple = false;        // one of the two easy cases
    size_t period = 0;          // row length (= n when both operands are full)
    bool a_full = true, b_full = true;  // false: the operand is one row, repeated
    BroadcastIndex ia, ib;      // the general case's index maps (empty when simple)

    // An operand "repeats" if it equals the output's last dims and has only 1s before them.
    static bool repeats(const Shape& in, const Shape& out) {
        const size_t offset = out.size() - in.size();
        bool in_suffix = true;  // walking from the right, still inside the matching suffix?
        for (size_t d = in.size(); d-- > 0;) {
            if (in_suffix && in[d] == out[d + offset]) continue;
            in_suffix = false;
            if (in[d] != 1) return false;
        }
        return true;
    }
    BinaryLayout(const Shape& a, const Shape& b, const Shape& out)
        : simple(repeats(a, out) && repeats(b, out) &&
                 (shape_numel(a) == shape_numel(out) || shape_numel(b) == shape_numel(out))),
          ia(simple ? out : a, out), ib(simple ? out : b, out) {
        if (!simple) return;
        const size_t n = shape_numel(out);
        a_full = shape_numel(a) == n;
        b_full = shape_numel(b) == n;
        period = a_full ? shape_numel(b) : shape_numel(a);
    }
    // body(out index, a index, b index) for the output elements [begin, end).
    template <class Body>
    void for_each_range(size_t begin, size_t end, Body body) const {
        if (!simple) {
            for (size_t i = begin; i < end; ++i) body(i, ia(i), ib(i));
            return;
        }
        if (period == 0) return;
        for (size_t r = begin / period * period; r < end; r += period) {  // r: where a row starts
            const size_t ra = a_full ? r : 0, rb = b_full ? r : 0;      // ... in a and in b
            const size_t j0 = std::max(begin, r) - r, j1 = std::min(end, r + period) - r;
            for (size_t j = j0; j < j1; ++j) body(r + j, ra + j, rb + j);
        }
    }
    // body(out index, a index, b index) for every output element. `parallel`: the threads
    // share the elements — only when body writes a different place for every element.
    template <class Body>
    void for_each(size_t n, Body body, bool parallel = false) const {
        if (!parallel) return for_each_range(0, n, body);
        parallel_for(n, 1, [&](size_t begin, size_t end) { for_each_range(begin, end, body); });
    }
};

}  // namespace tinyattn
