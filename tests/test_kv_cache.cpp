// test_kv_cache.cpp — incremental decoding with a key/value cache (nn/transformer.cpp
// forward_step, nn/multihead_attention.cpp extend_cache / forward_cached) gives what the whole
// decoder gives with a causal mask: position by position, outputs and attention weights.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "nn_checks.hpp"
#include "tinyattn/nn/transformer.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {

void check_steps_equal_full(bool norm_first) {
    INFO((norm_first ? "pre-LN" : "post-LN"));
    Rng rng(17);
    const int B = 2, T = 7, S = 5, E = 16;
    nn::TransformerDecoder decoder(nn::TransformerLayerOptions(E, 4).dim_feedforward(32).dropout(0.0f).norm_first(norm_first),
                                   2, rng);
    decoder.eval();
    NoGrad no_grad;
    const Tensor tgt = randn({B, T, E}, rng), memory = randn({B, S, E}, rng);
    const Tensor memory_padding = padding_mask({S, 3}, S);
    const nn::DecoderOutput full = decoder.forward(tgt, memory, nn::causal_mask(T), Tensor(), Tensor(), memory_padding);

    std::vector<nn::DecoderLayerCache> cache;
    for (int t = 0; t < T; ++t) {
        INFO("step " << t);
        const nn::DecoderOutput step = decoder.forward_step(narrow(tgt, 1, t, 1), memory, memory_padding, cache);
        CHECK(max_abs_diff(step.output, narrow(full.output, 1, t, 1)) < 1e-5f);
        for (size_t l = 0; l < decoder.layers.size(); ++l) {
            // self-attention: row t of the full weights, its first t+1 columns (the rest are masked: 0)
            const Tensor row = narrow(full.self_weights[l], 2, t, 1);
            CHECK(max_abs_diff(step.self_weights[l], narrow(row, 3, 0, t + 1)) < 1e-5f);
            CHECK(max_abs_diff(step.cross_weights[l], narrow(full.cross_weights[l], 2, t, 1)) < 1e-5f);
            CHECK(cache[l].self.key.size(1) == t + 1);  // one more cached position per step
            CHECK(cache[l].cross.key.size(1) == S);     // the memory, projected once
        }
    }
}
}  // namespace

TEST_CASE("KV cache: step-by-step decoding equals the full decoder with a causal mask", "[nn][transformer][kv_cache]") {
    check_steps_equal_full(false);
    check_steps_equal_full(true);
}

TEST_CASE("KV cache: a cache from another decoder, or an empty one, is an error", "[nn][transformer][kv_cache]") {
    Rng rng(2);
    nn::TransformerDecoder decoder(nn::TransformerLayerOptions(8, 2).dim_feedforward(16).dropout(0.0f), 2, rng);
    std::vector<nn::DecoderLayerCache> wrong(3);
    REQUIRE_THROWS_WITH(decoder.forward_step(zeros({1, 1, 8}), zeros({1, 3, 8}), Tensor(), wrong),
                        Contains("cache has 3 layers"));
    REQUIRE_THROWS_WITH(decoder.layers[0]->self_attn.forward_cached(zeros({1, 1, 8}), {}), Contains("cache is empty"));
}
