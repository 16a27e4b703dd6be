// conv2d.cpp — nn::Conv2d.
#include "tinyattn/nn/conv2d.hpp"

#include <cmath>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Conv2d::Conv2d(int in, int out, int k, int s, int p, bool with_bias, Rng& rng)
    : in_channels(in), out_channels(out), kernel_size(k), stride(s), padding(p) {
    // PyTorch: kaiming_uniform_(a=√5) over fan_in = in·k·k, i.e. U(-1/√fan_in, 1/√fan_in), bias alike.
    const float bound = 1.0f / std::sqrt(float(in * k * k));
    weight = uniform({out, in, k, k}, -bound, bound, rng);
    register_parameter("weight", weight);
    if (with_bias) {
        bias = uniform({out}, -bound, bound, rng);
        register_parameter("bias", bias);
    }
}

Tensor Conv2d::forward(const Tensor& x) const { return conv2d(x, weight, bias, stride, padding); }

}  // namespace tinyattn::nn
