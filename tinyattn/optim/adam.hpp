// adam.hpp — Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), with the
// formulas of torch.optim.Adam / torch.optim.AdamW (bias correction included).
//
// The two differ only in weight decay. Adam adds λθ to the gradient (an L2 penalty, which
// then gets divided by √v like the rest of the gradient); AdamW shrinks the weights
// directly, θ ← θ − lr·λ·θ, "decoupled" from the adaptive step.
#pragma once
#include "tinyattn/optim/optimizer.hpp"

namespace tinyattn::optim {

class Adam : public Optimizer {
public:
    Adam(std::vector<Tensor> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
         double weight_decay = 0.0);
    void step() override;

    double beta1, beta2, eps, weight_decay;

    // Read-only views of the state (tests and curious learners): steps taken by parameter i,
    // and its first and second moment estimates m and v (empty before its first step).
    long step_count(size_t i) const { return steps_.at(i); }
    const std::vector<float>& exp_avg(size_t i) const { return exp_avg_.at(i); }
    const std::vector<float>& exp_avg_sq(size_t i) const { return exp_avg_sq_.at(i); }

protected:
    Adam(const char* type, bool decoupled_weight_decay, std::vector<Tensor> params, double lr, double beta1,
         double beta2, double eps, double weight_decay);
    void save_state(OptimizerState& state) const override;
    void load_state(const OptimizerState& state) override;
    std::vector<std::string> buffer_names() const override { return {"exp_avg", "exp_avg_sq"}; }

private:
    bool decoupled_;                               // true for AdamW
    std::vector<long> steps_;                      // per parameter (PyTorch keeps one per parameter too)
    std::vector<std::vector<float>> exp_avg_;      // m: running mean of the gradient
    std::vector<std::vector<float>> exp_avg_sq_;   // v: running mean of the squared gradient
};

class AdamW : public Adam {
public:
    AdamW(std::vector<Tensor> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
          double weight_decay = 1e-2);
};

}  // namespace tinyattn::optim
