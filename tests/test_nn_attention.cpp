// test_nn_attention.cpp — LayerNorm, Dropout and the attention family, each checked twice:
// gradcheck (inputs and every parameter, with masks) and PyTorch fixtures
// (tests/reference/gen_attention.py -> tests/reference/fixtures/attention/).
#include <catch2/catch.hpp>

#include <cmath>

#include "nn_checks.hpp"
#include "tinyattn/nn/additive_attention.hpp"
#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/layer_norm.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {
// A [B, S] padding mask (1 at positions >= length) for the given true lengths.
Tensor padding_mask(const std::vector<int>& lengths, int max_len) {
    Tensor m = zeros({int(lengths.size()), max_len});
    for (size_t b = 0; b < lengths.size(); ++b)
        for (int s = lengths[b]; s < max_len; ++s) m.data()[b * size_t(max_len) + size_t(s)] = 1.0f;
    return m;
}
Tensor random_input(const Shape& shape, Rng& rng) { return randn(shape, rng).requires_grad_(); }
}  // namespace

// ---- LayerNorm and Dropout -------------------------------------------------------------------

TEST_CASE("LayerNorm: gradcheck and torch.nn.LayerNorm", "[nn][layer_norm]") {
    nn::LayerNorm norm(6);
    REQUIRE(norm.weight.to_vector() == std::vector<float>(6, 1.0f));
    REQUIRE(norm.bias.to_vector() == std::vector<float>(6, 0.0f));
    const fixture::Fixture f = fixture::load("attention/layer_norm.txt");
    load_parameters(norm, f);
    Tensor x = input(f, "x");
    require_gradcheck([&](const std::vector<Tensor>& in) { return norm.forward(in[0]); }, {x}, norm);
    require_matches_fixture(f, &norm, {{"x", x}}, {{"y", norm.forward(x)}});
    REQUIRE_THROWS_WITH(norm.forward(zeros({2, 5})), Contains("LayerNorm") && Contains("[2, 5]"));
}

TEST_CASE("Dropout module: drops in train(), identity in eval()", "[nn][dropout]") {
    Rng rng(3);
    nn::Dropout drop(0.5f, rng);
    const Tensor x = ones({1000});
    const std::vector<float> y = drop.forward(x).to_vector();
    const int dropped = int(std::count(y.begin(), y.end(), 0.0f));
    REQUIRE(dropped > 400);
    REQUIRE(dropped < 600);
    for (float v : y) REQUIRE((v == 0.0f || v == 2.0f));  // survivors scaled by 1/(1-p)
    drop.eval();
    REQUIRE(drop.forward(x).to_vector() == x.to_vector());
    REQUIRE_THROWS_WITH(nn::Dropout(1.0f), Contains("Dropout"));
}

// ---- additive (Bahdanau) attention ---------------------------------------------------------

TEST_CASE("AdditiveAttention: matches the paper's formula written in torch", "[nn][attention][additive]") {
    const fixture::Fixture f = fixture::load("attention/additive.txt");
    nn::AdditiveAttention attn(4, 6, 7);
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys"), v = input(f, "values");
    const Tensor mask = input(f, "key_padding_mask", false);
    const nn::AttentionOutput out = attn.forward(q, k, v, mask);
    require_matches_fixture(f, &attn, {{"query", q}, {"keys", k}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}});
}

TEST_CASE("AdditiveAttention: gradcheck with and without a padding mask", "[nn][attention][additive][gradcheck]") {
    Rng rng(11);
    nn::AdditiveAttention attn(3, 4, 5, rng);
    Tensor q = random_input({2, 3}, rng), k = random_input({2, 4, 4}, rng), v = random_input({2, 4, 2}, rng);
    for (const Tensor& mask : {Tensor(), padding_mask({4, 2}, 4)}) {
        require_gradcheck(
            [&](const std::vector<Tensor>& in) {
                const nn::AttentionOutput o = attn.forward(in[0], in[1], in[2], mask);
                return flat({o.context, o.weights});
            },
            {q, k, v}, attn);
    }
}

TEST_CASE("AdditiveAttention: padded keys get exactly zero weight; precompute_keys gives the same result",
          "[nn][attention][additive]") {
    Rng rng(5);
    nn::AdditiveAttention attn(3, 4, 6, rng);
    const Tensor q = randn({2, 3}, rng), k = randn({2, 5, 4}, rng);
    const nn::AttentionOutput out = attn.forward(q, k, k, padding_mask({5, 2}, 5));
    REQUIRE(out.weights.shape() == Shape{2, 5});
    REQUIRE(out.context.shape() == Shape{2, 4});
    for (int s = 2; s < 5; ++s) REQUIRE(out.weights.at({1, s}) == 0.0f);
    for (int s = 0; s < 5; ++s) REQUIRE(out.weights.at({0, s}) > 0.0f);
    const nn::AttentionOutput again = attn.forward_precomputed(q, attn.precompute_keys(k), k, padding_mask({5, 2}, 5));
    REQUIRE(again.weights.to_vector() == out.weights.to_vector());
    REQUIRE(again.context.to_vector() == out.context.to_vector());
    REQUIRE_THROWS_WITH(attn.forward(q, k, k, zeros({2, 4})), Contains("key_padding_mask") && Contains("[2, 4]"));
    REQUIRE_THROWS_WITH(attn.forward(zeros({2, 5}), k, k), Contains("AdditiveAttention") && Contains("[2, 5]"));
}

TEST_CASE("AdditiveAttention reads the encoder: changing one encoder state changes weights and context",
          "[nn][attention][additive]") {
    // The trap: a tutorial computed the weights from the decoder state and embedding alone,
    // so the "attention" never looked at the encoder. For each source position s we replace
    // encoder state s of sentence 0 by a fresh random vector and require sentence 0's weights
    // and context to move, and sentence 1 (untouched) to stay bit-identical.
    Rng rng(21);
    nn::AdditiveAttention attn(4, 4, 8, rng);
    const Tensor q = randn({2, 4}, rng), k = randn({2, 5, 4}, rng);
    const nn::AttentionOutput before = attn.forward(q, k, k);
    for (int s = 0; s < 5; ++s) {
        Tensor k2 = tensor(k.to_vector(), k.shape());
        for (int j = 0; j < 4; ++j) k2.data()[s * 4 + j] = 2.0f * rng.normal();  // sentence 0, position s
        const nn::AttentionOutput after = attn.forward(q, k2, k2);
        float weight_change = 0.0f, context_change = 0.0f;
        for (int t = 0; t < 5; ++t) weight_change += std::fabs(after.weights.at({0, t}) - before.weights.at({0, t}));
        for (int j = 0; j < 4; ++j) context_change += std::fabs(after.context.at({0, j}) - before.context.at({0, j}));
        INFO("position " << s);
        REQUIRE(weight_change > 1e-3f);
        REQUIRE(context_change > 1e-3f);
        for (int t = 0; t < 5; ++t) REQUIRE(after.weights.at({1, t}) == before.weights.at({1, t}));
    }
}

// ---- scaled dot-product attention ----------------------------------------------------------

TEST_CASE("scaled_dot_product_attention: matches torch with padding and causal masks", "[nn][attention][sdpa]") {
    for (const char* name : {"attention/sdpa_padding.txt", "attention/sdpa_causal.txt"}) {
        const fixture::Fixture f = fixture::load(name);
        Tensor q = input(f, "query"), k = input(f, "key"), v = input(f, "value");
        const nn::AttentionOutput out = nn::scaled_dot_product_attention(q, k, v, input(f, "mask", false));
        require_matches_fixture(f, nullptr, {{"query", q}, {"key", k}, {"value", v}},
                                {{"context", out.context}, {"weights", out.weights}});
    }
}

TEST_CASE("scaled_dot_product_attention: gradcheck, 3-D with padding and 4-D with causal + padding",
          "[nn][attention][sdpa][gradcheck]") {
    Rng rng(8);
    const nn::Module no_parameters;
    Tensor q3 = random_input({2, 3, 4}, rng), k3 = random_input({2, 5, 4}, rng), v3 = random_input({2, 5, 3}, rng);
    const Tensor pad3 = reshape(padding_mask({5, 3}, 5), {2, 1, 5});
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::AttentionOutput o = nn::scaled_dot_product_attention(in[0], in[1], in[2], pad3);
            return flat({o.context, o.weights});
        },
        {q3, k3, v3}, no_parameters);
    Tensor q4 = random_input({2, 2, 4, 3}, rng), k4 = random_input({2, 2, 4, 3}, rng), v4 = random_input({2, 2, 4, 3}, rng);
    const Tensor both = nn::causal_mask(4) + reshape(padding_mask({4, 3}, 4), {2, 1, 1, 4});
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::AttentionOutput o = nn::scaled_dot_product_attention(in[0], in[1], in[2], both);
            return flat({o.context, o.weights});
        },
        {q4, k4, v4}, no_parameters);
}

TEST_CASE("scaled_dot_product_attention: masked keys get exactly zero; a fully masked row is zeros, not NaN",
          "[nn][attention][sdpa]") {
    Rng rng(9);
    const Tensor q = randn({1, 3, 2}, rng), k = randn({1, 3, 2}, rng), v = randn({1, 3, 2}, rng);
    // causal: query i sees keys 0..i only
    const nn::AttentionOutput causal = nn::scaled_dot_product_attention(q, k, v, nn::causal_mask(3));
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            if (j > i) REQUIRE(causal.weights.at({0, i, j}) == 0.0f);
            else REQUIRE(causal.weights.at({0, i, j}) > 0.0f);
        }
    // row 1 masks every key
    Tensor mask = zeros({1, 3, 3});
    for (int j = 0; j < 3; ++j) mask.data()[3 + j] = 1.0f;
    Tensor qg = tensor(q.to_vector(), q.shape()).requires_grad_();
    const nn::AttentionOutput full = nn::scaled_dot_product_attention(qg, k, v, mask);
    for (int j = 0; j < 3; ++j) REQUIRE(full.weights.at({0, 1, j}) == 0.0f);
    for (int j = 0; j < 2; ++j) REQUIRE(full.context.at({0, 1, j}) == 0.0f);
    sum(full.context).backward();
    for (float g : qg.grad().to_vector()) REQUIRE(std::isfinite(g));
    REQUIRE(nn::causal_mask(3).to_vector() == std::vector<float>{0, 1, 1, 0, 0, 1, 0, 0, 0});
    REQUIRE_THROWS_WITH(nn::scaled_dot_product_attention(q, randn({1, 3, 5}, rng), v),
                        Contains("scaled_dot_product_attention") && Contains("[1, 3, 5]"));
    REQUIRE_THROWS_WITH(nn::scaled_dot_product_attention(q, k, v, zeros({2, 3})),
                        Contains("scaled_dot_product_attention") && Contains("[2, 3]"));
}
