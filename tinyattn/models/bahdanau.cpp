// bahdanau.cpp — one decoder step without attention (lesson 06) and with it (lesson 07).
#include "tinyattn/models/bahdanau.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::models {

// ---- lesson 06: a fixed context ----------------------------------------------------------------

FixedContextDecoder::FixedContextDecoder(int vocab, int emb, int hidden, Rng& rng)
    : Decoder(vocab, emb, 2 * hidden, rng), hidden_size(hidden), cell(emb + hidden, hidden, true, rng) {
    register_module("cell", cell);
}

DecoderMemory FixedContextDecoder::prepare(const EncoderOutput& enc) const {
    return {enc.states, Tensor(), enc.key_padding_mask, enc.final.h};
}

DecoderStepOutput FixedContextDecoder::step(const Tensor& emb_prev, const DecoderCarry& carry,
                                            const DecoderMemory& memory) const {
    const Tensor& context = memory.final_h;  // ctx_t = h_S: the same summary vector at every step
    DecoderStepOutput r;
    r.next.state = cell.forward(concat({emb_prev, context}, 1), carry.state);  // LSTMCell([emb(y_{t-1}); ctx_t])
    r.output = concat({r.next.state.h, context}, 1);                           // the output layer reads [s_t; ctx_t]
    return r;
}

// ---- lesson 07: Bahdanau attention -------------------------------------------------------------

BahdanauDecoder::BahdanauDecoder(int vocab, int emb, int hidden, std::unique_ptr<nn::AdditiveAttention> attn,
                                 Rng& rng)
    : Decoder(vocab, emb, 2 * hidden, rng), hidden_size(hidden), cell(emb + hidden, hidden, true, rng),
      attention(std::move(attn)) {
    if (!attention) throw std::invalid_argument("BahdanauDecoder: attention is null");
    register_module("cell", cell);
    // Parameter names "attention.attn.W_q.weight", ...: the names lesson 07's checkpoints carry.
    register_module("attention.attn", *attention);
}

DecoderMemory BahdanauDecoder::prepare(const EncoderOutput& enc) const {
    // W_k h_j (+ bias) for every source position: it does not depend on t, so one gemm per
    // sentence instead of one per decoder step.
    return {enc.states, attention->precompute_keys(enc.states), enc.key_padding_mask, enc.final.h};
}

DecoderStepOutput BahdanauDecoder::step(const Tensor& emb_prev, const DecoderCarry& carry,
                                        const DecoderMemory& memory) const {
    // The query is the PREVIOUS state s_{t-1}: "where should I look before I write word t?"
    const Tensor& s_prev = carry.state.h;  // [B, H]
    // e_tj = vᵀ tanh(W_q s_{t-1} + W_k h_j) for every j at once: [B, S]. additive_scores does it
    // in one pass; additive_scores_reference (ops/additive_scores.cpp) is the same op by op.
    const Tensor scores = additive_scores(attention->W_q.forward(s_prev), memory.prepared, attention->v.weight);
    // α_t = softmax over the source positions; padded positions get weight exactly 0.
    const Tensor alpha = nn::masked_softmax(scores, memory.key_padding_mask);  // [B, S]
    // ctx_t = Σ_j α_tj h_j: a weighted average of the encoder states.
    const Tensor context = nn::weighted_sum(alpha, memory.states);  // [B, H]

    // From here on, lesson 06's step with ctx_t in place of h_S.
    DecoderStepOutput r;
    r.next.state = cell.forward(concat({emb_prev, context}, 1), carry.state);  // LSTMCell([emb(y_{t-1}); ctx_t])
    r.output = concat({r.next.state.h, context}, 1);                           // the output layer reads [s_t; ctx_t]
    r.attention = alpha;
    return r;
}

// ---- factories ---------------------------------------------------------------------------------

std::unique_ptr<Decoder> make_fixed_context_decoder(const Seq2SeqConfig& c, Rng& rng) {
    return std::make_unique<FixedContextDecoder>(c.tgt_vocab, c.embedding_dim, c.hidden_size, rng);
}

std::unique_ptr<Decoder> make_bahdanau_decoder(const Seq2SeqConfig& c, Rng& rng) {
    const int attn_dim = c.attn_dim > 0 ? c.attn_dim : c.hidden_size;
    auto attention = std::make_unique<nn::AdditiveAttention>(c.hidden_size, c.hidden_size, attn_dim, rng);
    return std::make_unique<BahdanauDecoder>(c.tgt_vocab, c.embedding_dim, c.hidden_size, std::move(attention), rng);
}

}  // namespace tinyattn::models
