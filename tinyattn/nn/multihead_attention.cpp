// multihead_attention.cpp — project, attend in every head, merge, project.
#include "tinyattn/nn/multihead_attention.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/nn/scaled_dot_product.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

MultiheadAttention::MultiheadAttention(const MultiheadAttentionOptions& o, Rng& rng)
    : embed_dim(o.embed_dim_), num_heads(o.num_heads_), head_dim(o.num_heads_ > 0 ? o.embed_dim_ / o.num_heads_ : 0),
      dropout(o.dropout_), out_proj(o.embed_dim_, o.embed_dim_, o.bias_, rng), rng_(&rng) {
    const int E = embed_dim, H = num_heads;
    if (H <= 0 || E % H != 0)
        throw std::invalid_argument("MultiheadAttention: embed_dim " + std::to_string(E) +
                                    " is not divisible by num_heads " + std::to_string(H));
    // PyTorch's _reset_parameters: xavier_uniform_ on in_proj_weight (bound √(6 / (fan_in + fan_out))
    // with fan_in = E, fan_out = 3E), zero biases, out_proj.weight keeps Linear's init.
    const float bound = std::sqrt(6.0f / float(E + 3 * E));
    in_proj_weight = uniform({3 * E, E}, -bound, bound, rng);
    register_parameter("in_proj_weight", in_proj_weight);
    if (o.bias_) {
        in_proj_bias = zeros({3 * E});
        register_parameter("in_proj_bias", in_proj_bias);
        for (int i = 0; i < E; ++i) out_proj.bias.data()[i] = 0.0f;
    }
    register_module("out_proj", out_proj);
}

Tensor MultiheadAttention::project(const Tensor& x, int which) const {
    const Tensor w = narrow(in_proj_weight, 0, which * embed_dim, embed_dim);
    const Tensor b = in_proj_bias.defined() ? narrow(in_proj_bias, 0, which * embed_dim, embed_dim) : Tensor();
    return linear(x, w, b);  // [B, T, E]: head h is columns h·d .. h·d+d-1
}

Tensor MultiheadAttention::checked_mask(const Tensor& query, const Tensor& key, const Tensor& value,
                                        const Tensor& key_padding_mask, const Tensor& attn_mask) const {
    for (const Tensor* t : {&query, &key, &value}) check_defined("MultiheadAttention", *t);
    const bool ok = query.dim() == 3 && key.dim() == 3 && value.shape() == key.shape() &&
                    query.size(0) == key.size(0) && query.size(2) == embed_dim && key.size(2) == embed_dim;
    if (!ok)
        throw std::invalid_argument("MultiheadAttention: needs query [B, Tq, " + std::to_string(embed_dim) +
                                    "] and key = value [B, Tk, " + std::to_string(embed_dim) + "] (batch first), got " +
                                    shape_str(query.shape()) + ", " + shape_str(key.shape()) + ", " +
                                    shape_str(value.shape()));
    const int B = query.size(0), Tq = query.size(1), Tk = key.size(1);
    check_key_padding_mask("MultiheadAttention", key_padding_mask, B, Tk);
    if (attn_mask.defined() && attn_mask.shape() != Shape{Tq, Tk})
        throw std::invalid_argument("MultiheadAttention: attn_mask must be [" + std::to_string(Tq) + ", " +
                                    std::to_string(Tk) + "], got " + shape_str(attn_mask.shape()));
    // One mask over the scores [B, H, Tq, Tk]: padding [B, 1, 1, Tk] plus attn_mask [Tq, Tk].
    // Masks are 0/1, so their sum is nonzero exactly where either masks.
    Tensor mask;
    if (key_padding_mask.defined()) mask = reshape(key_padding_mask, {B, 1, 1, Tk});
    if (attn_mask.defined()) mask = mask.defined() ? add(mask, attn_mask) : attn_mask;
    return mask;
}

// ---- the textbook version: copy the heads out, attend, copy them back ------------------------
AttentionOutput MultiheadAttention::forward_reference(const Tensor& query, const Tensor& key, const Tensor& value,
                                                      const Tensor& key_padding_mask, const Tensor& attn_mask) const {
    const Tensor mask = checked_mask(query, key, value, key_padding_mask, attn_mask);
    const int B = query.size(0), H = num_heads, d = head_dim;
    // [B, T, E] -> [B, T, H, d] -> [B, H, T, d]: head h's d columns become a [T, d] matrix of its own
    auto split_heads = [&](const Tensor& x) { return permute(reshape(x, {B, x.size(1), H, d}), {0, 2, 1, 3}); };
    const AttentionOutput heads =  // per head: softmax(Q_h·K_hᵀ / √d) · V_h
        scaled_dot_product_attention(split_heads(project(query, 0)), split_heads(project(key, 1)),
                                     split_heads(project(value, 2)), mask, dropout, is_training(), *rng_);
    // [B, H, Tq, d] -> [B, Tq, H, d] -> [B, Tq, E]: Concat(head_1..head_H), then W^O
    const Tensor concat = reshape(permute(heads.context, {0, 2, 1, 3}), {B, query.size(1), embed_dim});
    return {out_proj.forward(concat), heads.weights};
}

// ---- the same without the copies ---------------------------------------------------------------
AttentionOutput MultiheadAttention::forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                            const Tensor& key_padding_mask, const Tensor& attn_mask) const {
    const Tensor mask = checked_mask(query, key, value, key_padding_mask, attn_mask);
    return attend(project(query, 0), project(key, 1), project(value, 2), mask);
}

AttentionOutput MultiheadAttention::attend(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) const {
    // Per head h: softmax(Q_h·K_hᵀ / √d) · V_h. The heads are not copied out into [B, H, T, d]
    // tensors (as forward_reference does): head_scores and head_context multiply each head where
    // it lies in the projections (ops/attention_heads.cpp), and the contexts land side by side
    // in [B, Tq, E], ready for W^O.
    const Tensor scores = head_scores(q, k, num_heads, 1.0f / std::sqrt(float(head_dim)));  // [B, H, Tq, Tk]
    const Tensor weights = masked_softmax(scores, mask);
    const Tensor dropped = tinyattn::dropout(weights, dropout, is_training(), *rng_);
    return {out_proj.forward(head_context(dropped, v)), weights};
}

// ---- incremental decoding: keys and values projected once, kept in a cache -------------------
void MultiheadAttention::extend_cache(KVCache& cache, const Tensor& key, const Tensor& value) const {
    check_defined("MultiheadAttention::extend_cache", key);
    check_defined("MultiheadAttention::extend_cache", value);
    const Tensor k = project(key, 1), v = project(value, 2);  // [B, Tn, E]: only the new positions
    cache.key = cache.key.defined() ? concat({cache.key, k}, 1) : k;
    cache.value = cache.value.defined() ? concat({cache.value, v}, 1) : v;
}

AttentionOutput MultiheadAttention::forward_cached(const Tensor& query, const KVCache& cache,
                                                   const Tensor& key_padding_mask) const {
    if (!cache.key.defined())
        throw std::invalid_argument("MultiheadAttention::forward_cached: the cache is empty (call extend_cache first)");
    const Tensor mask = checked_mask(query, cache.key, cache.value, key_padding_mask, Tensor());
    return attend(project(query, 0), cache.key, cache.value, mask);
}

}  // namespace tinyattn::nn
