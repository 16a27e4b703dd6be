// attention_pooling.cpp — Lin et al. (2017) self-attentive pooling and its penalty.
#include "tinyattn/nn/attention_pooling.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

AttentionPooling::AttentionPooling(int h, int da, int r, bool bias, Rng& rng)
    : hidden_dim(h), attn_dim(da), hops(r), W_s1(h, da, bias, rng), W_s2(da, r, false, rng) {
    if (r < 1) throw std::invalid_argument("AttentionPooling: hops must be >= 1, got " + std::to_string(r));
    register_module("W_s1", W_s1);
    register_module("W_s2", W_s2);
}

AttentionOutput AttentionPooling::forward(const Tensor& H, const Tensor& key_padding_mask) const {
    check_defined("AttentionPooling", H);
    if (H.dim() != 3 || H.size(2) != hidden_dim)
        throw std::invalid_argument("AttentionPooling: H must be [B, T, " + std::to_string(hidden_dim) + "], got " +
                                    shape_str(H.shape()));
    const int B = H.size(0), T = H.size(1);
    check_key_padding_mask("AttentionPooling", key_padding_mask, B, T);
    // scores [B, T, r] -> [B, r, T]: one row per hop, softmax over the words
    const Tensor scores = transpose(W_s2.forward(tanh(W_s1.forward(H))), 1, 2);
    const Tensor A = masked_softmax(scores, key_padding_mask.defined() ? reshape(key_padding_mask, {B, 1, T}) : Tensor());
    return {weighted_sum(A, H), A};  // M = A H
}

Tensor attention_penalty(const Tensor& weights) {
    check_defined("attention_penalty", weights);
    if (weights.dim() != 3)
        throw std::invalid_argument("attention_penalty: weights must be [B, r, T], got " + shape_str(weights.shape()));
    const int B = weights.size(0), r = weights.size(1);
    Tensor identity = zeros({r, r});
    for (int i = 0; i < r; ++i) identity.data()[i * r + i] = 1.0f;
    const Tensor diff = sub(matmul(weights, transpose(weights, 1, 2)), identity);  // A Aᵀ − I   [B, r, r]
    return div(sum(mul(diff, diff)), scalar(float(B)));                          // Σ squares / B
}

}  // namespace tinyattn::nn
