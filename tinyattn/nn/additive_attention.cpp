// additive_attention.cpp — Bahdanau attention from ops: linear, tanh, masked softmax, matmul.
#include "tinyattn/nn/additive_attention.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

AdditiveAttention::AdditiveAttention(int dq, int dk, int da, Rng& rng)
    : query_dim(dq), key_dim(dk), attn_dim(da), W_q(dq, da, false, rng), W_k(dk, da, true, rng), v(da, 1, false, rng) {
    register_module("W_q", W_q);
    register_module("W_k", W_k);
    register_module("v", v);
}

Tensor AdditiveAttention::precompute_keys(const Tensor& keys) const {
    check_defined("AdditiveAttention", keys);
    if (keys.dim() != 3 || keys.size(2) != key_dim)
        throw std::invalid_argument("AdditiveAttention: keys must be [B, S, " + std::to_string(key_dim) + "], got " +
                                    shape_str(keys.shape()));
    return W_k.forward(keys);
}

AttentionOutput AdditiveAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                           const Tensor& key_padding_mask) const {
    return forward_precomputed(query, precompute_keys(keys), values, key_padding_mask);
}

AttentionOutput AdditiveAttention::forward_precomputed(const Tensor& query, const Tensor& projected_keys,
                                                       const Tensor& values, const Tensor& key_padding_mask) const {
    check_defined("AdditiveAttention", query);
    check_defined("AdditiveAttention", values);
    const int B = projected_keys.size(0), S = projected_keys.size(1);
    if (query.shape() != Shape{B, query_dim} || projected_keys.shape() != Shape{B, S, attn_dim} ||
        values.dim() != 3 || values.size(0) != B || values.size(1) != S)
        throw std::invalid_argument("AdditiveAttention: needs query [B, " + std::to_string(query_dim) +
                                    "], projected keys [B, S, " + std::to_string(attn_dim) +
                                    "], values [B, S, Dv], got " + shape_str(query.shape()) + ", " +
                                    shape_str(projected_keys.shape()) + ", " + shape_str(values.shape()));
    check_key_padding_mask("AdditiveAttention", key_padding_mask, B, S);
    // e_j = vᵀ tanh(W_q q + W_k k_j) for every j at once [B, S]: one fused op
    // (ops/additive_scores.cpp) instead of add-broadcast, tanh, Linear(A, 1) and reshapes.
    const Tensor scores = additive_scores(W_q.forward(query), projected_keys, v.weight);
    const Tensor weights = masked_softmax(scores, key_padding_mask);  // α over the S positions
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
