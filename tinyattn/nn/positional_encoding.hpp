// positional_encoding.hpp — sinusoidal positions (Vaswani et al. 2017, section 3.5):
//
//   PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
//   PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))
//
// Attention itself is blind to word order (permute the keys and the weights permute along);
// adding PE to the embeddings tells each position where it is. Fixed, not learned: no parameters.
#pragma once
#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class PositionalEncoding : public Module {
public:
    PositionalEncoding(int d_model, int max_len = 512, float dropout = 0.0f, Rng& rng = global_rng());
    // x [B, T, d_model] -> dropout(x + PE[start:start+T]); start > 0 when decoding one new
    // position at a time (the KV-cached decoder adds PE[t] to the token at position t).
    Tensor forward(const Tensor& x, int start = 0) const;

    int d_model, max_len;
    Tensor pe;  // [max_len, d_model], a constant (not a parameter)
    Dropout drop;
};

}  // namespace tinyattn::nn
