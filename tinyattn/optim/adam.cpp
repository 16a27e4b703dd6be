// adam.cpp — one Adam/AdamW step, in the order torch.optim.Adam(W) computes it.
// For parameter θ with gradient g, at step t (counted per parameter, from 1):
//
//     θ ← θ − lr·λ·θ                        (AdamW only: decoupled weight decay)
//     g ← g + λθ                            (Adam only: L2 weight decay)
//     m ← β₁m + (1 − β₁)g                   first moment (running mean)
//     v ← β₂v + (1 − β₂)g²                  second moment (running uncentred variance)
//     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
//
// The last line is the bias-corrected update m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ) and
// v̂ = v/(1 − β₂ᵗ), arranged as PyTorch arranges it (m and v start at zero, so without the
// correction the first steps would be far too small). Scalars are computed in double, as
// PyTorch computes them in Python; the per-element math is float32 like torch's tensors.
#include "tinyattn/optim/adam.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/kernels/parallel.hpp"

namespace tinyattn::optim {

Adam::Adam(std::vector<Tensor> params, double lr, double beta1, double beta2, double eps, double weight_decay)
    : Adam("Adam", false, std::move(params), lr, beta1, beta2, eps, weight_decay) {}

AdamW::AdamW(std::vector<Tensor> params, double lr, double beta1, double beta2, double eps, double weight_decay)
    : Adam("AdamW", true, std::move(params), lr, beta1, beta2, eps, weight_decay) {}

Adam::Adam(const char* type, bool decoupled_weight_decay, std::vector<Tensor> params, double lr, double beta1,
           double beta2, double eps, double weight_decay)
    : Optimizer(type, std::move(params), lr),
      beta1(beta1),
      beta2(beta2),
      eps(eps),
      weight_decay(weight_decay),
      decoupled_(decoupled_weight_decay),
      steps_(params_.size(), 0),
      exp_avg_(params_.size()),
      exp_avg_sq_(params_.size()) {
    if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0))
        throw std::invalid_argument(type_ + ": betas must be in [0, 1), got (" + std::to_string(beta1) + ", " +
                                    std::to_string(beta2) + ")");
    if (!(eps >= 0.0) || !(weight_decay >= 0.0))
        throw std::invalid_argument(type_ + ": eps and weight_decay must be >= 0");
}

void Adam::step() {
    const float b1 = float(beta1), b2 = float(beta2), wd = float(weight_decay);
    const float one_minus_b1 = float(1.0 - beta1), one_minus_b2 = float(1.0 - beta2);
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor& p = params_[i];
        if (!p.has_grad()) continue;  // not used in this forward pass
        if (steps_[i] == 0) {
            exp_avg_[i].assign(p.numel(), 0.0f);     // m₀ = 0
            exp_avg_sq_[i].assign(p.numel(), 0.0f);  // v₀ = 0
        }
        const long t = ++steps_[i];
        const double bias_correction1 = 1.0 - std::pow(beta1, double(t));   // 1 − β₁ᵗ
        const double bias_correction2 = 1.0 - std::pow(beta2, double(t));   // 1 − β₂ᵗ
        const float step_size = float(lr_ / bias_correction1);               // lr / (1 − β₁ᵗ)
        const float bias_correction2_sqrt = float(std::sqrt(bias_correction2));
        const float decay = float(1.0 - lr_ * weight_decay);                 // AdamW: 1 − lr·λ
        const float e = float(eps);

        float* theta = p.data();
        const float* grad = p.grad_data();
        float* m = exp_avg_[i].data();
        float* v = exp_avg_sq_[i].data();
        const size_t n = p.numel();  // read once: a call in the loop condition stops vectorisation
        // Both kinds of weight decay as multipliers, so the loop has no branch and vectorises:
        // AdamW shrinks θ by `decay` (Adam: × 1), Adam adds l2·θ to g (AdamW and λ = 0: + 0·θ).
        const float decay_theta = decoupled_ ? decay : 1.0f;
        const float l2 = decoupled_ ? 0.0f : wd;
        parallel_for(n, 1, [=](size_t begin, size_t end) {  // every element on its own: threads share them
            for (size_t j = begin; j < end; ++j) {
                const float g = grad[j] + l2 * theta[j];                        // g ← g + λθ (Adam)
                theta[j] = theta[j] * decay_theta;                              // θ ← θ − lr·λ·θ (AdamW)
                m[j] = m[j] * b1 + one_minus_b1 * g;                            // m ← β₁m + (1 − β₁)g
                v[j] = v[j] * b2 + one_minus_b2 * (g * g);                      // v ← β₂v + (1 − β₂)g²
                const float denom = std::sqrt(v[j]) / bias_correction2_sqrt + e; // √v / √(1 − β₂ᵗ) + ε
                theta[j] = theta[j] - step_size * (m[j] / denom);               // θ ← θ − step_size·m/denom
            }
        });
    }
}

void Adam::save_state(OptimizerState& state) const {
    state.scalars["beta1"] = format_double(beta1);
    state.scalars["beta2"] = format_double(beta2);
    state.scalars["eps"] = format_double(eps);
    state.scalars["weight_decay"] = format_double(weight_decay);
    for (size_t i = 0; i < params_.size(); ++i)
        if (steps_[i] > 0) state.scalars[std::to_string(i) + ".step"] = std::to_string(steps_[i]);
    export_buffers(state, "exp_avg", exp_avg_);
    export_buffers(state, "exp_avg_sq", exp_avg_sq_);
}

void Adam::load_state(const OptimizerState& state) {
    const double b1 = scalar_value(state, "beta1"), b2 = scalar_value(state, "beta2");
    const double e = scalar_value(state, "eps"), wd = scalar_value(state, "weight_decay");
    std::vector<std::vector<float>> m = import_buffers(state, "exp_avg");
    std::vector<std::vector<float>> v = import_buffers(state, "exp_avg_sq");
    std::vector<long> steps(params_.size(), 0);
    for (size_t i = 0; i < params_.size(); ++i) {
        const bool has_moments = !m[i].empty() && !v[i].empty();
        if (has_moments) {
            const double t = scalar_value(state, std::to_string(i) + ".step");
            if (!(t >= 1.0 && t == std::floor(t) && t < 9e15))
                throw std::runtime_error(type_ + ".load_state_dict: '" + std::to_string(i) + ".step' is not a step count");
            steps[i] = long(t);
        } else if (!m[i].empty() || !v[i].empty()) {
            throw std::runtime_error(type_ + ".load_state_dict: parameter " + std::to_string(i) +
                                     " has only one of exp_avg and exp_avg_sq");
        }
    }
    beta1 = b1;  // nothing above threw: commit
    beta2 = b2;
    eps = e;
    weight_decay = wd;
    steps_ = std::move(steps);
    exp_avg_ = std::move(m);
    exp_avg_sq_ = std::move(v);
}

}  // namespace tinyattn::optim
