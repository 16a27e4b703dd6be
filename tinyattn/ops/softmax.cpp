// softmax.cpp — softmax and log_softmax along one dim.
//
// Numerically stable: subtract the row maximum first. exp(x - m) never overflows, and the
// result is unchanged because softmax(x) = softmax(x - m). Logits of ±1e4 are fine.
// A row of all -inf (a fully masked attention row) gives zeros, never NaN.
#include <cmath>
#include <limits>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
// View as [outer, n, inner]; the softmax runs over n for each (outer, inner) pair.
struct Rows {
    size_t outer = 1, n = 1, inner = 1;
};
Rows rows_along(const char* op, const Tensor& a, int dim) {
    const int d = normalize_dim(op, dim, a.dim(), a.shape());
    Rows r;
    for (int k = 0; k < d; ++k) r.outer *= size_t(a.shape()[size_t(k)]);
    r.n = size_t(a.shape()[size_t(d)]);
    for (size_t k = size_t(d) + 1; k < a.shape().size(); ++k) r.inner *= size_t(a.shape()[k]);
    return r;
}

// Writes softmax (log = false) or log_softmax (log = true) of each row of the outer slices
// [first, last) of x into y.
// The exponentials are kernels::exp_shifted (Cephes, a few ulp, vectorisable; exactly 0 for a
// masked -inf), computed once per entry: std::exp is a call the compiler cannot vectorise, and
// every attention score of every step goes through one.
void softmax_slices(const Rows& r, size_t first, size_t last, const float* x, float* y, bool log) {
    const float neg_inf = -std::numeric_limits<float>::infinity();
    std::vector<float> e(r.n);  // one row's exp(x - m)
    for (size_t o = first; o < last; ++o)
        for (size_t i = 0; i < r.inner; ++i) {
            const size_t base = o * r.n * r.inner + i;
            float m = neg_inf;
            for (size_t k = 0; k < r.n; ++k) m = std::max(m, x[base + k * r.inner]);
            if (m == neg_inf) {  // every entry masked: no probability mass anywhere
                for (size_t k = 0; k < r.n; ++k) y[base + k * r.inner] = log ? neg_inf : 0.0f;
                continue;
            }
            for (size_t k = 0; k < r.n; ++k) e[k] = kernels::exp_shifted(x[base + k * r.inner] - m);
            double total = 0.0;  // (a separate loop: the double sum would stop the exps vectorising)
            for (size_t k = 0; k < r.n; ++k) total += e[k];
            const float log_total = float(std::log(total)), inv_total = float(1.0 / total);
            for (size_t k = 0; k < r.n; ++k)
                y[base + k * r.inner] = log ? (x[base + k * r.inner] - m) - log_total : e[k] * inv_total;
        }
}

// The outer slices are independent: the threads share them when there is enough work.
void softmax_rows(const Rows& r, const float* x, float* y, bool log) {
    parallel_for(r.outer, r.n * r.inner, [&](size_t first, size_t last) {
        softmax_slices(r, first, last, x, y, log);
    });
}
}  // namespace

// y = softmax(x):  dL/dxₖ = yₖ · (dL/dyₖ - Σⱼ dL/dyⱼ · yⱼ)
Tensor softmax(const Tensor& a, int dim) {
    check_defined("softmax", a);
    const Rows r = rows_along("softmax", a, dim);
    Tensor out = make_empty_result(a.shape(), "softmax", {a});
    softmax_rows(r, a.data(), out.data(), false);
    if (out.requires_grad())
        set_backward(out, [a, r](const Node& node) {
            bool fresh;
            float* ga = grad_data_fresh(a, fresh);
            const float* y = node.data.data();
            const float* g = node.grad.data();
            parallel_for(r.outer, r.n * r.inner, [&](size_t first, size_t last) {  // slices are independent
                for (size_t o = first; o < last; ++o)
                    for (size_t i = 0; i < r.inner; ++i) {
                        const size_t base = o * r.n * r.inner + i;
                        double dot = 0.0;
                        for (size_t k = 0; k < r.n; ++k) dot += double(g[base + k * r.inner]) * y[base + k * r.inner];
                        for (size_t k = 0; k < r.n; ++k) {
                            const size_t at = base + k * r.inner;
                            add_or_store(ga[at], y[at] * (g[at] - float(dot)), fresh);
                        }
                    }
            });
        });
    return out;
}

// y = log_softmax(x):  dL/dxₖ = dL/dyₖ - softmax(x)ₖ · Σⱼ dL/dyⱼ
Tensor log_softmax(const Tensor& a, int dim) {
    check_defined("log_softmax", a);
    const Rows r = rows_along("log_softmax", a, dim);
    Tensor out = make_empty_result(a.shape(), "log_softmax", {a});
    softmax_rows(r, a.data(), out.data(), true);
    if (out.requires_grad())
        set_backward(out, [a, r](const Node& node) {
            bool fresh;
            float* ga = grad_data_fresh(a, fresh);
            const float* y = node.data.data();
            const float* g = node.grad.data();
            parallel_for(r.outer, r.n * r.inner, [&](size_t first, size_t last) {  // slices are independent
                for (size_t o = first; o < last; ++o)
                    for (size_t i = 0; i < r.inner; ++i) {
                        const size_t base = o * r.n * r.inner + i;
                        double total = 0.0;
                        for (size_t k = 0; k < r.n; ++k) total += g[base + k * r.inner];
                        for (size_t k = 0; k < r.n; ++k) {
                            const size_t at = base + k * r.inner;
                            // a masked entry (y = -inf, probability 0) gets no gradient
                            add_or_store(ga[at], std::isinf(y[at]) ? 0.0f : g[at] - std::exp(y[at]) * float(total), fresh);
                        }
                    }
            });
        });
    return out;
}

}  // namespace tinyattn
