// transformer.cpp — post-LN and pre-LN encoder and decoder layers, their stacks, and the Transformer.
#include "tinyattn/nn/transformer.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

namespace {
// The position-wise feed-forward block: linear2(dropout(relu(linear1(x)))).
Tensor feed_forward(const Tensor& x, const Linear& linear1, const Dropout& dropout, const Linear& linear2) {
    return linear2.forward(dropout.forward(relu(linear1.forward(x))));
}

void check_model_input(const char* who, const Tensor& x, int d_model) {
    check_defined(who, x);
    if (x.dim() != 3 || x.size(2) != d_model)
        throw std::invalid_argument(std::string(who) + ": input must be [B, T, " + std::to_string(d_model) +
                                    "] (batch first), got " + shape_str(x.shape()));
}
}  // namespace

// ---- encoder layer --------------------------------------------------------------------------

namespace {
MultiheadAttentionOptions attention_options(const TransformerLayerOptions& o) {
    return MultiheadAttentionOptions(o.d_model_, o.nhead_).dropout(o.dropout_);
}
}  // namespace

TransformerEncoderLayer::TransformerEncoderLayer(const TransformerLayerOptions& o, Rng& rng)
    : norm_first(o.norm_first_), self_attn(attention_options(o), rng), linear1(o.d_model_, o.dim_feedforward_, true, rng),
      dropout(o.dropout_, rng), linear2(o.dim_feedforward_, o.d_model_, true, rng), norm1(o.d_model_),
      norm2(o.d_model_), dropout1(o.dropout_, rng), dropout2(o.dropout_, rng) {
    register_module("self_attn", self_attn);
    register_module("linear1", linear1);
    register_module("dropout", dropout);
    register_module("linear2", linear2);
    register_module("norm1", norm1);
    register_module("norm2", norm2);
    register_module("dropout1", dropout1);
    register_module("dropout2", dropout2);
}

EncoderLayerOutput TransformerEncoderLayer::forward(const Tensor& src, const Tensor& src_mask,
                                                    const Tensor& src_key_padding_mask) const {
    check_model_input("TransformerEncoderLayer", src, self_attn.embed_dim);
    if (norm_first) {  // x + Dropout(block(LN(x)))
        const Tensor x1 = norm1.forward(src);
        const AttentionOutput sa = self_attn.forward(x1, x1, x1, src_key_padding_mask, src_mask);
        const Tensor x = add(src, dropout1.forward(sa.context));
        const Tensor y = add(x, dropout2.forward(feed_forward(norm2.forward(x), linear1, dropout, linear2)));
        return {y, sa.weights};
    }
    // LN(x + Dropout(block(x)))
    const AttentionOutput sa = self_attn.forward(src, src, src, src_key_padding_mask, src_mask);
    const Tensor x = norm1.forward(add(src, dropout1.forward(sa.context)));
    const Tensor y = norm2.forward(add(x, dropout2.forward(feed_forward(x, linear1, dropout, linear2))));
    return {y, sa.weights};
}

// ---- decoder layer --------------------------------------------------------------------------

TransformerDecoderLayer::TransformerDecoderLayer(const TransformerLayerOptions& o, Rng& rng)
    : norm_first(o.norm_first_), self_attn(attention_options(o), rng), multihead_attn(attention_options(o), rng),
      linear1(o.d_model_, o.dim_feedforward_, true, rng), dropout(o.dropout_, rng),
      linear2(o.dim_feedforward_, o.d_model_, true, rng), norm1(o.d_model_), norm2(o.d_model_), norm3(o.d_model_),
      dropout1(o.dropout_, rng), dropout2(o.dropout_, rng), dropout3(o.dropout_, rng) {
    register_module("self_attn", self_attn);
    register_module("multihead_attn", multihead_attn);
    register_module("linear1", linear1);
    register_module("dropout", dropout);
    register_module("linear2", linear2);
    register_module("norm1", norm1);
    register_module("norm2", norm2);
    register_module("norm3", norm3);
    register_module("dropout1", dropout1);
    register_module("dropout2", dropout2);
    register_module("dropout3", dropout3);
}

DecoderLayerOutput TransformerDecoderLayer::forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask,
                                                    const Tensor& memory_mask, const Tensor& tgt_key_padding_mask,
                                                    const Tensor& memory_key_padding_mask) const {
    check_model_input("TransformerDecoderLayer", tgt, self_attn.embed_dim);
    check_model_input("TransformerDecoderLayer (memory)", memory, self_attn.embed_dim);
    return body(
        tgt, [&](const Tensor& x) { return self_attn.forward(x, x, x, tgt_key_padding_mask, tgt_mask); },
        // cross-attention (multihead_attn): queries from the decoder, keys and values from the memory
        [&](const Tensor& x) {
            return multihead_attn.forward(x, memory, memory, memory_key_padding_mask, memory_mask);
        });
}

// One new position: its self-attention reads the cached keys and values of the positions before
// it (plus its own, appended now) and needs no causal mask; the memory is projected on the first
// step only. The same numbers as row t of forward() with a causal mask, up to float rounding.
DecoderLayerOutput TransformerDecoderLayer::forward_step(const Tensor& tgt_t, const Tensor& memory,
                                                         const Tensor& memory_key_padding_mask,
                                                         DecoderLayerCache& cache) const {
    check_model_input("TransformerDecoderLayer::forward_step", tgt_t, self_attn.embed_dim);
    check_model_input("TransformerDecoderLayer::forward_step (memory)", memory, self_attn.embed_dim);
    if (!cache.cross.key.defined()) multihead_attn.extend_cache(cache.cross, memory, memory);
    return body(
        tgt_t,
        [&](const Tensor& x) {
            self_attn.extend_cache(cache.self, x, x);
            return self_attn.forward_cached(x, cache.self);
        },
        [&](const Tensor& x) { return multihead_attn.forward_cached(x, cache.cross, memory_key_padding_mask); });
}

// The layer itself, whichever way its two attentions are computed.
DecoderLayerOutput TransformerDecoderLayer::body(const Tensor& tgt, const Attend& self_attend,
                                                 const Attend& cross_attend) const {
    if (norm_first) {  // x + Dropout(block(LN(x)))
        const AttentionOutput sa = self_attend(norm1.forward(tgt));
        const Tensor x = add(tgt, dropout1.forward(sa.context));
        const AttentionOutput ca = cross_attend(norm2.forward(x));
        const Tensor y = add(x, dropout2.forward(ca.context));
        const Tensor z = add(y, dropout3.forward(feed_forward(norm3.forward(y), linear1, dropout, linear2)));
        return {z, sa.weights, ca.weights};
    }
    // LN(x + Dropout(block(x)))
    const AttentionOutput sa = self_attend(tgt);
    const Tensor x = norm1.forward(add(tgt, dropout1.forward(sa.context)));
    const AttentionOutput ca = cross_attend(x);
    const Tensor y = norm2.forward(add(x, dropout2.forward(ca.context)));
    const Tensor z = norm3.forward(add(y, dropout3.forward(feed_forward(y, linear1, dropout, linear2))));
    return {z, sa.weights, ca.weights};
}

// ---- the stacks -----------------------------------------------------------------------------

TransformerEncoder::TransformerEncoder(const TransformerLayerOptions& layer, int n, Rng& rng) : norm(layer.d_model_) {
    for (int i = 0; i < n; ++i) {
        layers.push_back(std::make_unique<TransformerEncoderLayer>(layer, rng));
        register_module("layers." + std::to_string(i), *layers.back());
    }
    register_module("norm", norm);
}

EncoderOutput TransformerEncoder::forward(const Tensor& src, const Tensor& mask,
                                          const Tensor& src_key_padding_mask) const {
    EncoderOutput out{src, {}};
    for (const auto& layer : layers) {
        EncoderLayerOutput o = layer->forward(out.output, mask, src_key_padding_mask);
        out.output = o.output;
        out.self_weights.push_back(o.self_weights);
    }
    out.output = norm.forward(out.output);
    return out;
}

TransformerDecoder::TransformerDecoder(const TransformerLayerOptions& layer, int n, Rng& rng) : norm(layer.d_model_) {
    for (int i = 0; i < n; ++i) {
        layers.push_back(std::make_unique<TransformerDecoderLayer>(layer, rng));
        register_module("layers." + std::to_string(i), *layers.back());
    }
    register_module("norm", norm);
}

DecoderOutput TransformerDecoder::forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask,
                                          const Tensor& memory_mask, const Tensor& tgt_key_padding_mask,
                                          const Tensor& memory_key_padding_mask) const {
    DecoderOutput out{tgt, {}, {}};
    for (const auto& layer : layers) {
        DecoderLayerOutput o = layer->forward(out.output, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
                                              memory_key_padding_mask);
        out.output = o.output;
        out.self_weights.push_back(o.self_weights);
        out.cross_weights.push_back(o.cross_weights);
    }
    out.output = norm.forward(out.output);
    return out;
}

DecoderOutput TransformerDecoder::forward_step(const Tensor& tgt_t, const Tensor& memory,
                                               const Tensor& memory_key_padding_mask,
                                               std::vector<DecoderLayerCache>& cache) const {
    if (cache.empty()) cache.resize(layers.size());
    if (cache.size() != layers.size())
        throw std::invalid_argument("TransformerDecoder::forward_step: the cache has " + std::to_string(cache.size()) +
                                    " layers, the decoder " + std::to_string(layers.size()));
    DecoderOutput out{tgt_t, {}, {}};
    for (size_t i = 0; i < layers.size(); ++i) {
        DecoderLayerOutput o = layers[i]->forward_step(out.output, memory, memory_key_padding_mask, cache[i]);
        out.output = o.output;
        out.self_weights.push_back(o.self_weights);
        out.cross_weights.push_back(o.cross_weights);
    }
    out.output = norm.forward(out.output);
    return out;
}

// ---- Transformer ----------------------------------------------------------------------------

Transformer::Transformer(const TransformerOptions& o, Rng& rng)
    : encoder(o.layer, o.num_encoder_layers_, rng), decoder(o.layer, o.num_decoder_layers_, rng) {
    register_module("encoder", encoder);
    register_module("decoder", decoder);
    // PyTorch's Transformer._reset_parameters: xavier_uniform_ on every matrix,
    // bound √(6 / (fan_in + fan_out)) for a [fan_out, fan_in] weight.
    for (Tensor& w : parameters())
        if (w.dim() > 1) {
            const float bound = std::sqrt(6.0f / float(w.size(0) + w.size(1)));
            for (size_t i = 0; i < w.numel(); ++i) w.data()[i] = rng.uniform(-bound, bound);
        }
}

TransformerOutput Transformer::forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask,
                                       const Tensor& tgt_mask, const Tensor& memory_mask,
                                       const Tensor& src_key_padding_mask, const Tensor& tgt_key_padding_mask,
                                       const Tensor& memory_key_padding_mask) const {
    EncoderOutput enc = encoder.forward(src, src_mask, src_key_padding_mask);
    DecoderOutput dec = decoder.forward(tgt, enc.output, tgt_mask, memory_mask, tgt_key_padding_mask,
                                        memory_key_padding_mask);
    return {dec.output, enc.self_weights, dec.self_weights, dec.cross_weights};
}

}  // namespace tinyattn::nn
