// attention.cpp — the masking rule and the weighted sum shared by every attention module.
#include "tinyattn/nn/attention.hpp"

#include <limits>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Tensor masked_softmax(const Tensor& scores, const Tensor& mask) {
    if (!mask.defined()) return softmax(scores, -1);
    // -inf, not a large negative number: exp(-inf) is exactly 0, so masked keys get weight 0.
    return softmax(masked_fill(scores, mask, -std::numeric_limits<float>::infinity()), -1);
}

Tensor weighted_sum(const Tensor& weights, const Tensor& values) {
    if (weights.dim() == 2) {  // [B, S] -> [B, 1, S] · [B, S, Dv] -> [B, 1, Dv] -> [B, Dv]
        const int B = weights.size(0);
        return reshape(matmul(reshape(weights, {B, 1, weights.size(1)}), values), {B, values.size(-1)});
    }
    return matmul(weights, values);  // [B, R, S] · [B, S, Dv] -> [B, R, Dv]
}

void check_key_padding_mask(const char* who, const Tensor& mask, int batch, int source_len) {
    if (mask.defined() && mask.shape() != Shape{batch, source_len})
        throw std::invalid_argument(std::string(who) + ": key_padding_mask must be [" + std::to_string(batch) +
                                    ", " + std::to_string(source_len) + "] (1 = padded), got " +
                                    shape_str(mask.shape()));
}

}  // namespace tinyattn::nn
