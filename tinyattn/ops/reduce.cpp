// reduce.cpp — sum, mean and max, over everything or along one dim.
//
// Reducing along dim d views the tensor as [outer, n, inner] (n = size of d): element
// (o, k, i) sits at (o·n + k)·inner + i, and the result keeps [outer, inner].
#include <limits>

#include "tinyattn/autograd.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
struct Axis {
    size_t outer = 1, n = 1, inner = 1;
    Shape out_shape;
};

Axis split_at(const char* op, const Tensor& a, int dim, bool keepdim) {
    const Shape& s = a.shape();
    const int d = normalize_dim(op, dim, a.dim(), s);
    Axis ax;
    for (int k = 0; k < d; ++k) ax.outer *= size_t(s[size_t(k)]);
    ax.n = size_t(s[size_t(d)]);
    for (size_t k = size_t(d) + 1; k < s.size(); ++k) ax.inner *= size_t(s[k]);
    ax.out_shape = s;
    if (keepdim) ax.out_shape[size_t(d)] = 1;
    else ax.out_shape.erase(ax.out_shape.begin() + d);
    return ax;
}
}  // namespace

// s = Σ xᵢ:  dL/dxᵢ = dL/ds
Tensor sum(const Tensor& a) {
    check_defined("sum", a);
    Tensor out = make_result({}, "sum", {a});
    double acc = 0.0;
    for (size_t i = 0; i < a.numel(); ++i) acc += a.data()[i];
    out.data()[0] = float(acc);
    if (out.requires_grad())
        set_backward(out, [a](const Node& node) {
            float* ga = a.grad_data();
            for (size_t i = 0; i < a.numel(); ++i) ga[i] += node.grad[0];
        });
    return out;
}

// s[o,i] = Σₖ x[o,k,i]:  dL/dx[o,k,i] = dL/ds[o,i]
Tensor sum(const Tensor& a, int dim, bool keepdim) {
    check_defined("sum", a);
    const Axis ax = split_at("sum", a, dim, keepdim);
    Tensor out = make_result(ax.out_shape, "sum_dim", {a});
    const float* x = a.data();
    float* s = out.data();
    for (size_t o = 0; o < ax.outer; ++o)
        for (size_t k = 0; k < ax.n; ++k)
            for (size_t i = 0; i < ax.inner; ++i) s[o * ax.inner + i] += x[(o * ax.n + k) * ax.inner + i];
    if (out.requires_grad())
        set_backward(out, [a, ax](const Node& node) {
            float* ga = a.grad_data();
            const float* g = node.grad.data();
            for (size_t o = 0; o < ax.outer; ++o)
                for (size_t k = 0; k < ax.n; ++k)
                    for (size_t i = 0; i < ax.inner; ++i) ga[(o * ax.n + k) * ax.inner + i] += g[o * ax.inner + i];
        });
    return out;
}

// mean = sum / n; its gradient is the sum's divided by n.
Tensor mean(const Tensor& a) {
    check_defined("mean", a);
    if (a.numel() == 0) throw std::invalid_argument("mean: tensor of shape " + shape_str(a.shape()) + " is empty");
    return mul(sum(a), 1.0f / float(a.numel()));
}

Tensor mean(const Tensor& a, int dim, bool keepdim) {
    check_defined("mean", a);
    const int n = a.size(dim);
    return mul(sum(a, dim, keepdim), 1.0f / float(n));
}

// m = max xᵢ:  dL/dxᵢ = dL/dm for the first i where xᵢ = m, 0 elsewhere
Tensor max(const Tensor& a) {
    check_defined("max", a);
    if (a.numel() == 0) throw std::invalid_argument("max: tensor of shape " + shape_str(a.shape()) + " is empty");
    Tensor out = make_result({}, "max", {a});
    size_t best = 0;
    for (size_t i = 1; i < a.numel(); ++i)
        if (a.data()[i] > a.data()[best]) best = i;
    out.data()[0] = a.data()[best];
    if (out.requires_grad())
        set_backward(out, [a, best](const Node& node) { a.grad_data()[best] += node.grad[0]; });
    return out;
}

// m[o,i] = maxₖ x[o,k,i]:  the gradient goes to the (first) arg-max position only
Tensor max(const Tensor& a, int dim, bool keepdim) {
    check_defined("max", a);
    const Axis ax = split_at("max", a, dim, keepdim);
    if (ax.n == 0) throw std::invalid_argument("max: reducing an empty dim of shape " + shape_str(a.shape()));
    Tensor out = make_result(ax.out_shape, "max_dim", {a});
    std::vector<size_t> where(ax.outer * ax.inner);
    const float* x = a.data();
    for (size_t o = 0; o < ax.outer; ++o)
        for (size_t i = 0; i < ax.inner; ++i) {
            size_t best = o * ax.n * ax.inner + i;
            for (size_t k = 1; k < ax.n; ++k) {
                const size_t at = (o * ax.n + k) * ax.inner + i;
                if (x[at] > x[best]) best = at;
            }
            where[o * ax.inner + i] = best;
            out.data()[o * ax.inner + i] = x[best];
        }
    if (out.requires_grad())
        set_backward(out, [a, where](const Node& node) {
            float* ga = a.grad_data();
            for (size_t j = 0; j < where.size(); ++j) ga[where[j]] += node.grad[j];
        });
    return out;
}

std::vector<int> argmax(const Tensor& a, int dim) {
    check_defined("argmax", a);
    const Axis ax = split_at("argmax", a, dim, false);
    std::vector<int> result(ax.outer * ax.inner, 0);
    const float* x = a.data();
    for (size_t o = 0; o < ax.outer; ++o)
        for (size_t i = 0; i < ax.inner; ++i) {
            size_t best = 0;
            for (size_t k = 1; k < ax.n; ++k)
                if (x[(o * ax.n + k) * ax.inner + i] > x[(o * ax.n + best) * ax.inner + i]) best = k;
            result[o * ax.inner + i] = int(best);
        }
    return result;
}

}  // namespace tinyattn
