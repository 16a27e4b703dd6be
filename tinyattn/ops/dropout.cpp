// dropout.cpp — inverted dropout (Srivastava et al. 2014).
//
// In training each element is kept with probability 1-p and scaled by 1/(1-p), so the
// expected value is unchanged and evaluation needs no rescaling at all.
#include "tinyattn/autograd.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// y = x · m / (1-p), m ~ Bernoulli(1-p):  dL/dx = dL/dy · m / (1-p)
Tensor dropout(const Tensor& a, float p, bool training, Rng& rng) {
    check_defined("dropout", a);
    if (p < 0.0f || p >= 1.0f)
        throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
    if (!training || p == 0.0f) return a;
    std::vector<float> scale(a.numel());  // m / (1-p) for each element
    for (float& s : scale) s = rng.uniform() < p ? 0.0f : 1.0f / (1.0f - p);
    Tensor out = make_result(a.shape(), "dropout", {a});
    for (size_t i = 0; i < a.numel(); ++i) out.data()[i] = a.data()[i] * scale[i];
    if (out.requires_grad())
        set_backward(out, [a, scale](const Node& node) {
            float* ga = a.grad_data();
            for (size_t i = 0; i < scale.size(); ++i) ga[i] += node.grad[i] * scale[i];
        });
    return out;
}

}  // namespace tinyattn
