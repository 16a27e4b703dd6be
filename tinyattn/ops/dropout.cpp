// dropout.cpp — inverted dropout (Srivastava et al. 2014).
//
// In training each element is kept with probability 1-p and scaled by 1/(1-p), so the
// expected value is unchanged and evaluation needs no rescaling at all.
#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// y = x · m / (1-p), m ~ Bernoulli(1-p):  dL/dx = dL/dy · m / (1-p)
Tensor dropout(const Tensor& a, float p, bool training, Rng& rng) {
    check_defined("dropout", a);
    if (p < 0.0f || p >= 1.0f)
        throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
    if (!training || p == 0.0f) return a;
    FloatBuffer scale(a.numel());  // m / (1-p) for each element, drawn in order on one thread
    for (float& s : scale) s = rng.uniform() < p ? 0.0f : 1.0f / (1.0f - p);
    Tensor out = make_empty_result(a.shape(), "dropout", {a});
    const float* x = a.data();
    float* y = out.data();
    const float* m = scale.data();
    parallel_for(scale.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
        for (size_t i = begin; i < end; ++i) y[i] = x[i] * m[i];
    });
    if (out.requires_grad())
        set_backward(out, [a, scale = std::move(scale)](const Node& node) {
            bool fresh;
            float* ga = grad_data_fresh(a, fresh);
            const float* g = node.grad.data();
            const float* m = scale.data();
            parallel_for(scale.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(ga[i], g[i] * m[i], fresh);
            });
        });
    return out;
}

}  // namespace tinyattn
