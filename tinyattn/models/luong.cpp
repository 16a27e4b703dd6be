// luong.cpp — Luong's decoder step (cell first, then attention with s_t, then h̃_t) and scores.
#include "tinyattn/models/luong.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::models {

// ---- scores ------------------------------------------------------------------------------

// 1/√H when scaled: s_tᵀ h̄_j / √H keeps the scores O(1) as H grows (and as Adam grows W_a).
static float query_scale_for(bool scaled, int hidden) { return scaled ? 1.0f / std::sqrt(float(hidden)) : 1.0f; }

LuongGlobalAttention::LuongGlobalAttention(nn::LuongScore score, int hidden, int attn_dim, bool scaled, Rng& rng)
    : attn(score, hidden, hidden, attn_dim, rng),
      query_scale(query_scale_for(scaled && score != nn::LuongScore::concat, hidden)) {
    register_module("attn", attn);
}

// Luong reads the encoder states as keys AND values: ctx_t = Σ_j a_t(j) h̄_j.
nn::AttentionOutput LuongGlobalAttention::attend(const Tensor& query, const Tensor& /*prepared*/, const Tensor& states,
                                                 const Tensor& key_padding_mask) const {
    return attn.forward(query_scale == 1.0f ? query : query * query_scale, states, states, key_padding_mask);
}

LuongLocalAttention::LuongLocalAttention(int hidden, int window, int predictor_dim, bool scaled, Rng& rng)
    : attn(hidden, hidden, window, predictor_dim, rng), query_scale(query_scale_for(scaled, hidden)) {
    register_module("attn", attn);
}

nn::AttentionOutput LuongLocalAttention::attend(const Tensor& query, const Tensor& /*prepared*/, const Tensor& states,
                                                const Tensor& key_padding_mask) const {
    return attn.forward(query_scale == 1.0f ? query : query * query_scale, states, states, key_padding_mask);
}

// ---- the decoder -------------------------------------------------------------------------

LuongDecoder::LuongDecoder(int vocab, int emb, int hidden, std::unique_ptr<SourceAttention> attn, bool feeding,
                           Rng& rng)
    : Decoder(vocab, emb, /*output_dim=*/hidden, rng), hidden_size(hidden), input_feeding(feeding),
      cell(feeding ? emb + hidden : emb, hidden, true, rng), attention(std::move(attn)),
      W_c(2 * hidden, hidden, /*bias=*/false, rng) {
    if (!attention) throw std::invalid_argument("LuongDecoder: attention is null (a Luong decoder always attends)");
    register_module("cell", cell);
    register_module("attention", *attention);
    register_module("W_c", W_c);
}

DecoderMemory LuongDecoder::prepare(const EncoderOutput& enc) const {
    DecoderMemory m;
    m.states = enc.states;
    m.key_padding_mask = enc.key_padding_mask;
    m.final_h = enc.final.h;
    m.prepared = attention->prepare(enc.states);
    return m;
}

DecoderCarry LuongDecoder::initial(const EncoderOutput& enc) const {
    DecoderCarry c = Decoder::initial(enc);  // (s_0, c_0) = the encoder's final (h, c)
    if (input_feeding) c.feed = zeros({enc.final.h.size(0), hidden_size});  // h̃_0 = 0
    return c;
}

DecoderStepOutput LuongDecoder::step(const Tensor& emb_prev, const DecoderCarry& carry,
                                     const DecoderMemory& memory) const {
    DecoderStepOutput r;
    // 1. The cell first, reading y_{t-1} (and, with input feeding, h̃_{t-1}).
    const Tensor x = input_feeding ? concat({emb_prev, carry.feed}, 1) : emb_prev;
    r.next.state = cell.forward(x, carry.state);
    const Tensor& s_t = r.next.state.h;
    // 2. Then attention, asked with the NEW state s_t — "what does the word I am writing need?"
    const nn::AttentionOutput a = attention->attend(s_t, memory.prepared, memory.states, memory.key_padding_mask);
    r.attention = a.weights;
    // 3. The attentional state h̃_t = tanh(W_c [ctx_t; s_t]) is what the output layer reads.
    r.output = tanh(W_c.forward(concat({a.context, s_t}, 1)));
    if (input_feeding) r.next.feed = r.output;
    return r;
}

// ---- building one --------------------------------------------------------------------------

const char* luong_variant_name(LuongVariant v) {
    switch (v) {
        case LuongVariant::dot: return "dot";
        case LuongVariant::general: return "general";
        case LuongVariant::concat: return "concat";
        case LuongVariant::local_p: return "local-p";
    }
    return "?";
}

LuongVariant parse_luong_variant(const std::string& name) {
    for (LuongVariant v : {LuongVariant::dot, LuongVariant::general, LuongVariant::concat, LuongVariant::local_p})
        if (name == luong_variant_name(v)) return v;
    throw std::invalid_argument("parse_luong_variant: '" + name + "' is not one of dot, general, concat, local-p");
}

std::unique_ptr<Seq2Seq> make_luong_seq2seq(const Seq2SeqConfig& c, const LuongOptions& o, Rng& rng) {
    const int H = c.hidden_size, attn_dim = c.attn_dim > 0 ? c.attn_dim : c.hidden_size;
    std::unique_ptr<SourceAttention> attention;
    switch (o.variant) {
        case LuongVariant::dot:
            attention = std::make_unique<LuongGlobalAttention>(nn::LuongScore::dot, H, 0, o.scaled, rng);
            break;
        case LuongVariant::general:
            attention = std::make_unique<LuongGlobalAttention>(nn::LuongScore::general, H, 0, o.scaled, rng);
            break;
        case LuongVariant::concat:
            attention = std::make_unique<LuongGlobalAttention>(nn::LuongScore::concat, H, attn_dim, o.scaled, rng);
            break;
        case LuongVariant::local_p:
            attention = std::make_unique<LuongLocalAttention>(H, o.window, attn_dim, o.scaled, rng);
            break;
    }
    // (The decoder draws its weights here, before the encoder's — the order is part of the seed.)
    auto decoder = std::make_unique<LuongDecoder>(c.tgt_vocab, c.embedding_dim, H, std::move(attention),
                                                  o.input_feeding, rng);
    return std::make_unique<Seq2Seq>(c, std::move(decoder), rng);
}

}  // namespace tinyattn::models
