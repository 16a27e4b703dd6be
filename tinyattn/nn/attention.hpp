// attention.hpp — what every attention module returns, and the one masking rule they share.
//
// Every attention in tinyattn (additive, Luong, local, scaled dot-product, multi-head,
// pooling) returns the weights it used next to its result, so a lesson can plot them.
//
// Masks are float tensors of 0 and 1 where 1 means "masked" (a padded key, a future position).
// They act BEFORE the softmax: a masked score becomes -inf, and exp(-inf) = 0, so a masked
// key gets exactly zero weight — not a small weight, zero. A row whose keys are all masked
// gets all-zero weights (softmax returns zeros for an all -inf row), never NaN.
#pragma once
#include "tinyattn/tensor.hpp"

namespace tinyattn::nn {

struct AttentionOutput {
    Tensor context;  // the weighted sum of the values
    Tensor weights;  // the attention distribution(s) that produced it
};

// softmax over the last dim of `scores` after setting masked entries to -inf.
// `mask` (0/1, 1 = masked) broadcasts to scores' shape; undefined means no mask.
Tensor masked_softmax(const Tensor& scores, const Tensor& mask);

// Σ_s weights[b, ..., s] · values[b, s, :] for weights [B, S] -> [B, Dv] or [B, R, S] -> [B, R, Dv].
Tensor weighted_sum(const Tensor& weights, const Tensor& values);

// Throws std::invalid_argument naming `who` unless mask is undefined or has shape [B, S].
void check_key_padding_mask(const char* who, const Tensor& mask, int batch, int source_len);

}  // namespace tinyattn::nn
