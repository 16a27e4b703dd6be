// elementwise_loops.hpp — the fast loops behind the op table of ops/elementwise.cpp.
//
// They do exactly what unary_reference and binary_reference (ops/elementwise.cpp, read those
// first) do — one loop forward, one loop backward — and tests/test_fused_ops.cpp holds them
// to the same numbers, values and gradients. What they add, and why:
//  - templates over the op's lambdas, so f and its derivative are inlined into the loop and the
//    compiler vectorises it (through a function pointer, as in the references, every element
//    is a call);
//  - the threads share the elements (kernels/parallel.hpp) wherever each element is written once;
//  - outputs and full-size gradients are written, not zero-filled and then added to
//    (make_empty_result, grad_data_fresh, add_or_store: kernels/memory.hpp says why);
//  - BinaryLayout: the two broadcasts that occur in models (equal shapes, a row repeated along
//    the leading dims, as a bias) walk all three arrays with unit stride, with no index lookup.
#pragma once
#include <algorithm>
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/ops/broadcast.hpp"

namespace tinyattn::kernels {

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

// The gradient buffer of a binary op's operand, for an output of n elements. A stretched operand
// (a bias) sums over rows: its loop stays on one thread and adds into the buffer. A full-size
// operand gets one value per element: a fresh buffer is stored into, the threads share it.
inline float* operand_grad(const Tensor& t, size_t n, bool& fresh) {
    fresh = false;
    return t.numel() == n ? grad_data_fresh(t, fresh) : t.grad_data();
}

// z = f(x, y) over the broadcast shape.  dL/dx = Σ dL/dz · ∂f/∂x  (summed where x was stretched)
template <class F, class DfDx, class DfDy>
Tensor binary_op(const char* name, const Tensor& a, const Tensor& b, F f, DfDx df_dx, DfDy df_dy) {
    check_defined(name, a);
    check_defined(name, b);
    const Shape shape = broadcast_shapes(name, a.shape(), b.shape());
    Tensor out = make_empty_result(shape, name, {a, b});
    auto layout = std::make_shared<const BinaryLayout>(a.shape(), b.shape(), shape);
    const float* x = a.data();
    const float* y = b.data();
    float* z = out.data();
    layout->for_each(out.numel(), [=](size_t i, size_t ia, size_t ib) { z[i] = f(x[ia], y[ib]); }, true);
    if (out.requires_grad())
        set_backward(out, [a, b, layout, df_dx, df_dy](const Node& node) {
            const float* x = a.data();
            const float* y = b.data();
            const float* g = node.grad.data();
            const size_t n = node.grad.size();
            if (a.requires_grad()) {
                bool fresh = false;
                float* gx = operand_grad(a, n, fresh);
                layout->for_each(
                    n, [=](size_t i, size_t ia, size_t ib) { add_or_store(gx[ia], g[i] * df_dx(x[ia], y[ib]), fresh); },
                    a.numel() == n);
            }
            if (b.requires_grad()) {
                bool fresh = false;
                float* gy = operand_grad(b, n, fresh);
                layout->for_each(
                    n, [=](size_t i, size_t ia, size_t ib) { add_or_store(gy[ib], g[i] * df_dy(x[ia], y[ib]), fresh); },
                    b.numel() == n);
            }
        });
    return out;
}

// y = f(x).  dL/dx = dL/dy · f'(x), where the derivative may use x or the output y.
// `grad_x(g, x, y)` returns g · f'(x) — the chain rule written out by each op, so that relu can
// say "g where x > 0, else 0": written as g · (x > 0 ? 1 : 0), GCC turns the product into a
// branch per element and the loop no longer vectorises, over every activation of every layer.
template <class F, class GradX>
Tensor unary_op(const char* name, const Tensor& a, F f, GradX grad_x) {
    check_defined(name, a);
    Tensor out = make_empty_result(a.shape(), name, {a});
    const float* x = a.data();
    float* y = out.data();
    parallel_for(out.numel(), 1, [=](size_t begin, size_t end) {
#pragma omp simd  // y is a fresh buffer: no overlap with x, so 8 elements at a time is safe
        for (size_t i = begin; i < end; ++i) y[i] = f(x[i]);
    });
    if (out.requires_grad())
        set_backward(out, [a, grad_x](const Node& node) {
            const float* x = a.data();
            const float* y = node.data.data();
            const float* g = node.grad.data();
            bool fresh;
            float* gx = grad_data_fresh(a, fresh);
            parallel_for(node.grad.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(gx[i], grad_x(g[i], x[i], y[i]), fresh);
            });
        });
    return out;
}

// The same, with the forward pass done by an array function y = f(x) (kernels/activations.hpp).
template <class Df>
Tensor unary_array_op(const char* name, const Tensor& a, void (*f)(const float*, float*, size_t), Df df) {
    check_defined(name, a);
    Tensor out = make_empty_result(a.shape(), name, {a});
    const float* x = a.data();
    float* y = out.data();
    parallel_for(out.numel(), 1, [=](size_t begin, size_t end) { f(x + begin, y + begin, end - begin); });
    if (out.requires_grad())
        set_backward(out, [a, df](const Node& node) {
            const float* y = node.data.data();
            const float* g = node.grad.data();
            bool fresh;
            float* gx = grad_data_fresh(a, fresh);
            parallel_for(node.grad.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(gx[i], g[i] * df(y[i]), fresh);
            });
        });
    return out;
}

}  // namespace tinyattn::kernels
