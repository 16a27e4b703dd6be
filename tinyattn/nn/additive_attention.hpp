// additive_attention.hpp — Bahdanau attention (Bahdanau, Cho & Bengio 2015, "Neural Machine
// Translation by Jointly Learning to Align and Translate", eq. 6 and appendix A.1.2):
//
//   e_j   = vᵀ tanh(W_q q + W_k k_j)      one score per source position j
//   α     = softmax_j(e)                   (padded positions masked to -inf first)
//   c     = Σ_j α_j v_j                    the context vector
//
// q is the decoder state, k_j the encoder states ("annotations"). W_q has no bias, W_k has
// one (the paper's single bias, folded into one of the two projections), v has none.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

class AdditiveAttention : public Module {
public:
    AdditiveAttention(int query_dim, int key_dim, int attn_dim, Rng& rng = global_rng());

    // query [B, Dq], keys [B, S, Dk], values [B, S, Dv] (often the keys themselves),
    // key_padding_mask [B, S] with 1 at padded positions (or undefined).
    // Returns context [B, Dv] and weights [B, S].
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask = Tensor()) const;

    // W_k k_j does not depend on the decoder step: compute it once per source sentence
    // ([B, S, Dk] -> [B, S, attn_dim]) and pass it to forward_precomputed at every step.
    Tensor precompute_keys(const Tensor& keys) const;
    AttentionOutput forward_precomputed(const Tensor& query, const Tensor& projected_keys, const Tensor& values,
                                        const Tensor& key_padding_mask = Tensor()) const;

    int query_dim, key_dim, attn_dim;
    Linear W_q;  // [attn_dim, query_dim], no bias
    Linear W_k;  // [attn_dim, key_dim] + bias
    Linear v;    // [1, attn_dim], no bias
};

}  // namespace tinyattn::nn
