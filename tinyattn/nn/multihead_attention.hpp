// multihead_attention.hpp — nn::MultiheadAttention (Vaswani et al. 2017, section 3.2.2),
// with torch.nn.MultiheadAttention's parameters, so a PyTorch state dict copies straight in:
//
//   in_proj_weight [3E, E]   rows 0..E-1 project the query, E..2E-1 the key, 2E..3E-1 the value
//   in_proj_bias   [3E]
//   out_proj.weight [E, E], out_proj.bias [E]      (out_proj is an nn::Linear)
//
//   head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V),  MultiHead = Concat(head_1..head_H) W^O
//
// Layout: batch first, [B, T, E] (PyTorch's batch_first=True; its default is [T, B, E]).
//
// Construction, as in libtorch (C++ has no keyword arguments, and PyTorch's positional order
// embed_dim, num_heads, dropout, bias would let MultiheadAttention(16, 4, true) compile as
// dropout = 1): the two sizes are positional, the rest named.
//
//   nn::MultiheadAttention mha(16, 4);                                          // dropout 0, bias
//   nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(16, 4).dropout(0.1f).bias(false));
//
//   torch.nn.MultiheadAttention(16, 4, dropout=0.1, bias=False, batch_first=True)  is the same layer.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

// PyTorch's defaults: dropout 0, bias true. Each setter returns the options, so they chain.
struct MultiheadAttentionOptions {
    MultiheadAttentionOptions(int embed_dim, int num_heads) : embed_dim_(embed_dim), num_heads_(num_heads) {}
    MultiheadAttentionOptions& dropout(float p) { dropout_ = p; return *this; }
    MultiheadAttentionOptions& bias(bool on) { bias_ = on; return *this; }

    int embed_dim_, num_heads_;
    float dropout_ = 0.0f;  // probability of dropping an attention weight in training
    bool bias_ = true;      // in_proj_bias and out_proj.bias
};

class MultiheadAttention : public Module {
public:
    // embed_dim must be divisible by num_heads; each head works in embed_dim / num_heads dims.
    explicit MultiheadAttention(const MultiheadAttentionOptions& options, Rng& rng = global_rng());
    MultiheadAttention(int embed_dim, int num_heads, Rng& rng = global_rng())
        : MultiheadAttention(MultiheadAttentionOptions(embed_dim, num_heads), rng) {}

    // query [B, Tq, E], key/value [B, Tk, E]. Masks as PyTorch's (same names, same order), with
    // 1 (or true) = masked, applied to the scores before the softmax:
    //   key_padding_mask [B, Tk]   1 = key j of batch row b is padding: no query reads it
    //   attn_mask        [Tq, Tk]  1 = query i may not read key j (e.g. causal_mask(T))
    // -> context [B, Tq, E] and weights PER HEAD [B, H, Tq, Tk].
    // PyTorch's default need_weights=True returns the head average: mean(weights, 1).
    AttentionOutput forward(const Tensor& query, const Tensor& key, const Tensor& value,
                            const Tensor& key_padding_mask = Tensor(), const Tensor& attn_mask = Tensor()) const;
    // The same attention as the textbook writes it (read this one first): copy the heads out of
    // each projection ([B, T, E] -> [B, H, T, d]), scaled_dot_product_attention on all heads at
    // once, copy the contexts back side by side, W^O. forward() gives the same bits without the
    // copies (ops/attention_heads.cpp; tests/test_fused_ops.cpp holds them equal).
    AttentionOutput forward_reference(const Tensor& query, const Tensor& key, const Tensor& value,
                                      const Tensor& key_padding_mask = Tensor(),
                                      const Tensor& attn_mask = Tensor()) const;

    // Incremental decoding (a KV cache): a decoder that writes one token at a time would project
    // the keys and values of every earlier position again at every step, though they never change.
    // The cache keeps them projected, [B, t, E] each; a step projects only the new positions.
    struct KVCache {
        Tensor key, value;  // projected keys and values of the positions so far (undefined: none yet)
    };
    // Appends the projections of key and value [B, Tn, E] to the cache.
    void extend_cache(KVCache& cache, const Tensor& key, const Tensor& value) const;
    // The attention of query [B, Tq, E] over the cached keys and values: forward() without
    // projecting them again. No attn_mask: the cache holds only positions a step may read.
    AttentionOutput forward_cached(const Tensor& query, const KVCache& cache,
                                   const Tensor& key_padding_mask = Tensor()) const;

    int embed_dim, num_heads, head_dim;
    float dropout;
    Tensor in_proj_weight, in_proj_bias;  // bias undefined when bias = false
    Linear out_proj;
private:
    Rng* rng_;
    // [B, T, E] -> one of the three projections (0 query, 1 key, 2 value), [B, T, E]:
    // head h reads its columns h·head_dim .. h·head_dim + head_dim - 1 in place
    Tensor project(const Tensor& x, int which) const;
    // Per head softmax(Q_h·K_hᵀ/√d)·V_h on the projections, then W^O (forward and forward_cached).
    AttentionOutput attend(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) const;
    // Checks the shapes and returns the one mask over the scores [B, H, Tq, Tk] (or undefined).
    Tensor checked_mask(const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& key_padding_mask,
                        const Tensor& attn_mask) const;
};

}  // namespace tinyattn::nn
