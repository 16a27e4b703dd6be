// sgd.hpp — stochastic gradient descent with momentum, dampening, Nesterov and L2 weight
// decay (torch.optim.SGD, same formulas and the same first-step momentum buffer).
#pragma once
#include "tinyattn/optim/optimizer.hpp"

namespace tinyattn::optim {

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor> params, double lr, double momentum = 0.0, double dampening = 0.0,
        double weight_decay = 0.0, bool nesterov = false);
    void step() override;

    double momentum, dampening, weight_decay;
    bool nesterov;

protected:
    void save_state(OptimizerState& state) const override;
    void load_state(const OptimizerState& state) override;
    std::vector<std::string> buffer_names() const override { return {"momentum_buffer"}; }

private:
    std::vector<std::vector<float>> momentum_buffer_;  // per parameter; empty until its first step
};

}  // namespace tinyattn::optim
