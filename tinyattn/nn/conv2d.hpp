// conv2d.hpp — nn::Conv2d: a bank of learned filters slid over an image (torch.nn.Conv2d).
//
//   y[n, o] = bias[o] + Σ_c weight[o, c] ⋆ x[n, c]      (⋆: 2-D cross-correlation, ops.hpp conv2d)
//
// Every output channel o is one kh × kw filter per input channel; the same filter is applied at
// every position, so a pattern (an edge, a colour blob) is found wherever it is in the image.
#pragma once
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class Conv2d : public Module {
public:
    // weight [out, in, k, k] and bias [out], uniform in ±1/√(in·k·k) as PyTorch initialises them.
    Conv2d(int in_channels, int out_channels, int kernel_size, int stride = 1, int padding = 0, bool bias = true,
           Rng& rng = global_rng());
    Tensor forward(const Tensor& x) const;  // [N, in, H, W] -> [N, out, Ho, Wo]

    int in_channels, out_channels, kernel_size, stride, padding;
    Tensor weight, bias;  // bias undefined when bias = false
};

}  // namespace tinyattn::nn
