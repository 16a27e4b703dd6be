// local_attention.hpp — Luong local-p attention (Luong, Pham & Manning 2015, section 3.2).
//
// Global attention looks at every source word; local-p first PREDICTS where to look and then
// attends to a window around that point:
//
//   p_t  = S · sigmoid(v_pᵀ tanh(W_p h_t))                  eq. 9: a real position in (0, S)
//   a_t(s) = align(h_t, h̄_s) · exp(-(s - p_t)² / (2σ²)),   σ = D/2      eq. 10
//
// The exact choices made here (the paper leaves some open):
//   - S is each sentence's TRUE length (padding excluded); positions are s = 0 .. S-1.
//   - align is the softmax of the `general` score h_tᵀ W_a h̄_s over the positions inside the
//     window |s - p_t| ≤ D (and not padded); positions outside get -inf before the softmax,
//     so they have exactly zero weight.
//   - the Gaussian multiplies the softmax afterwards, as in eq. 10, so the weights of a row sum
//     to less than 1 (the paper does not renormalise; neither do we).
//   - p_t is differentiable (through the Gaussian), which is how W_p and v_p learn; the window
//     edges themselves are a hard cut, so a position entering or leaving the window is a step.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/linear.hpp"

namespace tinyattn::nn {

class LocalAttention : public Module {
public:
    // window = D (half-width, >= 1), predictor_dim = rows of W_p.
    LocalAttention(int query_dim, int key_dim, int window, int predictor_dim, Rng& rng = global_rng());

    // query [B, Dq], keys [B, S, Dk], values [B, S, Dv], key_padding_mask [B, S] (1 = padded)
    // -> context [B, Dv], weights [B, S] (zero outside the window and at padded positions)
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask = Tensor()) const;
    // p_t [B, 1] for queries [B, Dq] over sources of S positions (padding taken from the mask).
    Tensor predict_position(const Tensor& query, int source_len, const Tensor& key_padding_mask = Tensor()) const;

    int query_dim, key_dim, window;
    Linear W_p;  // [predictor_dim, Dq], no bias
    Linear v_p;  // [1, predictor_dim], no bias
    Linear W_a;  // the general score's matrix, applied to the keys: [Dq, Dk], no bias
};

}  // namespace tinyattn::nn
