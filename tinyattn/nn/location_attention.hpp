// location_attention.hpp — location-based attention: the weights come from the decoder state
// alone (Luong, Pham & Manning 2015, §3.1, eq. 8, "location"):
//
//   a_t = softmax(W_a h_t)      W_a [max_source_len, Dq]: one row per source POSITION
//   c_t = Σ_s a_t(s) h̄_s
//
// The scores never read the encoder states h̄_s: the decoder learns "at my state, look at
// position 3", whatever word stands there. That can follow a fixed order (dates, copying), but
// not a reordering that depends on the words (an adjective after its noun): lesson 08 shows it.
// A sentence of length S uses the first S scores (padding masked as usual); sources longer than
// max_source_len are refused with an error.
#pragma once
#include "tinyattn/nn/attention.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::nn {

class LocationAttention : public Module {
public:
    LocationAttention(int query_dim, int max_source_len, Rng& rng = global_rng());

    // query [B, Dq], keys [B, S, Dk] (only S is read), values [B, S, Dv], key_padding_mask [B, S]
    // (1 = padded) or undefined -> context [B, Dv], weights [B, S]. The same call shape as the
    // content-based attentions, so they can be swapped.
    AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                            const Tensor& key_padding_mask = Tensor()) const;
    // The scores (W_a h_t)[0 .. S-1] [B, S], before masking and softmax.
    Tensor score(const Tensor& query, int source_len) const;

    int query_dim, max_source_len;
    Tensor W_a;  // [max_source_len, query_dim], no bias (as in the paper)
};

}  // namespace tinyattn::nn
