// windowed_attention.hpp — self-attention that only looks at the w neighbours on each side
// ("local", "sliding-window" or "banded" attention: Longformer, Beltagy et al. 2020; Mistral).
//
// Full self-attention compares every position with every other: an n×n score matrix, n²·d
// multiply-adds and n² floats to keep for the backward pass. Position i of a windowed
// attention reads only positions j with |i − j| ≤ window, so it costs n·(2w+1)·d: linear in n.
// Lesson 17 (lessons/17_attention_cost) measures both.
#pragma once
#include "tinyattn/tensor.hpp"

namespace tinyattn::nn {

// The band as a mask for scaled_dot_product_attention: [size, size], entry [i, j] = 1
// (masked) when |i − j| > window. window = 0 keeps only the diagonal.
Tensor band_mask(int size, int window);

// The plain version, the way the chapter explains it: full scaled dot-product attention with
// the band mask. Still builds the n×n scores (O(n²) time and memory), so it is the reference.
// query, key, value [B, T, d] (one sequence length T: self-attention); returns context [B, T, d].
Tensor windowed_attention_reference(const Tensor& query, const Tensor& key, const Tensor& value, int window);

// The same numbers from a banded kernel that only ever computes the 2w+1 scores of a band row
// (graph node "windowed_attention"): O(n·w·d) time and O(n·w) memory. Same shapes as above.
Tensor windowed_attention(const Tensor& query, const Tensor& key, const Tensor& value, int window);

}  // namespace tinyattn::nn
