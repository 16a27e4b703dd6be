// local_m_attention.hpp — Luong local-m attention: a window at a position that is GIVEN, not
// predicted (Luong, Pham & Manning 2015, §3.2, "monotonic alignment (local-m)"):
//
//   p_t     = t, the output step (the caller may scale it: t · S / T, see below)
//   a_t(s)  = softmax over |s − p_t| ≤ D of score(h_t, h̄_s),  score = h_tᵀ W_a h̄_s ("general")
//   c_t     = Σ_s a_t(s) h̄_s
//
// Positions outside the window (and padded ones) get −∞ before the softmax: exactly zero weight.
// Unlike local-p (nn/local_attention.hpp) nothing learns where to look, and no Gaussian reshapes
// the window: local-m assumes source and target run roughly in step. The centres are an argument
// so the lesson shows its choice: p_t = t as in the paper, or t scaled by the source/target
// length ratio when the two differ in length.
#pragma once
#include <vector>

#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::nn {

class LocalMAttention : public Module {
public:
    // window = D (half-width, >= 0).
    LocalMAttention(int query_dim, int key_dim, int window, Rng& rng = global_rng());

    // query [B, Dq], keys [B, S, Dk], values [B, S, Dv], key_padding_mask [B, S] (1 = padded) or
    // undefined, centres: p_t for each of the B rows -> context [B, Dv], weights [B, S]
    // (zero outside the window). A row whose window holds no unpadded position gets zero weights.
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask, const std::vector<float>& centres) const;

    // The 0/1 mask [B, S]: 1 where |s − centres[b]| > window or the key is padded.
    Tensor window_mask(int batch, int source_len, const Tensor& key_padding_mask,
                       const std::vector<float>& centres) const;

    int query_dim, key_dim, window;
    Tensor W_a;  // [query_dim, key_dim]: the general score h_tᵀ W_a h̄_s, no bias
};

}  // namespace tinyattn::nn
