// cosine_attention.hpp — content-based attention: how alike is the query to each key, in
// direction only (Graves, Wayne & Danihelka 2014, "Neural Turing Machines", §3.3.1, eqs. 5–6):
//
//   K(u, v) = u·v / (‖u‖·‖v‖)                  cosine similarity, in [−1, 1]
//   a_t(s)  = softmax_s(β · K(s_t, h̄_s))       β > 0: the sharpness ("key strength")
//   c_t     = Σ_s a_t(s) h̄_s
//
// A cosine never exceeds 1, so without β the softmax could never be sharp: with 10 keys and
// β = 1 the best possible weight is e/(e + 9/e) ≈ 0.45. The NTM's controller emits β at every
// step; here β is one learned number, kept positive as β = exp(log_beta). The norms use
// ‖u‖ = √(Σu² + 1e-8), so a zero vector scores 0 instead of dividing by zero.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class CosineAttention : public Module {
public:
    // dim: the width of queries and keys (a cosine needs them equal); initial_beta: β before training.
    CosineAttention(int dim, float initial_beta = 5.0f);

    // query [B, D], keys [B, S, D], values [B, S, Dv], key_padding_mask [B, S] (1 = padded)
    // or undefined -> context [B, Dv], weights [B, S]
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask = Tensor()) const;
    // The scores β · cos(query, keys[s]) [B, S], before masking and softmax.
    Tensor score(const Tensor& query, const Tensor& keys) const;
    float beta() const;  // exp(log_beta), for printing

    int dim;
    Tensor log_beta;  // [1]
};

}  // namespace tinyattn::nn
