// layer_norm.hpp — nn::LayerNorm: normalise each vector over its last dim (torch.nn.LayerNorm).
#pragma once
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class LayerNorm : public Module {
public:
    // weight [D] = ones and bias [D] = zeros, as PyTorch initialises them.
    explicit LayerNorm(int normalized_shape, float eps = 1e-5f);
    // x [..., D]: y = (x - mean) / √(var + eps) · weight + bias, statistics over the last dim
    Tensor forward(const Tensor& x) const;

    int normalized_shape;
    float eps;
    Tensor weight, bias;
};

}  // namespace tinyattn::nn
