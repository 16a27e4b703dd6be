// sgd.cpp — one SGD step, element by element, in the order torch.optim.SGD does it:
//
//     g ← ∇θ + λθ                          (weight decay λ, an L2 penalty ½λ‖θ‖²)
//     b ← g                                 on the first step (PyTorch starts the buffer at g)
//     b ← μb + (1 − τ)g                     afterwards (momentum μ, dampening τ)
//     g ← g + μb   (Nesterov)   or   g ← b  (classical momentum)
//     θ ← θ − lr·g
#include "tinyattn/optim/sgd.hpp"

#include <stdexcept>

namespace tinyattn::optim {

SGD::SGD(std::vector<Tensor> params, double lr, double momentum, double dampening, double weight_decay, bool nesterov)
    : Optimizer("SGD", std::move(params), lr),
      momentum(momentum),
      dampening(dampening),
      weight_decay(weight_decay),
      nesterov(nesterov),
      momentum_buffer_(params_.size()) {
    if (momentum < 0.0 || weight_decay < 0.0)
        throw std::invalid_argument("SGD: momentum and weight_decay must be >= 0");
    if (nesterov && (momentum <= 0.0 || dampening != 0.0))
        throw std::invalid_argument("SGD: Nesterov momentum requires a momentum and zero dampening");
}

void SGD::step() {
    const float lr = float(lr_), mu = float(momentum), wd = float(weight_decay);
    const float one_minus_tau = float(1.0 - dampening);
    for (size_t i = 0; i < params_.size(); ++i) {
        Tensor& p = params_[i];
        if (!p.has_grad()) continue;  // not used in this forward pass
        float* theta = p.data();
        const float* grad = p.grad_data();
        std::vector<float>& buf = momentum_buffer_[i];
        const bool first_step = buf.empty();
        if (momentum != 0.0 && first_step) buf.resize(p.numel());
        for (size_t j = 0; j < p.numel(); ++j) {
            float g = grad[j];
            if (weight_decay != 0.0) g = g + wd * theta[j];           // g ← ∇θ + λθ
            if (momentum != 0.0) {
                if (first_step) buf[j] = g;                             // b ← g
                else buf[j] = buf[j] * mu + one_minus_tau * g;          // b ← μb + (1 − τ)g
                g = nesterov ? g + mu * buf[j] : buf[j];                // g ← g + μb  |  g ← b
            }
            theta[j] = theta[j] - lr * g;                               // θ ← θ − lr·g
        }
    }
}

void SGD::save_state(OptimizerState& state) const {
    state.scalars["momentum"] = format_double(momentum);
    state.scalars["dampening"] = format_double(dampening);
    state.scalars["weight_decay"] = format_double(weight_decay);
    state.scalars["nesterov"] = nesterov ? "1" : "0";
    export_buffers(state, "momentum_buffer", momentum_buffer_);
}

void SGD::load_state(const OptimizerState& state) {
    const double mu = scalar_value(state, "momentum"), tau = scalar_value(state, "dampening");
    const double wd = scalar_value(state, "weight_decay"), nest = scalar_value(state, "nesterov");
    std::vector<std::vector<float>> buffers = import_buffers(state, "momentum_buffer");
    momentum = mu;  // nothing above threw: commit
    dampening = tau;
    weight_decay = wd;
    nesterov = nest != 0.0;
    momentum_buffer_ = std::move(buffers);
}

}  // namespace tinyattn::optim
