// linear.hpp — nn::Linear: y = x·Wᵀ + b (torch.nn.Linear).
#pragma once
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class Linear : public Module {
public:
    // weight [out, in] and bias [out], both uniform in ±1/√in as PyTorch initialises them.
    Linear(int in_features, int out_features, bool bias = true, Rng& rng = global_rng());
    Tensor forward(const Tensor& x) const;   // [..., in] -> [..., out]

    int in_features, out_features;
    Tensor weight, bias;                     // bias undefined when bias = false
};

}  // namespace tinyattn::nn
