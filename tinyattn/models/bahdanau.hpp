// bahdanau.hpp — the decoders of lesson 06 and lesson 07, side by side: the same LSTM decoder,
// once with a fixed context and once with Bahdanau attention (Bahdanau, Cho & Bengio 2015).
//
//   lesson 06 (Cho et al. 2014)   ctx_t = h_S, the encoder's final state, at every step: the
//                                 whole sentence squeezed into one 128-float vector
//   lesson 07 (Bahdanau)          e_tj  = vᵀ tanh(W_q s_{t-1} + W_k h_j)   a score per source word j
//                                 α_tj  = softmax_j(e_tj)                  the attention weights
//                                 ctx_t = Σ_j α_tj h_j                      a fresh mix at every step
//   both:  (s_t, m_t) = LSTMCell([emb(y_{t-1}); ctx_t], (s_{t-1}, m_{t-1})),  logits from [s_t; ctx_t]
//
// Read the two step() functions in bahdanau.cpp one after the other: lesson 07's is lesson 06's
// plus the three lines that compute ctx_t. The encoder, the teacher-forced loop, the loss and the
// greedy/beam adapter are shared (seq2seq.hpp).
#pragma once
#include <memory>

#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/nn/additive_attention.hpp"

namespace tinyattn::models {

// Lesson 06: no attention, ctx_t = h_S.
class FixedContextDecoder : public Decoder {
public:
    FixedContextDecoder(int vocab_size, int embedding_dim, int hidden_size, Rng& rng = global_rng());
    DecoderMemory prepare(const EncoderOutput& enc) const override;
    DecoderStepOutput step(const Tensor& emb_prev, const DecoderCarry& carry, const DecoderMemory& memory) const override;
    const char* attention_name() const override { return "none"; }

    int hidden_size;
    nn::LSTMCell cell;  // input E + H, hidden H
};

// Lesson 07: Bahdanau attention with the previous state s_{t-1} as the query.
class BahdanauDecoder : public Decoder {
public:
    // attention: W_q [A, H] (no bias), W_k [A, H] + bias, v [1, A] (no bias); made before the
    // decoder (make_bahdanau_decoder), so the random initial weights come in lesson 07's order.
    BahdanauDecoder(int vocab_size, int embedding_dim, int hidden_size, std::unique_ptr<nn::AdditiveAttention> attention,
                    Rng& rng = global_rng());
    DecoderMemory prepare(const EncoderOutput& enc) const override;  // + W_k h_j, once per sentence
    DecoderStepOutput step(const Tensor& emb_prev, const DecoderCarry& carry, const DecoderMemory& memory) const override;
    const char* attention_name() const override { return "bahdanau"; }

    int hidden_size;
    nn::LSTMCell cell;                                // input E + H, hidden H
    std::unique_ptr<nn::AdditiveAttention> attention;  // W_q, W_k, v
};

// Seq2Seq's decoder factories (Seq2Seq builds the encoder, then calls one): lesson 06's and
// lesson 07's decoders with the config's sizes (attn_dim 0 = hidden_size).
std::unique_ptr<Decoder> make_fixed_context_decoder(const Seq2SeqConfig& config, Rng& rng);
std::unique_ptr<Decoder> make_bahdanau_decoder(const Seq2SeqConfig& config, Rng& rng);

}  // namespace tinyattn::models
