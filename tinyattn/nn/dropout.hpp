// dropout.hpp — nn::Dropout: zero activations at random while training (torch.nn.Dropout).
#pragma once
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class Dropout : public Module {
public:
    // p = probability of zeroing an element. Random draws come from `rng`
    // (the global generator by default, so manual_seed() makes a run repeatable).
    explicit Dropout(float p = 0.5f, Rng& rng = global_rng());
    // In training mode (train()): inverted dropout, survivors scaled by 1/(1-p).
    // In eval mode (eval()): the input unchanged.
    Tensor forward(const Tensor& x) const;

    float p;
private:
    Rng* rng_;
};

}  // namespace tinyattn::nn
