// test_nn_scores.cpp — the content-based (cosine, nn/cosine_attention.cpp) and location-based
// (nn/location_attention.cpp) scores and Luong's local-m window (nn/local_m_attention.cpp), each checked twice: gradcheck (inputs and parameters, with
// and without a padding mask) and PyTorch fixtures (tests/reference/gen_attention.py,
// content_and_location, local_m), plus what makes each what it is.
#include <catch2/catch.hpp>

#include <cmath>

#include "nn_checks.hpp"
#include "tinyattn/nn/cosine_attention.hpp"
#include "tinyattn/nn/local_m_attention.hpp"
#include "tinyattn/nn/location_attention.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {
// gradcheck of a (query, keys, values, mask) attention; `keys_read` = whether keys get a gradient.
template <typename Attention>
void gradcheck_scores(const Attention& attn, int dim, bool keys_read, Rng& rng) {
    Tensor q = random_input({2, dim}, rng), k = randn({2, 4, dim}, rng), v = random_input({2, 4, 3}, rng);
    if (keys_read) k.requires_grad_();
    for (const Tensor& mask : {Tensor(), padding_mask({4, 2}, 4)}) {
        require_gradcheck(
            [&](const std::vector<Tensor>& in) {
                const nn::AttentionOutput o = attn.forward(in[0], keys_read ? in[2] : k, in[1], mask);
                return flat({o.context, o.weights});
            },
            keys_read ? std::vector<Tensor>{q, v, k} : std::vector<Tensor>{q, v}, attn);
    }
}

}  // namespace

TEST_CASE("CosineAttention: β·cos(s_t, h̄_s) matches the NTM formula in torch, and gradcheck", "[nn][attention][cosine]") {
    const fixture::Fixture f = fixture::load("attention/cosine.txt");
    nn::CosineAttention attn(4);
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys"), v = input(f, "values");
    const nn::AttentionOutput out = attn.forward(q, k, v, input(f, "key_padding_mask", false));
    require_matches_fixture(f, &attn, {{"query", q}, {"keys", k}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}});
    REQUIRE(exact_zeros(out.weights) == 3 + 1);  // rows of length 2 and 4 out of 5: padded keys exactly 0

    Rng rng(13);
    gradcheck_scores(nn::CosineAttention(3, 2.0f), 3, true, rng);
    REQUIRE_THROWS_WITH(nn::CosineAttention(3).forward(zeros({2, 3}), zeros({2, 4, 5}), zeros({2, 4, 1})),
                        Contains("CosineAttention") && Contains("[2, 4, 5]"));
}

TEST_CASE("CosineAttention reads direction, not length, and β sets how sharp it can be", "[nn][attention][cosine]") {
    Rng rng(4);
    const Tensor q = randn({2, 6}, rng), k = randn({2, 7, 6}, rng);
    nn::CosineAttention attn(6, 10.0f);
    const Tensor w = attn.forward(q, k, k).weights;
    // scaling a key (or the query) by a positive number changes no cosine
    CHECK(max_abs_diff(attn.forward(mul(q, 3.0f), mul(k, 0.25f), k).weights, w) < 1e-6f);
    // the key equal to the query gets the top score, β·1 = 10
    const Tensor k2 = concat({k, unsqueeze(q, 1)}, 1);
    const Tensor s = attn.score(q, k2);
    for (int b = 0; b < 2; ++b) CHECK(s.at({b, 7}) == Approx(10.0f).epsilon(1e-5));
    // a larger β, a sharper distribution: the largest weight grows
    auto top = [](const Tensor& weights) {
        float m = 0.0f;
        for (float x : weights.to_vector()) m = std::max(m, x);
        return m;
    };
    // (with β = 1 no weight can pass e/(e + 7/e) ≈ 0.51 among 8 keys)
    CHECK(top(nn::CosineAttention(6, 1.0f).forward(q, k2, k2).weights) < 0.52f);
    CHECK(top(attn.forward(q, k2, k2).weights) > 0.9f);
    CHECK(attn.beta() == Approx(10.0f));
}

TEST_CASE("LocationAttention: softmax(W_a h_t) matches Luong's eq. 8 in torch, and gradcheck", "[nn][attention][location]") {
    const fixture::Fixture f = fixture::load("attention/location.txt");
    Rng rng(3);
    nn::LocationAttention attn(4, 7, rng);
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys", false), v = input(f, "values");
    const nn::AttentionOutput out = attn.forward(q, k, v, input(f, "key_padding_mask", false));
    require_matches_fixture(f, &attn, {{"query", q}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}});
    REQUIRE(exact_zeros(out.weights) == 3 + 1);
    gradcheck_scores(nn::LocationAttention(3, 6, rng), 3, false, rng);
}

TEST_CASE("LocationAttention never reads the encoder states, and refuses a too-long source", "[nn][attention][location]") {
    Rng rng(8);
    nn::LocationAttention attn(5, 6, rng);
    const Tensor q = randn({2, 5}, rng), k = randn({2, 4, 5}, rng).requires_grad_(), v = randn({2, 4, 3}, rng);
    const nn::AttentionOutput a = attn.forward(q, k, v);
    // any other keys of the same shape: the very same weights (what a content-based score cannot do)
    CHECK(max_abs_diff(attn.forward(q, randn({2, 4, 5}, rng), v).weights, a.weights) == 0.0f);
    sum(a.context).backward();
    CHECK_FALSE(k.has_grad());  // no gradient reaches the keys: they are not in the graph
    REQUIRE_THROWS_WITH(attn.forward(q, zeros({2, 7, 5}), zeros({2, 7, 3})),
                        Contains("LocationAttention") && Contains("7 positions") && Contains("max_source_len"));
}

TEST_CASE("LocalMAttention: the general score in a window at p_t matches torch, and gradcheck", "[nn][attention][local_m]") {
    const fixture::Fixture f = fixture::load("attention/local_m.txt");
    Rng rng(5);
    nn::LocalMAttention attn(4, 5, 2, rng);
    load_parameters(attn, f);
    Tensor q = input(f, "query"), k = input(f, "keys"), v = input(f, "values");
    const std::vector<float> centres = f["in.centres"].to_vector();  // 1, 5, 4.5
    const nn::AttentionOutput out = attn.forward(q, k, v, input(f, "key_padding_mask", false), centres);
    require_matches_fixture(f, &attn, {{"query", q}, {"keys", k}, {"values", v}},
                            {{"context", out.context}, {"weights", out.weights}});
    // row 0: positions 0..3 of 9 in the window; row 1: 3..5 (6.. padded); row 2: 3..6 (2.5..6.5)
    REQUIRE(exact_zeros(out.weights) == (9 - 4) + (9 - 3) + (9 - 4));

    const nn::LocalMAttention small(3, 3, 1, rng);
    Tensor q2 = random_input({2, 3}, rng), k2 = random_input({2, 5, 3}, rng), v2 = random_input({2, 5, 2}, rng);
    for (const Tensor& mask : {Tensor(), padding_mask({5, 3}, 5)})
        require_gradcheck([&](const std::vector<Tensor>& in) {
            const nn::AttentionOutput o = small.forward(in[0], in[1], in[2], mask, {0.0f, 2.5f});
            return flat({o.context, o.weights});
        }, {q2, k2, v2}, small);
    REQUIRE_THROWS_WITH(small.forward(q2, k2, v2, Tensor(), {1.0f}), Contains("one centre p_t per batch row"));
}
