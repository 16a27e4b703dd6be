// seq2seq.hpp — the recurrent encoder–decoder translation models of lessons 06, 07 (and 08, 11).
//
//   source ids ──Embedding──LSTM──▶ h_1 … h_S  (all kept: the "annotations")
//                                   (h_S, c_S) ──▶ the decoder's first state (s_0, c_0)
//   decoder step t (teacher forcing: it reads the true y_{t-1}, y_0 = <bos>):
//       ctx_t        = what it reads from the source          (see below)
//       (s_t, c_t)   = LSTMCell([emb(y_{t-1}); ctx_t], (s_{t-1}, c_{t-1}))
//       logits_t     = Linear([s_t; ctx_t])                  → softmax over the target vocabulary
//
// The one difference between lesson 06 and lesson 07 is ctx_t, and it lives in the decoder's
// step(): models/bahdanau.cpp holds both decoders side by side.
//   lesson 06   FixedContextDecoder   ctx_t = h_S, the encoder's final state, at every step
//   lesson 07   BahdanauDecoder       ctx_t = Σ_j α_tj h_j, α_t = softmax_j(vᵀ tanh(W_q s_{t-1} + W_k h_j))
//   lesson 08   LuongDecoder          attends with s_t AFTER the cell (models/luong.hpp)
//
// `Decoder` is "one step from (prev token, state, encoder memory)"; Seq2Seq, the loss and the
// greedy/beam adapter only talk to it. `SourceAttention` is the seam for Luong's scores.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "tinyattn/data/batching.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/lstm.hpp"

namespace tinyattn::models {

// ---- encoder ----------------------------------------------------------------------------

struct EncoderOutput {
    Tensor states;           // [B, S, H] h_1 … h_S, exactly zero past each sentence's length
    nn::LSTMState final;     // (h, c) at each sentence's true last token, each [B, H]
    Tensor key_padding_mask; // [B, S] 1 at padded source positions (undefined when none is padded)
};

class Encoder : public nn::Module {
public:
    Encoder(int vocab_size, int embedding_dim, int hidden_size, Rng& rng = global_rng());
    // src: B×S ids row-major (padded with 0), lengths: the B true lengths.
    EncoderOutput forward(const std::vector<int>& src, int B, int S, const std::vector<int>& lengths) const;

    nn::Embedding embedding;  // padding_idx 0
    nn::LSTM rnn;             // one layer, unidirectional, time-major inside
};

// ---- attention over the source (the seam for Luong scores) -------------------------------

class SourceAttention : public nn::Module {
public:
    // Work that does not depend on the decoder step, done once per batch (e.g. W_k h_j).
    // Default: nothing, the states themselves.
    virtual Tensor prepare(const Tensor& states) const { return states; }
    // query [B, Dq], prepared = prepare(states), states [B, S, H], mask [B, S] or undefined
    // -> context [B, H] and weights [B, S].
    virtual nn::AttentionOutput attend(const Tensor& query, const Tensor& prepared, const Tensor& states,
                                       const Tensor& key_padding_mask) const = 0;
};

// ---- decoders ---------------------------------------------------------------------------

// What a decoder reads from the encoder, prepared once per batch (or per sentence when decoding).
struct DecoderMemory {
    Tensor states;           // [B, S, H]
    Tensor prepared;         // per-sentence work of the attention (Bahdanau: W_k h_j), or undefined
    Tensor key_padding_mask; // [B, S] or undefined
    Tensor final_h;          // [B, H] the encoder's final h (the fixed context without attention)
};

// The recurrent state carried from step to step.
struct DecoderCarry {
    nn::LSTMState state;     // (s_t, c_t), each [B, H]
    Tensor feed;             // an extra vector fed back into the next step (Luong's input
                             // feeding); undefined for the decoders in this file
};

struct DecoderStepOutput {
    Tensor output;           // [B, D] the vector the output layer reads (here [s_t; ctx_t])
    Tensor attention;        // [B, S] the weights used at this step (undefined without attention)
    DecoderCarry next;
};

class Decoder : public nn::Module {
public:
    virtual DecoderMemory prepare(const EncoderOutput& enc) const = 0;
    virtual DecoderCarry initial(const EncoderOutput& enc) const;  // (s_0, c_0) = encoder final (h, c)
    // One step for a batch: emb_prev [B, E] is the embedding of y_{t-1}.
    virtual DecoderStepOutput step(const Tensor& emb_prev, const DecoderCarry& carry, const DecoderMemory& memory) const = 0;
    // logits [.., V] from step outputs [.., D] — one gemm for all steps of a batch.
    Tensor logits(const Tensor& outputs) const { return out.forward(outputs); }
    // What it attends with, for checkpoint metadata: "none", "bahdanau", "luong".
    virtual const char* attention_name() const = 0;

    Decoder(int vocab_size, int embedding_dim, int output_dim, Rng& rng);
    nn::Embedding embedding;  // target embedding, padding_idx 0
    nn::Linear out;           // [D] -> target vocabulary
};

// ---- the whole model ---------------------------------------------------------------------

struct Seq2SeqConfig {
    int src_vocab = 0, tgt_vocab = 0;
    int embedding_dim = 64;
    int hidden_size = 128;
    int attn_dim = 0;                            // 0: = hidden_size (W1)
};

// Makes the decoder for a config: make_fixed_context_decoder (lesson 06), make_bahdanau_decoder
// (lesson 07) in models/bahdanau.hpp.
using DecoderFactory = std::unique_ptr<Decoder> (*)(const Seq2SeqConfig& config, Rng& rng);

struct Seq2SeqOutput {
    Tensor logits;     // [B, T, V]
    Tensor attention;  // [B, T, S] (undefined without attention)
};

class Seq2Seq : public nn::Module {
public:
    // Builds the encoder, then make_decoder(config, rng) (the order the Rng draws their weights):
    //   models::Seq2Seq model(config, models::make_bahdanau_decoder);
    Seq2Seq(const Seq2SeqConfig& config, DecoderFactory make_decoder, Rng& rng = global_rng());
    // With a decoder built beforehand (lesson 08): the encoder is built here.
    Seq2Seq(const Seq2SeqConfig& config, std::unique_ptr<Decoder> decoder, Rng& rng = global_rng());

    // Teacher-forced pass over a padded batch (data::collate_pairs).
    Seq2SeqOutput forward(const data::Batch& batch) const;
    // Mean cross-entropy over the real target tokens (tgt_out, ignore_index = <pad> = 0).
    Tensor loss(const data::Batch& batch) const;

    Seq2SeqConfig config;
    Encoder encoder;
    std::unique_ptr<Decoder> decoder;
};

// Drives a Seq2Seq from decode.hpp's greedy_decode / beam_search, one sentence at a time,
// with no autograd graph. Attention rows come back in StepResult::attention.
class Seq2SeqStepDecoder : public StepDecoder {
public:
    explicit Seq2SeqStepDecoder(const Seq2Seq& model) : model_(model) {}
    std::shared_ptr<const DecoderState> start(const std::vector<int>& src) override;
    StepResult step(const DecoderState& state, int prev_token) override;

private:
    const Seq2Seq& model_;
};

}  // namespace tinyattn::models
