// location_attention.cpp — a_t = softmax(W_a h_t): attention by position, not by content.
#include "tinyattn/nn/location_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LocationAttention::LocationAttention(int dq, int max_len, Rng& rng) : query_dim(dq), max_source_len(max_len) {
    if (dq <= 0 || max_len <= 0)
        throw std::invalid_argument("LocationAttention: needs query_dim > 0 and max_source_len > 0, got " +
                                    std::to_string(dq) + " and " + std::to_string(max_len));
    const float bound = 1.0f / std::sqrt(float(dq));  // PyTorch's Linear init: U(±1/√in)
    W_a = uniform({max_len, dq}, -bound, bound, rng);
    register_parameter("W_a", W_a);
}

Tensor LocationAttention::score(const Tensor& query, int source_len) const {
    check_defined("LocationAttention", query);
    if (query.dim() != 2 || query.size(1) != query_dim)
        throw std::invalid_argument("LocationAttention: needs query [B, " + std::to_string(query_dim) + "], got " +
                                    shape_str(query.shape()));
    if (source_len < 1 || source_len > max_source_len)
        throw std::invalid_argument("LocationAttention: a source of " + std::to_string(source_len) +
                                    " positions, but W_a has rows for " + std::to_string(max_source_len) +
                                    " (max_source_len)");
    // W_a h_t for the first S positions only: the rows of W_a past S belong to longer sentences
    return linear(query, narrow(W_a, 0, 0, source_len), Tensor());  // [B, S]
}

AttentionOutput LocationAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                           const Tensor& key_padding_mask) const {
    check_defined("LocationAttention", keys);
    check_defined("LocationAttention", values);
    if (keys.dim() != 3 || values.dim() != 3 || keys.size(0) != query.size(0) || values.size(0) != keys.size(0) ||
        values.size(1) != keys.size(1))
        throw std::invalid_argument("LocationAttention: needs keys [B, S, Dk] and values [B, S, Dv] for query " +
                                    shape_str(query.shape()) + ", got " + shape_str(keys.shape()) + ", " +
                                    shape_str(values.shape()));
    const Tensor scores = score(query, keys.size(1));  // the keys' contents are never read
    check_key_padding_mask("LocationAttention", key_padding_mask, keys.size(0), keys.size(1));
    const Tensor weights = masked_softmax(scores, key_padding_mask);
    return {weighted_sum(weights, values), weights};
}

}  // namespace tinyattn::nn
