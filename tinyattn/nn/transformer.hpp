// transformer.hpp — the Transformer (Vaswani et al. 2017) in its pre-LN form, with
// torch.nn.Transformer's module and parameter names (norm_first=True, activation ReLU,
// batch_first=True):
//
//   encoder layer:  x = x + Dropout(SelfAttn(LN1(x)))             "self_attn", "norm1"
//                   x = x + Dropout(FF(LN2(x)))                    "linear1", "linear2", "norm2"
//   decoder layer:  x = x + Dropout(SelfAttn(LN1(x), causal))      "self_attn", "norm1"
//                   x = x + Dropout(CrossAttn(LN2(x), memory))     "multihead_attn", "norm2"
//                   x = x + Dropout(FF(LN3(x)))                    "linear1", "linear2", "norm3"
//   FF(x) = linear2(Dropout(relu(linear1(x))))
//
// Pre-LN (Xiong et al. 2020) normalises the input of each block instead of the sum after it;
// it trains without a learning-rate warm-up trap and needs a final LayerNorm on each stack
// ("encoder.norm", "decoder.norm"). Shapes are batch first: [B, T, d_model].
//
// Every forward also returns each layer's per-head attention weights [B, H, Tq, Tk], in layer
// order, for the lesson's layers × heads grid.
#pragma once
#include <memory>
#include <vector>

#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/layer_norm.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/multihead_attention.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"  // causal_mask

namespace tinyattn::nn {

struct EncoderLayerOutput {
    Tensor output;        // [B, S, d_model]
    Tensor self_weights;  // [B, H, S, S]
};

class TransformerEncoderLayer : public Module {
public:
    TransformerEncoderLayer(int d_model, int nhead, int dim_feedforward = 2048, float dropout = 0.1f,
                            Rng& rng = global_rng());
    // src [B, S, d]; src_key_padding_mask [B, S] (1 = padded); src_mask [S, S] (1 = masked) or undefined
    EncoderLayerOutput forward(const Tensor& src, const Tensor& src_key_padding_mask = Tensor(),
                               const Tensor& src_mask = Tensor()) const;

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

class TransformerDecoderLayer : public Module {
public:
    TransformerDecoderLayer(int d_model, int nhead, int dim_feedforward = 2048, float dropout = 0.1f,
                            Rng& rng = global_rng());
    // tgt [B, T, d], memory [B, S, d] (the encoder's output); tgt_mask [T, T] (usually
    // causal_mask(T)); tgt_key_padding_mask [B, T]; memory_key_padding_mask [B, S]
    DecoderLayerOutput forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                               const Tensor& tgt_key_padding_mask = Tensor(),
                               const Tensor& memory_key_padding_mask = Tensor()) const;

    MultiheadAttention self_attn, multihead_attn;
    Linear linear1;
    Dropout dropout;
    Linear linear2;
    LayerNorm norm1, norm2, norm3;
    Dropout dropout1, dropout2, dropout3;
};

struct EncoderOutput {
    Tensor output;                      // the memory [B, S, d], after the final LayerNorm
    std::vector<Tensor> self_weights;   // one [B, H, S, S] per layer
};

class TransformerEncoder : public Module {
public:
    TransformerEncoder(int num_layers, int d_model, int nhead, int dim_feedforward, float dropout,
                       Rng& rng = global_rng());
    EncoderOutput forward(const Tensor& src, const Tensor& src_key_padding_mask = Tensor()) const;

    std::vector<std::unique_ptr<TransformerEncoderLayer>> layers;  // "layers.0", "layers.1", ...
    LayerNorm norm;
};

struct DecoderOutput {
    Tensor output;                      // [B, T, d], after the final LayerNorm
    std::vector<Tensor> self_weights;   // one [B, H, T, T] per layer
    std::vector<Tensor> cross_weights;  // one [B, H, T, S] per layer
};

class TransformerDecoder : public Module {
public:
    TransformerDecoder(int num_layers, int d_model, int nhead, int dim_feedforward, float dropout,
                       Rng& rng = global_rng());
    DecoderOutput forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                          const Tensor& tgt_key_padding_mask = Tensor(),
                          const Tensor& memory_key_padding_mask = Tensor()) const;

    std::vector<std::unique_ptr<TransformerDecoderLayer>> layers;
    LayerNorm norm;
};

struct TransformerOutput {
    Tensor output;                              // [B, T, d_model] (add your own Linear head)
    std::vector<Tensor> encoder_self_weights;   // per encoder layer [B, H, S, S]
    std::vector<Tensor> decoder_self_weights;   // per decoder layer [B, H, T, T]
    std::vector<Tensor> decoder_cross_weights;  // per decoder layer [B, H, T, S]
};

// torch.nn.Transformer without embeddings and output head (as in PyTorch). Initialised as
// PyTorch does: every parameter with 2+ dims gets xavier_uniform_, biases as their layers.
class Transformer : public Module {
public:
    Transformer(int d_model = 512, int nhead = 8, int num_encoder_layers = 6, int num_decoder_layers = 6,
                int dim_feedforward = 2048, float dropout = 0.1f, Rng& rng = global_rng());
    // src [B, S, d], tgt [B, T, d] (already embedded + positions). For training a decoder
    // pass tgt_mask = causal_mask(T). For decoding, call encoder.forward once and
    // decoder.forward per step.
    TransformerOutput forward(const Tensor& src, const Tensor& tgt, const Tensor& src_key_padding_mask = Tensor(),
                              const Tensor& tgt_mask = Tensor(), const Tensor& tgt_key_padding_mask = Tensor(),
                              const Tensor& memory_key_padding_mask = Tensor()) const;

    TransformerEncoder encoder;
    TransformerDecoder decoder;
};

}  // namespace tinyattn::nn
