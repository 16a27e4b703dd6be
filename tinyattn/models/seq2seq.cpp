// seq2seq.cpp — encoder, decoders, the teacher-forced forward pass and the decoding adapter.
#include "tinyattn/models/seq2seq.hpp"

#include <stdexcept>

#include "tinyattn/autograd.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn::models {

// ids laid out row-major [rows, cols] -> the same ids laid out [cols, rows].
static std::vector<int> transpose_ids(const std::vector<int>& ids, int rows, int cols) {
    std::vector<int> out(ids.size());
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[size_t(c * rows + r)] = ids[size_t(r * cols + c)];
    return out;
}

// ---- encoder ----------------------------------------------------------------------------

Encoder::Encoder(int vocab, int emb, int hidden, Rng& rng)
    : embedding(vocab, emb, /*padding_idx=*/0, rng), rnn(emb, hidden, 1, true, false, 0.0f, false, rng) {
    register_module("embedding", embedding);
    register_module("rnn", rnn);
}

EncoderOutput Encoder::forward(const std::vector<int>& src, int B, int S, const std::vector<int>& lengths) const {
    if (int(src.size()) != B * S || int(lengths.size()) != B)
        throw std::invalid_argument("Encoder: " + std::to_string(src.size()) + " ids and " +
                                    std::to_string(lengths.size()) + " lengths for a [" + std::to_string(B) + ", " +
                                    std::to_string(S) + "] batch");
    // The LSTM runs time-major: embed the ids as [S, B] -> [S, B, E]. One gemm inside the LSTM
    // computes every step's input gates at once; only h_{t-1}·W_hhᵀ stays in the time loop.
    const Tensor x = embedding.forward(transpose_ids(src, B, S), {S, B});
    const nn::LSTMOutput r = rnn.forward(x, lengths);
    EncoderOutput out;
    out.states = transpose(r.output, 0, 1);  // [B, S, H]: the layout attention reads
    const int H = rnn.hidden_size;
    out.final = {reshape(r.final.h, {B, H}), reshape(r.final.c, {B, H})};
    bool any_padding = false;
    std::vector<float> mask(size_t(B * S), 0.0f);
    for (int b = 0; b < B; ++b)
        for (int j = lengths[size_t(b)]; j < S; ++j) {
            mask[size_t(b * S + j)] = 1.0f;
            any_padding = true;
        }
    if (any_padding) out.key_padding_mask = tensor(mask, {B, S});
    return out;
}

// ---- decoders ---------------------------------------------------------------------------

Decoder::Decoder(int vocab, int emb, int output_dim, Rng& rng)
    : embedding(vocab, emb, /*padding_idx=*/0, rng), out(output_dim, vocab, true, rng) {
    register_module("embedding", embedding);
    register_module("out", out);
}

DecoderCarry Decoder::initial(const EncoderOutput& enc) const { return {enc.final, Tensor()}; }

// ---- the whole model ---------------------------------------------------------------------

static Seq2SeqConfig checked(const Seq2SeqConfig& c) {
    if (c.src_vocab <= 4 || c.tgt_vocab <= 4 || c.embedding_dim <= 0 || c.hidden_size <= 0)
        throw std::invalid_argument("Seq2Seq: vocab sizes (" + std::to_string(c.src_vocab) + ", " +
                                    std::to_string(c.tgt_vocab) + ") must exceed the 4 specials and dims be positive");
    return c;
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& c, std::unique_ptr<Decoder> dec, Rng& rng)
    : config(checked(c)), encoder(c.src_vocab, c.embedding_dim, c.hidden_size, rng), decoder(std::move(dec)) {
    if (!decoder) throw std::invalid_argument("Seq2Seq: decoder is null");
    register_module("encoder", encoder);
    register_module("decoder", *decoder);
}

// The encoder is built first, then the decoder (the order the Rng draws their weights).
Seq2Seq::Seq2Seq(const Seq2SeqConfig& c, DecoderFactory make_decoder, Rng& rng)
    : config(checked(c)), encoder(c.src_vocab, c.embedding_dim, c.hidden_size, rng), decoder(make_decoder(c, rng)) {
    register_module("encoder", encoder);
    register_module("decoder", *decoder);
}

Seq2SeqOutput Seq2Seq::forward(const data::Batch& batch) const {
    const int B = batch.B, T = batch.T;
    const EncoderOutput enc = encoder.forward(batch.src, B, batch.S, batch.src_lengths);
    const DecoderMemory memory = decoder->prepare(enc);
    DecoderCarry carry = decoder->initial(enc);
    // Teacher forcing: every input token y_{t-1} is known, so embed all T of them at once.
    const Tensor emb = decoder->embedding.forward(transpose_ids(batch.tgt_in, B, T), {T, B});  // [T, B, E]
    std::vector<Tensor> outputs, weights;
    for (int t = 0; t < T; ++t) {
        DecoderStepOutput o = decoder->step(select(emb, 0, t), carry, memory);
        outputs.push_back(o.output);
        if (o.attention.defined()) weights.push_back(o.attention);
        carry = std::move(o.next);
    }
    // The output layer for every step in one gemm: [B, T, D] -> [B, T, V].
    Seq2SeqOutput r;
    r.logits = decoder->logits(stack(outputs, 1));
    if (!weights.empty()) r.attention = stack(weights, 1);
    return r;
}

Tensor Seq2Seq::loss(const data::Batch& batch) const {
    const Tensor logits = forward(batch).logits;
    // tgt_out is [B, T] row-major, the same order as logits' first two dims; <pad> = 0 is ignored.
    return cross_entropy(reshape(logits, {batch.B * batch.T, logits.size(2)}), batch.tgt_out, /*ignore_index=*/0);
}

// ---- decoding adapter --------------------------------------------------------------------

namespace {
struct Seq2SeqState : DecoderState {
    std::shared_ptr<const DecoderMemory> memory;  // the encoded source, shared by every step and hypothesis
    DecoderCarry carry;
};
}  // namespace

std::shared_ptr<const DecoderState> Seq2SeqStepDecoder::start(const std::vector<int>& src) {
    if (src.empty()) throw std::invalid_argument("Seq2SeqStepDecoder::start: empty source sentence");
    NoGrad no_grad;
    const int S = int(src.size());
    const EncoderOutput enc = model_.encoder.forward(src, 1, S, {S});
    auto state = std::make_shared<Seq2SeqState>();
    state->memory = std::make_shared<const DecoderMemory>(model_.decoder->prepare(enc));
    state->carry = model_.decoder->initial(enc);
    return state;
}

StepResult Seq2SeqStepDecoder::step(const DecoderState& state, int prev_token) {
    NoGrad no_grad;
    const auto& s = static_cast<const Seq2SeqState&>(state);
    const Tensor emb = model_.decoder->embedding.forward({prev_token}, {1});  // [1, E]
    DecoderStepOutput o = model_.decoder->step(emb, s.carry, *s.memory);
    StepResult r;
    r.log_probs = log_softmax(model_.decoder->logits(o.output), 1).to_vector();
    if (o.attention.defined()) r.attention = o.attention.to_vector();
    auto next = std::make_shared<Seq2SeqState>();
    next->memory = s.memory;
    next->carry = std::move(o.next);
    r.state = next;
    return r;
}

}  // namespace tinyattn::models
