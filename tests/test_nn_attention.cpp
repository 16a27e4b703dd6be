// test_nn_attention.cpp — LayerNorm, Dropout and the attention family, each checked twice:
// gradcheck (inputs and every parameter, with masks) and PyTorch fixtures
// (tests/reference/gen_attention.py -> tests/reference/fixtures/attention/).
#include <catch2/catch.hpp>

#include <cmath>

#include "nn_checks.hpp"
#include "tinyattn/models/luong.hpp"
#include "tinyattn/nn/additive_attention.hpp"
#include "tinyattn/nn/attention_pooling.hpp"
#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/layer_norm.hpp"
#include "tinyattn/nn/local_attention.hpp"
#include "tinyattn/nn/multihead_attention.hpp"
#include "tinyattn/nn/positional_encoding.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {
// Loads the module's parameters from the fixture and compares the (query, keys, values,
// key_padding_mask) attention's context, weights and every gradient with it.
template <typename Attention>
nn::AttentionOutput require_attention_matches(Attention& attn, const fixture::Fixture& f) {
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys"), v = input(f, "values");
    const nn::AttentionOutput out = attn.forward(q, k, v, input(f, "key_padding_mask", false));
    require_matches_fixture(f, &attn, {{"query", q}, {"keys", k}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}});
    return out;
}

// gradcheck of a (query, keys, values, mask) attention module, with and without a padding mask.
template <typename Attention>
void gradcheck_attention(const Attention& attn, int query_dim, int key_dim, Rng& rng) {
    Tensor q = random_input({2, query_dim}, rng), k = random_input({2, 4, key_dim}, rng), v = random_input({2, 4, 3}, rng);
    for (const Tensor& mask : {Tensor(), padding_mask({4, 2}, 4)}) {
        require_gradcheck(
            [&](const std::vector<Tensor>& in) {
                const nn::AttentionOutput o = attn.forward(in[0], in[1], in[2], mask);
                return flat({o.context, o.weights});
            },
            {q, k, v}, attn);
    }
}
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
    const nn::AttentionOutput out = require_attention_matches(attn, f);
    REQUIRE(exact_zeros(out.weights) == 2 + 1);  // rows of length 3 and 4 out of 5: padded keys exactly 0
}

TEST_CASE("AdditiveAttention: gradcheck with and without a padding mask", "[nn][attention][additive][gradcheck]") {
    Rng rng(11);
    const nn::AdditiveAttention attn(3, 4, 5, rng);
    gradcheck_attention(attn, 3, 4, rng);
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

// ---- Luong global attention: lesson 08's scores (models/luong.cpp) ------------------------

namespace {
// A Luong score as a (query, keys, values, mask) attention: the lesson's decoder passes the
// encoder states as both keys and values; the fixtures keep them apart, so a mix-up shows.
// Its parameters are the score's own tensors (shared storage) under the score's names, W_a and
// v_a as in the paper, so fixtures load into the score itself.
template <typename Score>
struct LuongScoreAttention : nn::Module {
    const Score& score;
    std::vector<std::pair<std::string, Tensor>> params;
    explicit LuongScoreAttention(const Score& s) : score(s), params(s.named_parameters()) {
        for (auto& [name, p] : params) register_parameter(name, p);
    }
    nn::AttentionOutput forward(const Tensor& query, const Tensor& keys, const Tensor& values,
                                const Tensor& key_padding_mask = Tensor()) const {
        const Tensor weights = nn::masked_softmax(score.scores(query, keys), key_padding_mask);
        return {nn::weighted_sum(weights, values), weights};
    }
};
}  // namespace

TEST_CASE("Luong scores: dot, general and concat match the paper's formulas in torch", "[nn][attention][luong]") {
    // unscaled (query_scale 1): the paper's formulas
    const models::DotScore dot(1.0f);
    const models::GeneralScore general(4, 1.0f);
    const models::ConcatScore concat(4, 6);
    LuongScoreAttention a(dot);
    LuongScoreAttention b(general);
    LuongScoreAttention c(concat);
    // rows of length 2 and 4 out of 5: padded keys exactly 0
    REQUIRE(exact_zeros(require_attention_matches(a, fixture::load("attention/luong_dot.txt")).weights) == 3 + 1);
    REQUIRE(exact_zeros(require_attention_matches(b, fixture::load("attention/luong_general.txt")).weights) == 3 + 1);
    REQUIRE(exact_zeros(require_attention_matches(c, fixture::load("attention/luong_concat.txt")).weights) == 3 + 1);
}

TEST_CASE("Luong scores: gradcheck of all three, scaled and not, with a padding mask", "[nn][attention][luong][gradcheck]") {
    Rng rng(12);
    for (const float scale : {1.0f, 0.5f}) {
        const models::DotScore dot(scale);
        const models::GeneralScore general(3, scale, rng);
        gradcheck_attention(LuongScoreAttention(dot), 3, 3, rng);
        gradcheck_attention(LuongScoreAttention(general), 3, 3, rng);
    }
    const models::ConcatScore concat(3, 4, rng);
    gradcheck_attention(LuongScoreAttention(concat), 3, 3, rng);
    REQUIRE(models::DotScore(1.0f).parameter_count() == 0);
    REQUIRE(models::GeneralScore(3, 1.0f).parameter_count() == 3 * 3);
    REQUIRE(models::ConcatScore(3, 4).parameter_count() == 4 * 6 + 4);
    // scaling divides every score by the same factor: s_tᵀ h̄_j / √H
    const Tensor q = randn({2, 4}, rng), k = randn({2, 5, 4}, rng);
    const Tensor unscaled = models::DotScore(1.0f).scores(q, k), scaled = models::DotScore(0.5f).scores(q, k);
    for (size_t i = 0; i < scaled.numel(); ++i)
        REQUIRE(scaled.data()[i] == Approx(0.5f * unscaled.data()[i]).margin(1e-6));
}

// ---- Luong local-p attention --------------------------------------------------------------

TEST_CASE("LocalAttention (local-p): matches the paper's formula in torch", "[nn][attention][local]") {
    const fixture::Fixture f = fixture::load("attention/local_p.txt");
    nn::LocalAttention attn(4, 5, 2, 6);
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys"), v = input(f, "values");
    const Tensor mask = input(f, "key_padding_mask", false);
    const nn::AttentionOutput out = attn.forward(q, k, v, mask);
    const Tensor position = attn.predict_position(q, 9, mask);
    require_matches_fixture(f, &attn, {{"query", q}, {"keys", k}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}, {"position", position}});
    // outside the window |s - p_t| <= 2 and at padded positions the weight is exactly zero
    for (int b = 0; b < 3; ++b)
        for (int s = 0; s < 9; ++s)
            if (std::fabs(float(s) - position.at({b, 0})) > 2.0f || mask.at({b, s}) != 0.0f)
                REQUIRE(out.weights.at({b, s}) == 0.0f);
            else
                REQUIRE(out.weights.at({b, s}) > 0.0f);
}

TEST_CASE("LocalAttention: gradcheck (the window edges are away from every position)", "[nn][attention][local][gradcheck]") {
    Rng rng(13);
    nn::LocalAttention attn(3, 4, 1, 5, rng);
    // The hard window cut is a step: gradcheck is only meaningful where no position sits
    // within a nudge of an edge, so draw queries until every edge is 0.1 away from a position.
    Tensor k = random_input({2, 6, 4}, rng), v = random_input({2, 6, 3}, rng), q;
    const Tensor mask = padding_mask({6, 4}, 6);
    bool clear = false;
    for (int attempt = 0; attempt < 100 && !clear; ++attempt) {
        q = random_input({2, 3}, rng);
        const Tensor p = attn.predict_position(q, 6, mask);
        clear = true;
        for (int b = 0; b < 2; ++b)
            for (int s = 0; s < (b == 0 ? 6 : 4); ++s) clear = clear && std::fabs(std::fabs(s - p.at({b, 0})) - 1.0f) > 0.1f;
    }
    REQUIRE(clear);
    const nn::AttentionOutput out = attn.forward(q, k, v, mask);
    REQUIRE(exact_zeros(out.weights) > 2);  // the window really cuts
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::AttentionOutput o = attn.forward(in[0], in[1], in[2], mask);
            return flat({o.context, o.weights});
        },
        {q, k, v}, attn);
}

// ---- self-attentive pooling ----------------------------------------------------------------

TEST_CASE("AttentionPooling: matches Lin et al.'s formulas in torch, penalty included", "[nn][attention][pooling]") {
    const fixture::Fixture f = fixture::load("attention/pooling.txt");
    nn::AttentionPooling pool(5, 4, 3);
    load_parameters(pool, f);
    Tensor H = input(f, "H");
    const Tensor mask = input(f, "key_padding_mask", false);
    const nn::AttentionOutput out = pool.forward(H, mask);
    require_matches_fixture(f, &pool, {{"H", H}},
                            {{"context", out.context}, {"weights", out.weights},
                             {"penalty", nn::attention_penalty(out.weights)}});
    REQUIRE(exact_zeros(out.weights) == 3 * (3 + 1));  // 3 hops × (3 + 1) padded words
}

TEST_CASE("AttentionPooling: gradcheck of pooling and penalty, with a padding mask", "[nn][attention][pooling][gradcheck]") {
    Rng rng(14);
    const nn::AttentionPooling pool(4, 3, 2, true, rng);
    REQUIRE(pool.parameter_count() == 3 * 4 + 3 + 2 * 3);
    Tensor H = random_input({2, 5, 4}, rng);
    const Tensor mask = padding_mask({5, 3}, 5);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::AttentionOutput o = pool.forward(in[0], mask);
            return flat({o.context, o.weights, nn::attention_penalty(o.weights)});
        },
        {H}, pool);
    // one hop that puts all its weight on one word: A Aᵀ = I, no penalty; two identical hops: penalised
    REQUIRE(nn::attention_penalty(tensor({0, 1, 0, 1, 0, 0}, {1, 2, 3})).item() == 0.0f);
    REQUIRE(nn::attention_penalty(tensor({0, 1, 0, 0, 1, 0}, {1, 2, 3})).item() == 2.0f);
}

// ---- multi-head attention ------------------------------------------------------------------

TEST_CASE("MultiheadAttention: torch.nn.MultiheadAttention with key_padding_mask", "[nn][attention][mha]") {
    const fixture::Fixture f = fixture::load("attention/mha_padding.txt");
    nn::MultiheadAttention mha(6, 2);
    REQUIRE(mha.named_parameters()[0].first == "in_proj_weight");
    load_parameters(mha, f);
    Tensor q = input(f, "query"), k = input(f, "key"), v = input(f, "value");
    const nn::AttentionOutput out = mha.forward(q, k, v, input(f, "key_padding_mask", false));
    REQUIRE(out.weights.shape() == Shape{2, 2, 3, 4});
    fixture::require_close(mean(out.weights, 1), f["expected.average_weights"], "head-averaged weights");
    require_matches_fixture(f, &mha, {{"query", q}, {"key", k}, {"value", v}},
                            {{"output", out.context}, {"weights", out.weights}});
    REQUIRE(exact_zeros(out.weights) == 2 * 3 * 2);  // sentence 1: keys 2, 3 padded, for 2 heads × 3 queries
}

TEST_CASE("MultiheadAttention: torch.nn.MultiheadAttention self-attention with causal attn_mask + padding",
          "[nn][attention][mha]") {
    const fixture::Fixture f = fixture::load("attention/mha_causal.txt");
    nn::MultiheadAttention mha(6, 2);
    load_parameters(mha, f);
    Tensor x = input(f, "x");
    const nn::AttentionOutput out =
        mha.forward(x, x, x, input(f, "key_padding_mask", false), input(f, "attn_mask", false));
    require_matches_fixture(f, &mha, {{"x", x}}, {{"output", out.context}, {"weights", out.weights}});
    for (int b = 0; b < 2; ++b)
        for (int h = 0; h < 2; ++h)
            for (int i = 0; i < 4; ++i)
                for (int j = i + 1; j < 4; ++j) REQUIRE(out.weights.at({b, h, i, j}) == 0.0f);
}

TEST_CASE("MultiheadAttention: gradcheck with both masks, with and without bias", "[nn][attention][mha][gradcheck]") {
    Rng rng(15);
    for (bool bias : {true, false}) {
        const nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).bias(bias), rng);
        REQUIRE(mha.parameter_count() == size_t(4 * 4 * 4 + (bias ? 4 * 4 : 0)));
        Tensor q = random_input({2, 3, 4}, rng), kv = random_input({2, 3, 4}, rng);
        const Tensor pad = padding_mask({3, 2}, 3), causal = nn::causal_mask(3);
        require_gradcheck(
            [&](const std::vector<Tensor>& in) {
                const nn::AttentionOutput o = mha.forward(in[0], in[1], in[1], pad, causal);
                return flat({o.context, o.weights});
            },
            {q, kv}, mha);
    }
    REQUIRE_THROWS_WITH(nn::MultiheadAttention(6, 4), Contains("not divisible"));
}

// ---- positional encoding -------------------------------------------------------------------

TEST_CASE("PositionalEncoding: Vaswani's sinusoids added to the input", "[nn][positional]") {
    nn::PositionalEncoding pe(6, 10);
    REQUIRE(pe.parameter_count() == 0);
    const Tensor x = ones({2, 4, 6});
    const Tensor y = pe.forward(x);
    for (int b = 0; b < 2; ++b)
        for (int pos = 0; pos < 4; ++pos)
            for (int i = 0; i < 3; ++i) {
                const double angle = pos / std::pow(10000.0, 2.0 * i / 6.0);
                REQUIRE(y.at({b, pos, 2 * i}) == Approx(1.0 + std::sin(angle)));
                REQUIRE(y.at({b, pos, 2 * i + 1}) == Approx(1.0 + std::cos(angle)));
            }
    REQUIRE_THROWS_WITH(pe.forward(ones({1, 11, 6})), Contains("PositionalEncoding") && Contains("[1, 11, 6]"));
}
