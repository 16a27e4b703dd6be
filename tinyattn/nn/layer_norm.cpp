// layer_norm.cpp — nn::LayerNorm; the math and its backward live in ops/layer_norm.cpp.
#include "tinyattn/nn/layer_norm.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LayerNorm::LayerNorm(int d, float e) : normalized_shape(d), eps(e) {
    if (d <= 0) throw std::invalid_argument("LayerNorm: normalized_shape must be positive, got " + std::to_string(d));
    weight = ones({d});
    bias = zeros({d});
    register_parameter("weight", weight);
    register_parameter("bias", bias);
}

Tensor LayerNorm::forward(const Tensor& x) const {
    check_defined("LayerNorm", x);
    if (x.dim() < 1 || x.size(-1) != normalized_shape)
        throw std::invalid_argument("LayerNorm: input " + shape_str(x.shape()) + " does not end in " +
                                    std::to_string(normalized_shape));
    return layer_norm(x, weight, bias, eps);
}

}  // namespace tinyattn::nn
