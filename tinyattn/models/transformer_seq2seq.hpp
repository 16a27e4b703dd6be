// transformer_seq2seq.hpp — the translation Transformer of lesson 10: an encoder–decoder with
// no recurrence at all, only attention (Vaswani et al. 2017).
//
//   source ids ─ Embedding·√d + PE ─▶ encoder (self-attention, no mask but padding)  ─▶ memory
//   <bos> y1 .. ─ Embedding·√d + PE ─▶ decoder (causal self-attention, cross-attention
//                                      to the memory) ─▶ Linear ─▶ logits over the target vocabulary
//
// The three masks (1 = masked, applied to the scores before the softmax; nn/attention.hpp):
//   src_key_padding_mask     [B, S]  encoder self-attention and cross-attention ignore padded
//                                    source positions (the "memory key padding mask")
//   tgt_mask = causal_mask   [T, T]  decoder position t sees the target inputs 0..t only: in
//                                    training all positions run at once, and without this mask
//                                    position t could read the token it must predict
//   tgt_key_padding_mask     [B, T]  no decoder position attends to padded target inputs
//
// Embeddings: each weight starts ~ N(0, 1/d_model) and is multiplied by √d_model in forward
// (section 3.4 of the paper), so token vectors have entries of size ~1, the same scale as the
// sinusoidal positions they are added to. The body is nn::Transformer (pre-LN: norm_first(true), with a final
// LayerNorm on each stack, xavier-initialised); the head is one Linear(d_model, tgt_vocab).
#pragma once
#include <memory>
#include <vector>

#include "tinyattn/data/batching.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/positional_encoding.hpp"
#include "tinyattn/nn/transformer.hpp"

namespace tinyattn::models {

struct TransformerConfig {  // defaults: WORKLOADS.md's W4 "transformer-tiny"
    int src_vocab = 0, tgt_vocab = 0;
    int d_model = 128;
    int nhead = 4;
    int num_encoder_layers = 2;
    int num_decoder_layers = 2;
    int dim_feedforward = 512;
    float dropout = 0.1f;
    int max_len = 256;  // longest sentence (in tokens, specials included) the positions cover
};

struct TransformerSeq2SeqOutput {
    Tensor logits;                              // [B, T, V]
    std::vector<Tensor> encoder_self_weights;   // per encoder layer [B, H, S, S]
    std::vector<Tensor> decoder_self_weights;   // per decoder layer [B, H, T, T]
    std::vector<Tensor> decoder_cross_weights;  // per decoder layer [B, H, T, S]
};

class TransformerSeq2Seq : public nn::Module {
public:
    explicit TransformerSeq2Seq(const TransformerConfig& config, Rng& rng = global_rng());

    // ids [B×len] row-major -> Embedding(ids)·√d_model + PE: [B, len, d_model]
    Tensor embed_source(const std::vector<int>& ids, int B, int S) const;
    Tensor embed_target(const std::vector<int>& ids, int B, int T) const;

    // Teacher-forced pass over a padded batch (data::collate_pairs), all three masks applied.
    TransformerSeq2SeqOutput forward(const data::Batch& batch) const;
    // Mean cross-entropy over the real target tokens (tgt_out, ignore_index = <pad> = 0).
    Tensor loss(const data::Batch& batch) const;

    TransformerConfig config;
    nn::Embedding src_embedding, tgt_embedding;  // padding_idx 0
    nn::PositionalEncoding positions;            // shared by both sides; dropout after the sum
    nn::Transformer transformer;
    nn::Linear generator;                        // d_model -> tgt_vocab
};

// [B×L] 0/1 bytes (data::Batch's masks) -> a float mask [B, L], or an undefined Tensor when
// nothing is padded (saves the masking work).
Tensor padding_mask_tensor(const std::vector<uint8_t>& mask, int B, int L);

// Drives a TransformerSeq2Seq from decode.hpp's greedy_decode / beam_search, one sentence at a
// time, with no autograd graph. start() runs the encoder once; every step() re-runs the decoder
// over the whole prefix <bos> y1 .. y_t (no key/value cache: simple, and fine for toy lengths)
// and reads the last position. StepResult::attention is the last decoder layer's
// cross-attention for that position, averaged over the heads.
class TransformerStepDecoder : public StepDecoder {
public:
    explicit TransformerStepDecoder(const TransformerSeq2Seq& model) : model_(model) {}
    std::shared_ptr<const DecoderState> start(const std::vector<int>& src) override;
    StepResult step(const DecoderState& state, int prev_token) override;

private:
    const TransformerSeq2Seq& model_;
};

}  // namespace tinyattn::models
