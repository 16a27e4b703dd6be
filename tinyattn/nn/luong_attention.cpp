// luong_attention.cpp — the three global scores of Luong et al. (2015).
#include "tinyattn/nn/luong_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

namespace {
Tensor linear_weight(int out, int in, Rng& rng) {  // PyTorch's Linear init: U(±1/√in)
    const float bound = 1.0f / std::sqrt(float(in));
    return uniform({out, in}, -bound, bound, rng);
}
}  // namespace

LuongAttention::LuongAttention(LuongScore s, int dq, int dk, int da, Rng& rng)
    : score_kind(s), query_dim(dq), key_dim(dk), attn_dim(da) {
    if (s == LuongScore::dot && dq != dk)
        throw std::invalid_argument("LuongAttention: the dot score needs query_dim == key_dim, got " +
                                    std::to_string(dq) + " and " + std::to_string(dk));
    if (s == LuongScore::concat && da <= 0)
        throw std::invalid_argument("LuongAttention: the concat score needs attn_dim > 0");
    if (s == LuongScore::general) {
        W_a = linear_weight(dq, dk, rng);
        register_parameter("W_a", W_a);
    }
    if (s == LuongScore::concat) {
        W_a = linear_weight(da, dq + dk, rng);
        v_a = linear_weight(1, da, rng);
        register_parameter("W_a", W_a);
        register_parameter("v_a", v_a);
    }
}

Tensor LuongAttention::score(const Tensor& query, const Tensor& keys) const {
    check_defined("LuongAttention", query);
    check_defined("LuongAttention", keys);
    if (query.dim() != 2 || query.size(1) != query_dim || keys.dim() != 3 || keys.size(0) != query.size(0) ||
        keys.size(2) != key_dim)
        throw std::invalid_argument("LuongAttention: needs query [B, " + std::to_string(query_dim) + "], keys [B, S, " +
                                    std::to_string(key_dim) + "], got " + shape_str(query.shape()) + ", " +
                                    shape_str(keys.shape()));
    const int B = keys.size(0), S = keys.size(1);
    if (score_kind == LuongScore::concat) {
        // W_a [q; k] = W_a[:, :Dq] q + W_a[:, Dq:] k — the same product without building [q; k] for every s.
        const Tensor wq = linear(query, narrow(W_a, 1, 0, query_dim), Tensor());        // [B, A]
        const Tensor wk = linear(keys, narrow(W_a, 1, query_dim, key_dim), Tensor());   // [B, S, A]
        const Tensor energy = tanh(add(reshape(wq, {B, 1, attn_dim}), wk));
        return reshape(linear(energy, v_a, Tensor()), {B, S});                         // v_aᵀ tanh(...)
    }
    // dot: h̄_s · h_t;  general: (W_a h̄_s) · h_t — one batched product [B, S, Dq]·[B, Dq, 1]
    const Tensor k = score_kind == LuongScore::general ? linear(keys, W_a, Tensor()) : keys;
    return reshape(matmul(k, reshape(query, {B, query_dim, 1})), {B, S});
}

AttentionOutput LuongAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                        const Tensor& key_padding_mask) const {
    const Tensor scores = score(query, keys);
    check_defined("LuongAttention", values);
    if (values.dim() != 3 || values.size(0) != keys.size(0) || values.size(1) != keys.size(1))
        throw std::invalid_argument("LuongAttention: values must be [B, S, Dv] matching keys " +
                                    shape_str(keys.shape()) + ", got " + shape_str(values.shape()));
    check_key_padding_mask("LuongAttention", key_padding_mask, keys.size(0), keys.size(1));
    const Tensor weights = masked_softmax(scores, key_padding_mask);
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
