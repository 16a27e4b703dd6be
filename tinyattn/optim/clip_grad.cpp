// clip_grad.cpp — see clip_grad.hpp for the formula.
#include "tinyattn/optim/clip_grad.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tinyattn::optim {

// The plain definition: ‖g‖ = √(Σ g²), one running sum over every element of every gradient,
// in double (thousands of small squares lose bits in float).
double total_grad_norm_reference(const std::vector<Tensor>& params) {
    double sum_sq = 0.0;
    for (const Tensor& p : params) {
        if (!p.has_grad()) continue;
        const float* g = p.grad_data();
        const size_t n = p.numel();
        for (size_t j = 0; j < n; ++j) sum_sq += double(g[j]) * double(g[j]);
    }
    return std::sqrt(sum_sq);
}

// The same sum in eight partial sums (element j goes to sum j mod 8): one chain of a million
// dependent additions would wait on each addition before starting the next.
double total_grad_norm(const std::vector<Tensor>& params) {
    double partial[8] = {};
    for (const Tensor& p : params) {
        if (!p.has_grad()) continue;
        const float* g = p.grad_data();
        const size_t n = p.numel();  // read once: numel() in the loop condition was a call per element
        size_t j = 0;
        for (; j + 8 <= n; j += 8)
            for (size_t k = 0; k < 8; ++k) partial[k] += double(g[j + k]) * double(g[j + k]);
        for (; j < n; ++j) partial[j % 8] += double(g[j]) * double(g[j]);
    }
    double sum_sq = 0.0;
    for (const double s : partial) sum_sq += s;
    return std::sqrt(sum_sq);
}

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm) {
    if (!(max_norm > 0.0))
        throw std::invalid_argument("clip_grad_norm: max_norm must be > 0, got " + std::to_string(max_norm));
    const double total_norm = total_grad_norm(params);            // ‖g‖
    const double clip_coef = max_norm / (total_norm + 1e-6);    // max_norm / (‖g‖ + 1e-6)
    if (clip_coef < 1.0) {                                       // PyTorch clamps the coefficient at 1
        const float c = float(clip_coef);
        for (const Tensor& p : params) {
            if (!p.has_grad()) continue;
            float* g = p.grad_data();
            const size_t n = p.numel();
            for (size_t j = 0; j < n; ++j) g[j] = g[j] * c;   // g ← g · coef
        }
    }
    return total_norm;
}

}  // namespace tinyattn::optim
