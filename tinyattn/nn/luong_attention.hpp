// luong_attention.hpp — Luong global attention (Luong, Pham & Manning 2015, "Effective
// Approaches to Attention-based Neural Machine Translation", section 3.1, eq. 8):
//
//   score(h_t, h̄_s) = h_tᵀ h̄_s                     dot      (needs query_dim == key_dim)
//                   = h_tᵀ W_a h̄_s                 general  (W_a [query_dim, key_dim])
//                   = v_aᵀ tanh(W_a [h_t; h̄_s])    concat   (W_a [attn_dim, query_dim + key_dim])
//   a_t = softmax_s(score),   c_t = Σ_s a_t(s) h̄_s
//
// h_t is the decoder's current state (Luong scores with h_t, Bahdanau with h_{t-1}). The
// attentional state h̃_t = tanh(W_c [c_t; h_t]) of eq. 5 belongs to the decoder, not here.
// No biases anywhere, as in the paper.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

enum class LuongScore { dot, general, concat };

class LuongAttention : public Module {
public:
    // attn_dim is used by the concat score only.
    LuongAttention(LuongScore score, int query_dim, int key_dim, int attn_dim = 0, Rng& rng = global_rng());

    // query [B, Dq], keys [B, S, Dk], values [B, S, Dv] (Luong uses the keys themselves),
    // key_padding_mask [B, S] (1 = padded) or undefined -> context [B, Dv], weights [B, S]
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask = Tensor()) const;
    // The raw scores [B, S] before masking and softmax.
    Tensor score(const Tensor& query, const Tensor& keys) const;

    LuongScore score_kind;
    int query_dim, key_dim, attn_dim;
    Tensor W_a;  // general: [Dq, Dk]; concat: [attn_dim, Dq + Dk]; dot: none
    Tensor v_a;  // concat: [1, attn_dim]
};

}  // namespace tinyattn::nn
