// cosine_attention.cpp — content-based (cosine) scores with a learned sharpness β.
//
// No backward code: the scores are a chain of differentiable ops (mul, sum, sqrt, div, matmul,
// exp), each with its own rule.
#include "tinyattn/nn/cosine_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

namespace {
// x / ‖x‖ along the last dim, ‖x‖ = √(Σx² + 1e-8)
Tensor unit(const Tensor& x) { return div(x, sqrt(add(sum(mul(x, x), -1, true), 1e-8f))); }
}  // namespace

CosineAttention::CosineAttention(int d, float initial_beta) : dim(d) {
    if (d <= 0 || !(initial_beta > 0.0f))
        throw std::invalid_argument("CosineAttention: needs dim > 0 and initial_beta > 0, got " + std::to_string(d) +
                                    " and " + std::to_string(initial_beta));
    log_beta = full({1}, std::log(initial_beta));
    register_parameter("log_beta", log_beta);
}

float CosineAttention::beta() const { return std::exp(log_beta.item()); }

Tensor CosineAttention::score(const Tensor& query, const Tensor& keys) const {
    check_defined("CosineAttention", query);
    check_defined("CosineAttention", keys);
    if (query.dim() != 2 || query.size(1) != dim || keys.dim() != 3 || keys.size(0) != query.size(0) ||
        keys.size(2) != dim)
        throw std::invalid_argument("CosineAttention: needs query [B, " + std::to_string(dim) + "], keys [B, S, " +
                                    std::to_string(dim) + "], got " + shape_str(query.shape()) + ", " +
                                    shape_str(keys.shape()));
    const int B = keys.size(0), S = keys.size(1);
    // cos(s_t, h̄_s) for every s at once: [B, S, D]·[B, D, 1] of unit vectors
    const Tensor cosine = reshape(matmul(unit(keys), reshape(unit(query), {B, dim, 1})), {B, S});
    return mul(cosine, exp(log_beta));  // β · cos, β = exp(log_beta) [1] broadcasts
}

AttentionOutput CosineAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                         const Tensor& key_padding_mask) const {
    const Tensor scores = score(query, keys);
    check_defined("CosineAttention", values);
    if (values.dim() != 3 || values.size(0) != keys.size(0) || values.size(1) != keys.size(1))
        throw std::invalid_argument("CosineAttention: values must be [B, S, Dv] matching keys " +
                                    shape_str(keys.shape()) + ", got " + shape_str(values.shape()));
    check_key_padding_mask("CosineAttention", key_padding_mask, keys.size(0), keys.size(1));
    const Tensor weights = masked_softmax(scores, key_padding_mask);
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
