// layer_norm.cpp — layer normalisation over the last dim (Ba et al. 2016).
//
// For each row x of D numbers:  μ = mean(x),  σ² = mean((x-μ)²),  x̂ = (x-μ)/√(σ²+ε),
//                               y = x̂ · weight + bias
#include <cmath>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

Tensor layer_norm(const Tensor& a, const Tensor& weight, const Tensor& bias, float eps) {
    check_defined("layer_norm", a);
    if (a.dim() < 1) throw std::invalid_argument("layer_norm: input must have at least one dim");
    const size_t D = size_t(a.size(-1)), rows = a.numel() / std::max<size_t>(D, 1);
    for (const Tensor* p : {&weight, &bias})
        if (p->defined() && p->shape() != Shape{int(D)})
            throw std::invalid_argument("layer_norm: weight/bias shape " + shape_str(p->shape()) +
                                        " does not match the last dim of input " + shape_str(a.shape()));
    std::vector<Tensor> parents{a};
    if (weight.defined()) parents.push_back(weight);
    if (bias.defined()) parents.push_back(bias);
    Tensor out = make_empty_result(a.shape(), "layer_norm", parents);
    FloatBuffer xhat(a.numel()), rstd(rows);  // kept for backward; written below, not zero-filled first
    // weight = 1 and bias = 0 when absent: one array each, so the row loops have no branches
    const std::vector<float> w = weight.defined() ? weight.to_vector() : std::vector<float>(D, 1.0f);
    const std::vector<float> b = bias.defined() ? bias.to_vector() : std::vector<float>(D, 0.0f);
    float* y = out.data();
    const float* input = a.data();
    parallel_for(rows, D, [&](size_t first, size_t last) {  // rows are independent: threads share them
        for (size_t r = first; r < last; ++r) {
            const float* x = input + r * D;
            double mu = 0.0, var = 0.0;
            for (size_t j = 0; j < D; ++j) mu += x[j];
            mu /= double(D);
            for (size_t j = 0; j < D; ++j) var += (x[j] - mu) * (x[j] - mu);
            var /= double(D);  // the biased variance, as PyTorch's LayerNorm uses
            const float rs = rstd[r] = float(1.0 / std::sqrt(var + double(eps)));
            float* h = xhat.data() + r * D;
#pragma omp simd
            for (size_t j = 0; j < D; ++j) {
                h[j] = float(x[j] - mu) * rs;  // x - μ in double: inputs with a large offset keep their digits
                y[r * D + j] = h[j] * w[j] + b[j];
            }
        }
    });
    if (out.requires_grad())  // (moved into the rule, not copied: x̂ is as big as the input)
        set_backward(out, [a, weight, bias, w, xhat = std::move(xhat), rstd = std::move(rstd), D, rows](const Node& node) {
            const float* g = node.grad.data();
            // dL/dweight = Σ_rows dL/dy · x̂      dL/dbias = Σ_rows dL/dy
            if (weight.defined() && weight.requires_grad()) {
                float* gw = weight.grad_data();
                for (size_t r = 0; r < rows; ++r)
                    for (size_t j = 0; j < D; ++j) gw[j] += g[r * D + j] * xhat[r * D + j];
            }
            if (bias.defined() && bias.requires_grad()) {
                float* gb = bias.grad_data();
                for (size_t r = 0; r < rows; ++r)
                    for (size_t j = 0; j < D; ++j) gb[j] += g[r * D + j];
            }
            if (!a.requires_grad()) return;
            // With ĝ = dL/dx̂ = dL/dy · weight:
            //   dL/dx = (1/σ) · (ĝ - mean(ĝ) - x̂ · mean(ĝ · x̂))
            bool fresh;
            float* ga = grad_data_fresh(a, fresh);
            parallel_for(rows, D, [&](size_t first, size_t last) {
                std::vector<float> gh(D);
                for (size_t r = first; r < last; ++r) {
                    double mean_g = 0.0, mean_gx = 0.0;
                    for (size_t j = 0; j < D; ++j) {
                        gh[j] = g[r * D + j] * w[j];
                        mean_g += gh[j];
                        mean_gx += double(gh[j]) * xhat[r * D + j];
                    }
                    const float mg = float(mean_g / double(D)), mgx = float(mean_gx / double(D)), rs = rstd[r];
#pragma omp simd
                    for (size_t j = 0; j < D; ++j)
                        add_or_store(ga[r * D + j], rs * (gh[j] - mg - xhat[r * D + j] * mgx), fresh);
                }
            });
        });
    return out;
}

}  // namespace tinyattn
