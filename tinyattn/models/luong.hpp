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
// The scores (LuongAttention / LocalAttention in tinyattn/nn):
//   dot      s_tᵀ h̄_j
//   general  s_tᵀ W_a h̄_j
//   concat   v_aᵀ tanh(W_a [s_t; h̄_j])
//   local-p  general inside a window of half-width D around a predicted position p_t, times a
//            Gaussian exp(-(j - p_t)² / (2 (D/2)²))
//
// Scaling (our addition, on by default): dot, general and local-p divide the query by √H, so the
// score is s_tᵀ h̄_j / √H (as in the Transformer's scaled dot-product attention). Without it, Adam
// grows W_a quickly, the general scores reach hundreds, the softmax turns one-hot within the first
// hundred steps and stays stuck on the wrong words (lesson 08 measures it: --unscaled).
#pragma once
#include <memory>
#include <string>

#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/nn/local_attention.hpp"
#include "tinyattn/nn/luong_attention.hpp"

namespace tinyattn::models {

// ---- Luong's scores as SourceAttention -----------------------------------------------------

// Global attention: every source position is scored (dot / general / concat).
class LuongGlobalAttention : public SourceAttention {
public:
    // scaled: divide the query by √hidden_size (dot and general; concat ignores it).
    LuongGlobalAttention(nn::LuongScore score, int hidden_size, int attn_dim, bool scaled, Rng& rng = global_rng());
    nn::AttentionOutput attend(const Tensor& query, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask) const override;
    nn::LuongAttention attn;
    float query_scale;  // 1/√H or 1
};

// Local-p attention: predicts a position p_t from s_t and attends to a window around it.
class LuongLocalAttention : public SourceAttention {
public:
    LuongLocalAttention(int hidden_size, int window, int predictor_dim, bool scaled, Rng& rng = global_rng());
    nn::AttentionOutput attend(const Tensor& query, const Tensor& prepared, const Tensor& states,
                               const Tensor& key_padding_mask) const override;
    nn::LocalAttention attn;
    float query_scale;  // 1/√H or 1 (also what the position predictor reads)
};

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

enum class LuongVariant { dot, general, concat, local_p };
const char* luong_variant_name(LuongVariant v);              // "dot", "general", "concat", "local-p"
LuongVariant parse_luong_variant(const std::string& name);  // the inverse; throws on anything else

struct LuongOptions {
    LuongVariant variant = LuongVariant::general;
    bool input_feeding = false;
    int window = 3;            // local-p: D, the half-width of the window (σ = D/2)
    bool scaled = true;        // dot, general, local-p: score with s_t / √H (see the top of this file)
};

// A Seq2Seq with lesson 07's encoder and a LuongDecoder (config.attn_dim is the concat score's and the local-p predictor's width, 0 = hidden_size).
// (A pointer: modules hold references to their members, so they never move.)
std::unique_ptr<Seq2Seq> make_luong_seq2seq(const Seq2SeqConfig& config, const LuongOptions& options,
                                            Rng& rng = global_rng());

}  // namespace tinyattn::models
