// transformer.hpp — the Transformer (Vaswani et al. 2017), post-LN as in the paper or pre-LN,
// with torch.nn.Transformer's module and parameter names, its masks in its argument order, and
// its defaults (activation ReLU; batch_first=True here, PyTorch's default is [T, B, d]):
//
//   norm_first = false (post-LN, the paper's form and PyTorch's DEFAULT):
//     encoder layer:  x = LN1(x + Dropout(SelfAttn(x)))                "self_attn", "norm1"
//                     x = LN2(x + Dropout(FF(x)))                      "linear1", "linear2", "norm2"
//     decoder layer:  x = LN1(x + Dropout(SelfAttn(x, causal)))        "self_attn", "norm1"
//                     x = LN2(x + Dropout(CrossAttn(x, memory)))       "multihead_attn", "norm2"
//                     x = LN3(x + Dropout(FF(x)))                      "linear1", "linear2", "norm3"
//   norm_first = true (pre-LN, Xiong et al. 2020):
//     encoder layer:  x = x + Dropout(SelfAttn(LN1(x)))
//                     x = x + Dropout(FF(LN2(x)))
//     decoder layer:  x = x + Dropout(SelfAttn(LN1(x), causal))
//                     x = x + Dropout(CrossAttn(LN2(x), memory))
//                     x = x + Dropout(FF(LN3(x)))
//   FF(x) = linear2(Dropout(relu(linear1(x))))
//
// Pre-LN normalises the input of each block instead of the sum after it; it trains without a
// learning-rate warm-up trap (lesson 10 uses it). Either way each stack ends in a LayerNorm
// ("encoder.norm", "decoder.norm"), as torch.nn.Transformer builds its stacks.
//
// Masks (every one optional; pass Tensor() to skip), 1 (or true) = masked, applied to the
// attention scores before the softmax, exactly PyTorch's names and meaning:
//   src_mask / tgt_mask / memory_mask   [Tq, Tk]  query i may not read key j; the same for every
//                                                 batch row (tgt_mask is usually causal_mask(T))
//   *_key_padding_mask                  [B, Tk]   key j of batch row b is padding: nobody reads it
// Batch first, so a key padding mask is [B, Tk] and an attention mask [Tq, Tk]; when B = Tk = Tq
// both shapes agree and swapped arguments would pass the shape checks: keep PyTorch's order.
//
// Construction, as in libtorch (named options instead of Python's keyword arguments):
//   nn::TransformerEncoderLayer layer(nn::TransformerLayerOptions(8, 2).dim_feedforward(16).dropout(0.0f));
//   nn::Transformer model(nn::TransformerOptions(128, 4).num_encoder_layers(2).norm_first(true));
// mean torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
// and torch.nn.Transformer(128, 4, num_encoder_layers=2, norm_first=True, batch_first=True).
//
// Every forward also returns each layer's per-head attention weights [B, H, Tq, Tk], in layer
// order, for the lesson's layers × heads grid.
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/layer_norm.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/multihead_attention.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"  // causal_mask

namespace tinyattn::nn {

// One encoder or decoder layer: PyTorch's defaults (dim_feedforward 2048, dropout 0.1, post-LN).
struct TransformerLayerOptions {
    TransformerLayerOptions(int d_model, int nhead) : d_model_(d_model), nhead_(nhead) {}
    TransformerLayerOptions& dim_feedforward(int n) { dim_feedforward_ = n; return *this; }
    TransformerLayerOptions& dropout(float p) { dropout_ = p; return *this; }
    TransformerLayerOptions& norm_first(bool on) { norm_first_ = on; return *this; }

    int d_model_, nhead_;
    int dim_feedforward_ = 2048;
    float dropout_ = 0.1f;
    bool norm_first_ = false;  // false: post-LN (PyTorch's default); true: pre-LN
};
using TransformerEncoderLayerOptions = TransformerLayerOptions;
using TransformerDecoderLayerOptions = TransformerLayerOptions;

struct EncoderLayerOutput {
    Tensor output;        // [B, S, d_model]
    Tensor self_weights;  // [B, H, S, S]
};

class TransformerEncoderLayer : public Module {
public:
    explicit TransformerEncoderLayer(const TransformerLayerOptions& options, Rng& rng = global_rng());
    // src [B, S, d]; src_mask [S, S]; src_key_padding_mask [B, S]  (torch: src, src_mask, src_key_padding_mask)
    EncoderLayerOutput forward(const Tensor& src, const Tensor& src_mask = Tensor(),
                               const Tensor& src_key_padding_mask = Tensor()) const;

    bool norm_first;
    MultiheadAttention self_attn;
    Linear linear1;
    Dropout dropout;
    Linear linear2;
    LayerNorm norm1, norm2;
    Dropout dropout1, dropout2;
};

struct DecoderLayerOutput {
    Tensor output;         // [B, T, d_model]
    Tensor self_weights;   // [B, H, T, T]
    Tensor cross_weights;  // [B, H, T, S]
};

// What a decoder layer keeps between the steps of incremental decoding: the projected keys and
// values of its self-attention (one more position per step) and of its cross-attention (the memory).
struct DecoderLayerCache {
    MultiheadAttention::KVCache self, cross;
};

class TransformerDecoderLayer : public Module {
public:
    explicit TransformerDecoderLayer(const TransformerLayerOptions& options, Rng& rng = global_rng());
    // tgt [B, T, d], memory [B, S, d] (the encoder's output);
    // tgt_mask [T, T] (usually causal_mask(T)), memory_mask [T, S];
    // tgt_key_padding_mask [B, T], memory_key_padding_mask [B, S]      (torch's order)
    DecoderLayerOutput forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                               const Tensor& memory_mask = Tensor(), const Tensor& tgt_key_padding_mask = Tensor(),
                               const Tensor& memory_key_padding_mask = Tensor()) const;
    // Incremental decoding: the output for ONE new position tgt_t [B, 1, d], whose self-attention
    // reads the earlier positions from `cache` (and adds this one to it). Starts from an empty cache.
    DecoderLayerOutput forward_step(const Tensor& tgt_t, const Tensor& memory, const Tensor& memory_key_padding_mask,
                                    DecoderLayerCache& cache) const;

    bool norm_first;
    MultiheadAttention self_attn, multihead_attn;
    Linear linear1;
    Dropout dropout;
    Linear linear2;
    LayerNorm norm1, norm2, norm3;
    Dropout dropout1, dropout2, dropout3;

private:
    using Attend = std::function<AttentionOutput(const Tensor&)>;
    // The layer's blocks around its self-attention and cross-attention (forward and forward_step).
    DecoderLayerOutput body(const Tensor& tgt, const Attend& self_attend, const Attend& cross_attend) const;
};

struct EncoderOutput {
    Tensor output;                      // the memory [B, S, d], after the final LayerNorm
    std::vector<Tensor> self_weights;   // one [B, H, S, S] per layer
};

// num_layers copies of one layer design, then a LayerNorm: torch.nn.TransformerEncoder(layer,
// num_layers, norm=LayerNorm(d_model)), as torch.nn.Transformer builds it.
class TransformerEncoder : public Module {
public:
    TransformerEncoder(const TransformerLayerOptions& layer, int num_layers, Rng& rng = global_rng());
    // src [B, S, d]; mask [S, S]; src_key_padding_mask [B, S]   (torch: src, mask, src_key_padding_mask)
    EncoderOutput forward(const Tensor& src, const Tensor& mask = Tensor(),
                          const Tensor& src_key_padding_mask = Tensor()) const;

    std::vector<std::unique_ptr<TransformerEncoderLayer>> layers;  // "layers.0", "layers.1", ...
    LayerNorm norm;
};

struct DecoderOutput {
    Tensor output;                      // [B, T, d], after the final LayerNorm
    std::vector<Tensor> self_weights;   // one [B, H, T, T] per layer
    std::vector<Tensor> cross_weights;  // one [B, H, T, S] per layer
};

// torch.nn.TransformerDecoder(layer, num_layers, norm=LayerNorm(d_model)).
class TransformerDecoder : public Module {
public:
    TransformerDecoder(const TransformerLayerOptions& layer, int num_layers, Rng& rng = global_rng());
    // masks as TransformerDecoderLayer::forward, in torch's order
    DecoderOutput forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                          const Tensor& memory_mask = Tensor(), const Tensor& tgt_key_padding_mask = Tensor(),
                          const Tensor& memory_key_padding_mask = Tensor()) const;
    // One new position tgt_t [B, 1, d] with a KV cache per layer (an empty vector to start):
    // output [B, 1, d], self weights [B, H, 1, t+1], cross weights [B, H, 1, S] per layer.
    DecoderOutput forward_step(const Tensor& tgt_t, const Tensor& memory, const Tensor& memory_key_padding_mask,
                               std::vector<DecoderLayerCache>& cache) const;

    std::vector<std::unique_ptr<TransformerDecoderLayer>> layers;
    LayerNorm norm;
};

struct TransformerOutput {
    Tensor output;                              // [B, T, d_model] (add your own Linear head)
    std::vector<Tensor> encoder_self_weights;   // per encoder layer [B, H, S, S]
    std::vector<Tensor> decoder_self_weights;   // per decoder layer [B, H, T, T]
    std::vector<Tensor> decoder_cross_weights;  // per decoder layer [B, H, T, S]
};

// torch.nn.Transformer's defaults: d_model 512, nhead 8, 6 + 6 layers, dim_feedforward 2048,
// dropout 0.1, post-LN.
struct TransformerOptions {
    TransformerOptions(int d_model = 512, int nhead = 8) : layer(d_model, nhead) {}
    TransformerOptions& num_encoder_layers(int n) { num_encoder_layers_ = n; return *this; }
    TransformerOptions& num_decoder_layers(int n) { num_decoder_layers_ = n; return *this; }
    TransformerOptions& dim_feedforward(int n) { layer.dim_feedforward(n); return *this; }
    TransformerOptions& dropout(float p) { layer.dropout(p); return *this; }
    TransformerOptions& norm_first(bool on) { layer.norm_first(on); return *this; }

    TransformerLayerOptions layer;  // every encoder and decoder layer is built from these
    int num_encoder_layers_ = 6, num_decoder_layers_ = 6;
};

// torch.nn.Transformer without embeddings and output head (as in PyTorch). Initialised as
// PyTorch does: every parameter with 2+ dims gets xavier_uniform_, biases as their layers.
class Transformer : public Module {
public:
    explicit Transformer(const TransformerOptions& options = TransformerOptions(), Rng& rng = global_rng());
    // src [B, S, d], tgt [B, T, d] (already embedded + positions); masks as above, in torch's
    // order. For training a decoder pass tgt_mask = causal_mask(T); memory_key_padding_mask is
    // usually src_key_padding_mask. For decoding, call encoder.forward once and
    // decoder.forward per step.
    TransformerOutput forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask = Tensor(),
                              const Tensor& tgt_mask = Tensor(), const Tensor& memory_mask = Tensor(),
                              const Tensor& src_key_padding_mask = Tensor(),
                              const Tensor& tgt_key_padding_mask = Tensor(),
                              const Tensor& memory_key_padding_mask = Tensor()) const;

    TransformerEncoder encoder;
    TransformerDecoder decoder;
};

}  // namespace tinyattn::nn
