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
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

class MultiheadAttention : public Module {
public:
    // embed_dim must be divisible by num_heads; each head works in embed_dim / num_heads dims.
    // dropout: probability of dropping attention weights in training (0 = none).
    MultiheadAttention(int embed_dim, int num_heads, bool bias = true, float dropout = 0.0f,
                       Rng& rng = global_rng());

    // query [B, Tq, E], key/value [B, Tk, E];
    // key_padding_mask [B, Tk] (1 = padded key), attn_mask [Tq, Tk] (1 = masked, e.g. causal_mask)
    // -> context [B, Tq, E] and weights PER HEAD [B, H, Tq, Tk].
    // PyTorch's default need_weights=True returns the head average: mean(weights, 1).
    AttentionOutput forward(const Tensor& query, const Tensor& key, const Tensor& value,
                            const Tensor& key_padding_mask = Tensor(), const Tensor& attn_mask = Tensor()) const;

    int embed_dim, num_heads, head_dim;
    float dropout;
    Tensor in_proj_weight, in_proj_bias;  // bias undefined when bias = false
    Linear out_proj;
private:
    Rng* rng_;
    // [B, T, E] -> one of the three projections (0 query, 1 key, 2 value), [B, T, E]:
    // head h reads its columns h·head_dim .. h·head_dim + head_dim - 1 in place
    Tensor project(const Tensor& x, int which) const;
};

}  // namespace tinyattn::nn
