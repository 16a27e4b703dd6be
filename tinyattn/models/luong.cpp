// luong.cpp — Luong's decoder step (cell first, then attention with s_t, then h̃_t) and scores.
#include "tinyattn/models/luong.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::models {

// ---- scores ------------------------------------------------------------------------------

// 1/√H when scaled: s_tᵀ h̄_j / √H keeps the scores O(1) as H grows (and as Adam grows W_a).
float luong_query_scale(bool scaled, int hidden) { return scaled ? 1.0f / std::sqrt(float(hidden)) : 1.0f; }

namespace {
Tensor scale_query(const Tensor& s_t, float query_scale) { return query_scale == 1.0f ? s_t : s_t * query_scale; }

// a_t = softmax_j(scores) over the unpadded positions, ctx_t = Σ_j a_t(j) h̄_j.
nn::AttentionOutput softmax_and_mix(const Tensor& scores, const Tensor& states, const Tensor& key_padding_mask) {
    const Tensor weights = nn::masked_softmax(scores, key_padding_mask);  // [B, S]
    return {nn::weighted_sum(weights, states), weights};                   // [B, H], [B, S]
}

Tensor linear_weight(int out, int in, Rng& rng) {  // PyTorch's Linear init: U(±1/√in)
    const float bound = 1.0f / std::sqrt(float(in));
    return uniform({out, in}, -bound, bound, rng);
}
}  // namespace

// dot: score_j = s_tᵀ h̄_j, all j at once as [B, S, H]·[B, H, 1].
Tensor DotScore::scores(const Tensor& s_t, const Tensor& states) const {
    const int B = states.size(0), S = states.size(1), H = states.size(2);
    const Tensor q = scale_query(s_t, query_scale);
    return reshape(matmul(states, reshape(q, {B, H, 1})), {B, S});
}

nn::AttentionOutput DotScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                     const Tensor& key_padding_mask, int /*t*/) const {
    return softmax_and_mix(scores(s_t, states), states, key_padding_mask);
}

GeneralScore::GeneralScore(int hidden, float scale, Rng& rng) : W_a(linear_weight(hidden, hidden, rng)), query_scale(scale) {
    register_parameter("W_a", W_a);
}

// general: score_j = s_tᵀ W_a h̄_j = (W_a h̄_j) · s_t.
Tensor GeneralScore::scores(const Tensor& s_t, const Tensor& states) const {
    const int B = states.size(0), S = states.size(1), H = states.size(2);
    const Tensor q = scale_query(s_t, query_scale);
    const Tensor Wh = linear(states, W_a, Tensor());  // [B, S, H]
    return reshape(matmul(Wh, reshape(q, {B, H, 1})), {B, S});
}

nn::AttentionOutput GeneralScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                         const Tensor& key_padding_mask, int /*t*/) const {
    return softmax_and_mix(scores(s_t, states), states, key_padding_mask);
}

ConcatScore::ConcatScore(int hidden, int attn_dim, Rng& rng)
    : W_a(linear_weight(attn_dim, 2 * hidden, rng)), v_a(linear_weight(1, attn_dim, rng)) {
    register_parameter("W_a", W_a);
    register_parameter("v_a", v_a);
}

// concat: score_j = v_aᵀ tanh(W_a [s_t; h̄_j]), with W_a [s; h] = W_a[:, :H] s + W_a[:, H:] h
// (the same product without building [s_t; h̄_j] for every j). Never scaled.
Tensor ConcatScore::scores(const Tensor& s_t, const Tensor& states) const {
    const int B = states.size(0), S = states.size(1), H = states.size(2), A = W_a.size(0);
    const Tensor ws = linear(s_t, narrow(W_a, 1, 0, H), Tensor());     // [B, A]
    const Tensor wh = linear(states, narrow(W_a, 1, H, H), Tensor());  // [B, S, A]
    const Tensor energy = tanh(add(reshape(ws, {B, 1, A}), wh));       // [B, S, A]
    return reshape(linear(energy, v_a, Tensor()), {B, S});
}

nn::AttentionOutput ConcatScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                        const Tensor& key_padding_mask, int /*t*/) const {
    return softmax_and_mix(scores(s_t, states), states, key_padding_mask);
}

LocalPScore::LocalPScore(int hidden, int window, int predictor_dim, float scale, Rng& rng)
    : local(hidden, hidden, window, predictor_dim, rng), query_scale(scale) {
    register_module("local", local);
}

// local-p: predict p_t from s_t, then the general score inside |j − p_t| ≤ D, times a Gaussian.
nn::AttentionOutput LocalPScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                        const Tensor& key_padding_mask, int /*t*/) const {
    return local.forward(scale_query(s_t, query_scale), states, states, key_padding_mask);
}

// content-based: β · cos(s_t, h̄_j), then the masked softmax and Σ_j a_t(j) h̄_j.
nn::AttentionOutput CosineScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                        const Tensor& key_padding_mask, int /*t*/) const {
    return cosine.forward(s_t, states, states, key_padding_mask);
}

// location-based: softmax((W_a s_t)[0 .. S-1]); `states` only give S and the values to mix.
nn::AttentionOutput LocationScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                          const Tensor& key_padding_mask, int /*t*/) const {
    return location.forward(s_t, states, states, key_padding_mask);
}

// local-m: the window's centre is given by the step number, one per sentence of the batch.
nn::AttentionOutput LocalMScore::attend(const Tensor& s_t, const Tensor& /*prepared*/, const Tensor& states,
                                        const Tensor& key_padding_mask, int t) const {
    const int B = states.size(0), S = states.size(1);
    std::vector<float> centres(static_cast<size_t>(B), 0.0f);
    for (int b = 0; b < B; ++b) {
        int length = S;  // sentence b's true length: its unpadded positions
        if (key_padding_mask.defined())
            for (int j = 0; j < S; ++j) length -= key_padding_mask.at({b, j}) != 0.0f ? 1 : 0;
        centres[size_t(b)] = std::min(float(t) * ratio, float(length - 1));
    }
    return local_m.forward(scale_query(s_t, query_scale), states, states, key_padding_mask, centres);
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
    const nn::AttentionOutput a =
        attention->attend(s_t, memory.prepared, memory.states, memory.key_padding_mask, carry.t);
    r.next.t = carry.t + 1;
    r.attention = a.weights;
    // 3. The attentional state h̃_t = tanh(W_c [ctx_t; s_t]) is what the output layer reads.
    r.output = tanh(W_c.forward(concat({a.context, s_t}, 1)));
    if (input_feeding) r.next.feed = r.output;
    return r;
}

// ---- building one --------------------------------------------------------------------------

std::unique_ptr<Seq2Seq> make_luong_seq2seq(const Seq2SeqConfig& c, std::unique_ptr<SourceAttention> score,
                                            bool input_feeding, Rng& rng) {
    // (The decoder draws its weights here, after the score's and before the encoder's — the order is part of the seed.)
    auto decoder = std::make_unique<LuongDecoder>(c.tgt_vocab, c.embedding_dim, c.hidden_size, std::move(score),
                                                  input_feeding, rng);
    return std::make_unique<Seq2Seq>(c, std::move(decoder), rng);
}

}  // namespace tinyattn::models
