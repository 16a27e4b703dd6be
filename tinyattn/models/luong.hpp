// luong.hpp — the Luong decoder and Luong's attention scores (lesson 08), plugged into the
// seams of seq2seq.hpp (Decoder, SourceAttention). The encoder, the loss, training and greedy /
// beam decoding are exactly those of lesson 07.
//
// Luong, Pham & Manning 2015 ("Effective Approaches to Attention-based NMT") order one decoder
// step differently from Bahdanau: first the recurrent cell, THEN attention with the new state.
//
//   x_t   = [emb(y_{t-1}); h̃_{t-1}]        input feeding (h̃_0 = 0), or just emb(y_{t-1}) without it
//   (s_t, c_t) = LSTMCell(x_t, (s_{t-1}, c_{t-1}))
//   a_t, ctx_t = attention(query = s_t, the encoder states h̄_1 … h̄_S)   ← s_t, not s_{t-1}
//   h̃_t  = tanh(W_c [ctx_t; s_t])          the "attentional state" (eq. 5)
//   logits_t = W_s h̃_t                     (Decoder::out)
//
// Bahdanau (BahdanauDecoder, models/bahdanau.cpp): a_t from s_{t-1}, ctx_t goes INTO the cell, logits from [s_t; ctx_t].
// Input feeding gives the cell the previous step's attentional state, so it knows what it has
// just looked at (the paper's remedy for "coverage": words translated twice or never).
//
// The four scores, each a SourceAttention in luong.cpp whose attend() is the formula in a few lines
// (keys and values are both the encoder states h̄_j; a_t = softmax_j(score), ctx_t = Σ_j a_t(j) h̄_j):
//   DotScore       s_tᵀ h̄_j
//   GeneralScore   s_tᵀ W_a h̄_j
//   ConcatScore    v_aᵀ tanh(W_a [s_t; h̄_j])
//   LocalPScore    general inside a window of half-width D around a predicted position p_t, times a
//                  Gaussian exp(-(j - p_t)² / (2 (D/2)²))   (the window: nn/local_attention.cpp)
// and three more the articles name (issue 21), on the same task:
//   CosineScore    β · cos(s_t, h̄_j), β learned               content-based (nn/cosine_attention.cpp)
//   LocationScore  (W_a s_t)_j: never reads h̄_j               location-based (nn/location_attention.cpp)
//   LocalMScore    general inside |j − p_t| ≤ D, p_t = t·r     local-m (nn/local_m_attention.cpp)
//
// Scaling (our addition, on by default): dot, general and local-p divide the query by √H, so the
// score is s_tᵀ h̄_j / √H (as in the Transformer's scaled dot-product attention). Without it, Adam
// grows W_a quickly, the general scores reach hundreds, the softmax turns one-hot within the first
// hundred steps and stays stuck on the wrong words (lesson 08 measures it: --unscaled).
#pragma once
#include <memory>
#include <string>

#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/nn/cosine_attention.hpp"
#include "tinyattn/nn/local_attention.hpp"
#include "tinyattn/nn/local_m_attention.hpp"
#include "tinyattn/nn/location_attention.hpp"

namespace tinyattn::models {

// ---- Luong's scores as SourceAttention -----------------------------------------------------
// query_scale: 1/√H when scaled (dot, general, local-p), else 1. Each make_*_score draws its
// weights from rng; make them before the decoder (make_luong_seq2seq), the order of the seed.

class DotScore : public SourceAttention {
public:
    explicit DotScore(float query_scale) : query_scale(query_scale) {}
    // The raw scores [B, S], one per source position, before the mask and the softmax.
    Tensor scores(const Tensor& s_t, const Tensor& states) const;
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    float query_scale;
};

class GeneralScore : public SourceAttention {
public:
    GeneralScore(int hidden_size, float query_scale, Rng& rng = global_rng());
    // The raw scores [B, S], one per source position, before the mask and the softmax.
    Tensor scores(const Tensor& s_t, const Tensor& states) const;
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    Tensor W_a;  // [H, H], no bias
    float query_scale;
};

class ConcatScore : public SourceAttention {
public:
    ConcatScore(int hidden_size, int attn_dim, Rng& rng = global_rng());
    // The raw scores [B, S], one per source position, before the mask and the softmax.
    Tensor scores(const Tensor& s_t, const Tensor& states) const;
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    Tensor W_a;  // [A, 2H], no bias
    Tensor v_a;  // [1, A], no bias
};

class LocalPScore : public SourceAttention {
public:
    LocalPScore(int hidden_size, int window, int predictor_dim, float query_scale, Rng& rng = global_rng());
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    nn::LocalAttention local;  // p_t, the window, the general score inside it and the Gaussian
    float query_scale;
};

// Content-based: β·cos(s_t, h̄_j). A cosine ignores length, so the query is never scaled.
class CosineScore : public SourceAttention {
public:
    explicit CosineScore(int hidden_size) : cosine(hidden_size) { register_module("cosine", cosine); }
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    nn::CosineAttention cosine;
};

// Location-based: a_t = softmax(W_a s_t) over positions 0 .. S-1; the words are never read.
class LocationScore : public SourceAttention {
public:
    LocationScore(int hidden_size, int max_source_len, Rng& rng = global_rng())
        : location(hidden_size, max_source_len, rng) { register_module("location", location); }
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    nn::LocationAttention location;
};

// Local-m: the general score inside a window at p_t = min(t · ratio, S_b − 1), where ratio =
// source tokens / target tokens of the training set (the output runs ~ratio source words per
// word) and S_b is sentence b's true length: "p_t = t, scaled to the source length".
class LocalMScore : public SourceAttention {
public:
    LocalMScore(int hidden_size, int window, float ratio, float query_scale, Rng& rng = global_rng())
        : local_m(hidden_size, hidden_size, window, rng), ratio(ratio), query_scale(query_scale) {
        register_module("local_m", local_m);
    }
    nn::AttentionOutput attend(const Tensor& s_t, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask, int t) const override;
    nn::LocalMAttention local_m;
    float ratio, query_scale;
};

float luong_query_scale(bool scaled, int hidden_size);  // 1/√H or 1

// ---- the decoder -------------------------------------------------------------------------

class LuongDecoder : public Decoder {
public:
    LuongDecoder(int vocab_size, int embedding_dim, int hidden_size, std::unique_ptr<SourceAttention> attention,
                 bool input_feeding, Rng& rng = global_rng());
    DecoderMemory prepare(const EncoderOutput& enc) const override;
    DecoderCarry initial(const EncoderOutput& enc) const override;  // + h̃_0 = 0 with input feeding
    DecoderStepOutput step(const Tensor& emb_prev, const DecoderCarry& carry,
                           const DecoderMemory& memory) const override;
    const char* attention_name() const override { return "luong"; }

    int hidden_size;
    bool input_feeding;
    nn::LSTMCell cell;                           // input E (+ H with input feeding), hidden H
    std::unique_ptr<SourceAttention> attention;
    nn::Linear W_c;                              // [2H] -> [H], no bias (Luong's eq. 5)
};

// ---- building one --------------------------------------------------------------------------

// A Seq2Seq with lesson 07's encoder and a LuongDecoder around `score` (made first, from the same rng).
// (A pointer: modules hold references to their members, so they never move.)
std::unique_ptr<Seq2Seq> make_luong_seq2seq(const Seq2SeqConfig& config, std::unique_ptr<SourceAttention> score,
                                            bool input_feeding, Rng& rng = global_rng());

}  // namespace tinyattn::models
