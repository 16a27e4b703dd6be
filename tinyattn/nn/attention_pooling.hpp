// attention_pooling.hpp — structured self-attentive pooling (Lin et al. 2017, "A Structured
// Self-attentive Sentence Embedding", section 2):
//
//   A = softmax(W_s2 tanh(W_s1 Hᵀ))    [r, T]: r "hops", each a distribution over the T words
//   M = A H                             [r, h]: r weighted sums of the hidden states
//   P = ‖A Aᵀ − I‖²_F                   the penalty that pushes the r hops to look at different words
//
// With r = 1 this is the classic attention pooling a_j = softmax_j(w2ᵀ tanh(W1 h_j)) of a
// sentiment classifier. The paper's W_s1 has no bias; bias = true adds one (WORKLOADS.md W3
// uses Linear(128, 64) with bias).
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

class AttentionPooling : public Module {
public:
    AttentionPooling(int hidden_dim, int attn_dim, int hops = 1, bool bias = false, Rng& rng = global_rng());

    // H [B, T, hidden_dim], key_padding_mask [B, T] (1 = padded word) or undefined
    // -> context M [B, hops, hidden_dim] and weights A [B, hops, T] (zero at padded words)
    AttentionOutput forward(const Tensor& H, const Tensor& key_padding_mask = Tensor()) const;

    int hidden_dim, attn_dim, hops;
    Linear W_s1;  // [attn_dim, hidden_dim] (+ bias if asked)
    Linear W_s2;  // [hops, attn_dim], no bias
};

// Lin et al.'s penalty for weights A [B, r, T]: the batch mean of ‖A Aᵀ − I‖²_F (squared
// Frobenius norm). Add coefficient · penalty to the loss.
Tensor attention_penalty(const Tensor& weights);

}  // namespace tinyattn::nn
