// local_m_attention.cpp — the general score inside a window at a given position.
#include "tinyattn/nn/local_m_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LocalMAttention::LocalMAttention(int dq, int dk, int d, Rng& rng) : query_dim(dq), key_dim(dk), window(d) {
    if (dq <= 0 || dk <= 0 || d < 0)
        throw std::invalid_argument("LocalMAttention: needs query_dim, key_dim > 0 and window >= 0, got " +
                                    std::to_string(dq) + ", " + std::to_string(dk) + ", " + std::to_string(d));
    const float bound = 1.0f / std::sqrt(float(dk));  // PyTorch's Linear init: U(±1/√in)
    W_a = uniform({dq, dk}, -bound, bound, rng);
    register_parameter("W_a", W_a);
}

Tensor LocalMAttention::window_mask(int B, int S, const Tensor& key_padding_mask, const std::vector<float>& centres) const {
    if (int(centres.size()) != B)
        throw std::invalid_argument("LocalMAttention: needs one centre p_t per batch row (" + std::to_string(B) +
                                    "), got " + std::to_string(centres.size()));
    Tensor mask = zeros({B, S});
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < S; ++s) {
            const bool padded = key_padding_mask.defined() && key_padding_mask.at({b, s}) != 0.0f;
            const bool outside = std::fabs(float(s) - centres[size_t(b)]) > float(window);
            mask.data()[size_t(b) * size_t(S) + size_t(s)] = padded || outside ? 1.0f : 0.0f;
        }
    return mask;
}

AttentionOutput LocalMAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                         const Tensor& key_padding_mask, const std::vector<float>& centres) const {
    check_defined("LocalMAttention", query);
    check_defined("LocalMAttention", keys);
    check_defined("LocalMAttention", values);
    if (query.dim() != 2 || query.size(1) != query_dim || keys.dim() != 3 || keys.size(0) != query.size(0) ||
        keys.size(2) != key_dim || values.dim() != 3 || values.size(0) != keys.size(0) || values.size(1) != keys.size(1))
        throw std::invalid_argument("LocalMAttention: needs query [B, " + std::to_string(query_dim) + "], keys [B, S, " +
                                    std::to_string(key_dim) + "], values [B, S, Dv], got " + shape_str(query.shape()) +
                                    ", " + shape_str(keys.shape()) + ", " + shape_str(values.shape()));
    check_key_padding_mask("LocalMAttention", key_padding_mask, keys.size(0), keys.size(1));
    const int B = keys.size(0), S = keys.size(1);
    // general: (W_a h̄_s) · h_t for every s, one batched product [B, S, Dq]·[B, Dq, 1]
    const Tensor scores = reshape(matmul(linear(keys, W_a, Tensor()), reshape(query, {B, query_dim, 1})), {B, S});
    const Tensor weights = masked_softmax(scores, window_mask(B, S, key_padding_mask, centres));
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
