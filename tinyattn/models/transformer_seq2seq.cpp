// transformer_seq2seq.cpp — embeddings, masks, the nn::Transformer body, the head, and the
// step-by-step adapter for greedy and beam decoding.
#include "tinyattn/models/transformer_seq2seq.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/autograd.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn::models {

TransformerSeq2Seq::TransformerSeq2Seq(const TransformerConfig& c, Rng& rng)
    : config(c),
      src_embedding(c.src_vocab, c.d_model, /*padding_idx=*/0, rng),
      tgt_embedding(c.tgt_vocab, c.d_model, /*padding_idx=*/0, rng),
      positions(c.d_model, c.max_len, c.dropout, rng),
      transformer(nn::TransformerOptions(c.d_model, c.nhead)
                      .num_encoder_layers(c.num_encoder_layers)
                      .num_decoder_layers(c.num_decoder_layers)
                      .dim_feedforward(c.dim_feedforward)
                      .dropout(c.dropout)
                      .norm_first(true),
                  rng),
      generator(c.d_model, c.tgt_vocab, true, rng) {
    if (c.src_vocab <= 0 || c.tgt_vocab <= 0)
        throw std::invalid_argument("TransformerSeq2Seq: vocabulary sizes must be positive, got " +
                                    std::to_string(c.src_vocab) + " and " + std::to_string(c.tgt_vocab));
    // N(0, 1/d) so that Embedding·√d has unit-size entries, like the positions added to it.
    const float std = 1.0f / std::sqrt(float(c.d_model));
    for (nn::Embedding* e : {&src_embedding, &tgt_embedding})
        for (size_t i = 0; i < e->weight.numel(); ++i)
            e->weight.data()[i] = i < size_t(c.d_model) ? 0.0f : rng.normal(0.0f, std);  // row 0 = <pad> stays 0
    register_module("src_embedding", src_embedding);
    register_module("tgt_embedding", tgt_embedding);
    register_module("positions", positions);
    register_module("transformer", transformer);
    register_module("generator", generator);
}

Tensor TransformerSeq2Seq::embed_source(const std::vector<int>& ids, int B, int S) const {
    return positions.forward(mul(src_embedding.forward(ids, {B, S}), std::sqrt(float(config.d_model))));
}

Tensor TransformerSeq2Seq::embed_target(const std::vector<int>& ids, int B, int T) const {
    return positions.forward(mul(tgt_embedding.forward(ids, {B, T}), std::sqrt(float(config.d_model))));
}

Tensor padding_mask_tensor(const std::vector<uint8_t>& mask, int B, int L) {
    if (mask.size() != size_t(B) * size_t(L))
        throw std::invalid_argument("padding_mask_tensor: " + std::to_string(mask.size()) + " entries for [" +
                                    std::to_string(B) + ", " + std::to_string(L) + "]");
    bool any = false;
    for (uint8_t m : mask) any = any || m != 0;
    if (!any) return Tensor();
    return tensor(std::vector<float>(mask.begin(), mask.end()), {B, L});
}

TransformerSeq2SeqOutput TransformerSeq2Seq::forward(const data::Batch& batch) const {
    const Tensor src_pad = padding_mask_tensor(batch.src_key_padding_mask, batch.B, batch.S);
    const Tensor tgt_pad = padding_mask_tensor(batch.tgt_key_padding_mask, batch.B, batch.T);
    // memory_key_padding_mask = src_pad: cross-attention must not read padded source positions either.
    const nn::TransformerOutput o = transformer.forward(
        embed_source(batch.src, batch.B, batch.S), embed_target(batch.tgt_in, batch.B, batch.T),
        /*src_mask=*/Tensor(), /*tgt_mask=*/nn::causal_mask(batch.T), /*memory_mask=*/Tensor(),
        /*src_key_padding_mask=*/src_pad, /*tgt_key_padding_mask=*/tgt_pad, /*memory_key_padding_mask=*/src_pad);
    return {generator.forward(o.output), o.encoder_self_weights, o.decoder_self_weights, o.decoder_cross_weights};
}

Tensor TransformerSeq2Seq::loss(const data::Batch& batch) const {
    const Tensor logits = forward(batch).logits;
    // tgt_out is [B, T] row-major like logits' first two dims; <pad> = 0 is ignored.
    return cross_entropy(reshape(logits, {batch.B * batch.T, logits.size(2)}), batch.tgt_out, /*ignore_index=*/0);
}

// ---- decoding adapter --------------------------------------------------------------------

namespace {
struct TransformerState : DecoderState {
    std::shared_ptr<const Tensor> memory;  // the encoder's output [1, S, d], shared by every step
    std::vector<int> prefix;               // decoder inputs read so far: <bos> y1 .. y_t
};
}  // namespace

std::shared_ptr<const DecoderState> TransformerStepDecoder::start(const std::vector<int>& src) {
    if (src.empty()) throw std::invalid_argument("TransformerStepDecoder::start: empty source sentence");
    if (model_.is_training() && model_.config.dropout > 0)
        throw std::logic_error("TransformerStepDecoder: the model is in training mode (dropout on); call model.eval()");
    NoGrad no_grad;
    const int S = int(src.size());
    auto state = std::make_shared<TransformerState>();
    state->memory = std::make_shared<const Tensor>(model_.transformer.encoder.forward(model_.embed_source(src, 1, S)).output);
    return state;
}

StepResult TransformerStepDecoder::step(const DecoderState& state, int prev_token) {
    NoGrad no_grad;
    const auto& s = static_cast<const TransformerState&>(state);
    auto next = std::make_shared<TransformerState>();
    next->memory = s.memory;
    next->prefix = s.prefix;
    next->prefix.push_back(prev_token);
    const int T = int(next->prefix.size());
    const nn::DecoderOutput dec = model_.transformer.decoder.forward(model_.embed_target(next->prefix, 1, T), *s.memory,
                                                                     nn::causal_mask(T));
    const Tensor last = select(select(dec.output, 0, 0), 0, T - 1);  // [d]: the newest position
    StepResult r;
    r.log_probs = log_softmax(model_.generator.forward(unsqueeze(last, 0)), 1).to_vector();
    // The last layer's cross-attention [1, H, T, S]: row T-1, averaged over the heads.
    const Tensor& w = dec.cross_weights.back();
    const int H = w.size(1), S = w.size(3);
    r.attention.assign(size_t(S), 0.0f);
    for (int h = 0; h < H; ++h)
        for (int j = 0; j < S; ++j) r.attention[size_t(j)] += w.data()[(size_t(h) * T + size_t(T - 1)) * S + j] / float(H);
    r.state = next;
    return r;
}

}  // namespace tinyattn::models
