// linear.cpp — nn::Linear.
#include "tinyattn/nn/linear.hpp"

#include <cmath>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Linear::Linear(int in, int out, bool with_bias, Rng& rng) : in_features(in), out_features(out) {
    // PyTorch: kaiming_uniform_(a=√5) for the weight, which works out to U(-1/√in, 1/√in),
    // and the same bound for the bias.
    const float bound = 1.0f / std::sqrt(float(in));
    weight = uniform({out, in}, -bound, bound, rng);
    register_parameter("weight", weight);
    if (with_bias) {
        bias = uniform({out}, -bound, bound, rng);
        register_parameter("bias", bias);
    }
}

Tensor Linear::forward(const Tensor& x) const { return linear(x, weight, bias); }

}  // namespace tinyattn::nn
