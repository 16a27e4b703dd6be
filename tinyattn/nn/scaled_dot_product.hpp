// scaled_dot_product.hpp — softmax(Q·Kᵀ/√d)·V (Vaswani et al. 2017, eq. 1) with masks.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::nn {

// Q [B, Tq, d] or [B, H, Tq, d];  K [..., Tk, d];  V [..., Tk, dv]  (same leading dims).
// Returns context [..., Tq, dv] and weights [..., Tq, Tk].
//
// mask: optional 0/1 float tensor, 1 = masked, that broadcasts to the scores [..., Tq, Tk]:
//   causal mask            [Tq, Tk]        (causal_mask(T), nn/transformer.hpp)
//   key-padding mask       [B, 1, Tk]      for 3-D Q, or [B, 1, 1, Tk] for 4-D Q
//   both at once           their sum (any nonzero entry counts as masked)
// Masked scores become -inf before the softmax: exactly zero weight. A fully masked row
// gives zero weights and a zero context, never NaN.
//
// dropout_p > 0 with training = true drops attention weights (as PyTorch's MultiheadAttention
// does) before they multiply V; the returned weights are the ones before dropout.
AttentionOutput scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                             const Tensor& mask = Tensor(), float dropout_p = 0.0f,
                                             bool training = false, Rng& rng = global_rng());

// A causal ("no peeking ahead") mask [T, T]: entry [i, j] = 1 when j > i, so position i
// attends only to positions 0..i. PyTorch: nn.Transformer.generate_square_subsequent_mask.
Tensor causal_mask(int size);

}  // namespace tinyattn::nn
