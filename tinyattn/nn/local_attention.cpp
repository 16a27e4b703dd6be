// local_attention.cpp — Luong local-p: predicted centre, hard window, Gaussian weighting.
#include "tinyattn/nn/local_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LocalAttention::LocalAttention(int dq, int dk, int d, int dp, Rng& rng)
    : query_dim(dq), key_dim(dk), window(d), W_p(dq, dp, false, rng), v_p(dp, 1, false, rng), W_a(dk, dq, false, rng) {
    if (d < 1) throw std::invalid_argument("LocalAttention: window must be >= 1, got " + std::to_string(d));
    register_module("W_p", W_p);
    register_module("v_p", v_p);
    register_module("W_a", W_a);
}

Tensor LocalAttention::predict_position(const Tensor& query, int S, const Tensor& key_padding_mask) const {
    check_defined("LocalAttention", query);
    if (query.dim() != 2 || query.size(1) != query_dim)
        throw std::invalid_argument("LocalAttention: query must be [B, " + std::to_string(query_dim) + "], got " +
                                    shape_str(query.shape()));
    const int B = query.size(0);
    check_key_padding_mask("LocalAttention", key_padding_mask, B, S);
    Tensor lengths = full({B, 1}, float(S));  // true source length of each row
    if (key_padding_mask.defined())
        for (int b = 0; b < B; ++b)
            for (int s = 0; s < S; ++s) lengths.data()[b] -= key_padding_mask.data()[size_t(b) * size_t(S) + size_t(s)];
    return mul(lengths, sigmoid(v_p.forward(tanh(W_p.forward(query)))));  // p_t = S · sigmoid(v_pᵀ tanh(W_p h_t))
}

AttentionOutput LocalAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                        const Tensor& key_padding_mask) const {
    check_defined("LocalAttention", keys);
    check_defined("LocalAttention", values);
    if (keys.dim() != 3 || keys.size(2) != key_dim || values.dim() != 3 || values.size(0) != keys.size(0) ||
        values.size(1) != keys.size(1) || query.dim() != 2 || query.size(0) != keys.size(0))
        throw std::invalid_argument("LocalAttention: needs query [B, Dq], keys [B, S, " + std::to_string(key_dim) +
                                    "], values [B, S, Dv], got " + shape_str(query.shape()) + ", " +
                                    shape_str(keys.shape()) + ", " + shape_str(values.shape()));
    const int B = keys.size(0), S = keys.size(1);
    const Tensor p = predict_position(query, S, key_padding_mask);  // [B, 1]

    // The window: position s is kept when |s - p_t| ≤ D and it is not padding.
    Tensor outside = zeros({B, S});
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < S; ++s) {
            const size_t at = size_t(b) * size_t(S) + size_t(s);
            const bool padded = key_padding_mask.defined() && key_padding_mask.data()[at] != 0.0f;
            outside.data()[at] = (padded || std::fabs(float(s) - p.data()[b]) > float(window)) ? 1.0f : 0.0f;
        }
    // align: the general score h_tᵀ W_a h̄_s, softmax over the window only.
    const Tensor scores = reshape(matmul(W_a.forward(keys), reshape(query, {B, query_dim, 1})), {B, S});
    const Tensor align = masked_softmax(scores, outside);
    // Gaussian centred on p_t with σ = D/2:  exp(-(s - p_t)² / (2σ²)) = exp(-2 (s - p_t)² / D²)
    Tensor positions = zeros({1, S});
    for (int s = 0; s < S; ++s) positions.data()[s] = float(s);
    const Tensor distance = sub(positions, p);  // [B, S]
    const Tensor gaussian = exp(mul(mul(distance, distance), -2.0f / float(window * window)));
    const Tensor weights = mul(align, gaussian);
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
