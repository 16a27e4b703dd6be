// test_windowed_attention.cpp — the banded kernel (nn/windowed_attention.cpp) against the plain
// version (full scaled dot-product attention with the band mask), and the tensor-bytes counter
// lesson 17 uses to measure peak memory.
#include <catch2/catch.hpp>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "nn_checks.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using nn_checks::max_abs_diff;
using Catch::Matchers::Contains;

namespace {

struct Run {
    Tensor out, dq, dk, dv;
};

// out = f(q, k, v), then backward with a fixed upstream gradient g.
template <class F>
Run forward_backward(F f, const Tensor& q0, const Tensor& k0, const Tensor& v0, const Tensor& g) {
    Tensor q = q0.detach().requires_grad_(), k = k0.detach().requires_grad_(), v = v0.detach().requires_grad_();
    Tensor out = f(q, k, v);
    out.backward(g);
    return {out, q.grad(), k.grad(), v.grad()};
}

}  // namespace

TEST_CASE("windowed attention equals full attention with the band mask, forward and backward", "[windowed]") {
    Rng rng(21);
    const int B = 2, T = 37, d = 8;
    const Tensor q = uniform({B, T, d}, -2.0f, 2.0f, rng), k = uniform({B, T, d}, -2.0f, 2.0f, rng);
    const Tensor v = uniform({B, T, d}, -1.0f, 1.0f, rng), g = uniform({B, T, d}, -1.0f, 1.0f, rng);
    for (int window : {0, 1, 3, 10, 36, 50}) {
        INFO("window " << window);
        const Run band = forward_backward([&](auto& a, auto& b, auto& c) { return nn::windowed_attention(a, b, c, window); },
                                          q, k, v, g);
        const Run plain = forward_backward(
            [&](auto& a, auto& b, auto& c) { return nn::windowed_attention_reference(a, b, c, window); }, q, k, v, g);
        CHECK(max_abs_diff(band.out, plain.out) < 1e-5f);
        CHECK(max_abs_diff(band.dq, plain.dq) < 1e-5f);
        CHECK(max_abs_diff(band.dk, plain.dk) < 1e-5f);
        CHECK(max_abs_diff(band.dv, plain.dv) < 1e-5f);
    }
    // A window as wide as the sequence is plain self-attention; window 0 is each position's own value.
    const Tensor full = nn::scaled_dot_product_attention(q, k, v).context;
    CHECK(max_abs_diff(nn::windowed_attention(q, k, v, T - 1), full) < 1e-5f);
    CHECK(max_abs_diff(nn::windowed_attention(q, k, v, 0), v) < 1e-6f);
    // ...and a narrow window is not: positions far apart do see different things.
    CHECK(max_abs_diff(nn::windowed_attention(q, k, v, 3), full) > 1e-2f);
}

TEST_CASE("windowed attention gives the same bits on 1 and 2 threads", "[windowed][determinism]") {
    // The threads share out whole sequences of the batch, each writing only its own rows and
    // gradients, so the thread count never changes the order of a sum.
    Rng rng(6);
    const Tensor q = uniform({4, 300, 32}, -1.0f, 1.0f, rng), g = uniform({4, 300, 32}, -1.0f, 1.0f, rng);
    const int saved = omp_get_max_threads();
    std::vector<std::vector<float>> outs, grads;
    for (int threads : {1, 2}) {
        omp_set_num_threads(threads);
        const Run r = forward_backward([](auto& a, auto& b, auto& c) { return nn::windowed_attention(a, b, c, 8); },
                                       q, q, q, g);
        outs.push_back(r.out.to_vector());
        grads.push_back(r.dk.to_vector());
    }
    omp_set_num_threads(saved);
    CHECK(outs[0] == outs[1]);
    CHECK(grads[0] == grads[1]);
}

TEST_CASE("band_mask marks |i - j| > window, and bad shapes name the op", "[windowed]") {
    const Tensor m = nn::band_mask(5, 1);
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j) CHECK(m.at({i, j}) == (std::abs(i - j) > 1 ? 1.0f : 0.0f));
    REQUIRE_THROWS_WITH(nn::windowed_attention(zeros({1, 4, 2}), zeros({1, 5, 2}), zeros({1, 4, 2}), 1),
                        Contains("windowed_attention") && Contains("[1, 5, 2]"));
    REQUIRE_THROWS_WITH(nn::windowed_attention(zeros({1, 4, 2}), zeros({1, 4, 2}), zeros({1, 4, 2}), -1),
                        Contains("window -1"));
    REQUIRE_THROWS_WITH(nn::band_mask(0, 1), Contains("band_mask"));
}

TEST_CASE("the tensor-bytes counter sees buffers come and go, and keeps the peak", "[windowed][memory]") {
    const size_t before = tensor_bytes_in_use();
    reset_tensor_bytes_peak();
    {
        Tensor a = zeros({1000});
        CHECK(tensor_bytes_in_use() == before + 4000);
        Tensor b = zeros({250});
        CHECK(tensor_bytes_in_use() == before + 5000);
    }
    CHECK(tensor_bytes_in_use() == before);
    CHECK(tensor_bytes_peak() == before + 5000);
    reset_tensor_bytes_peak();
    CHECK(tensor_bytes_peak() == before);
    // The banded kernel keeps n·(2w+1) weights for its backward, full attention n² of them (and
    // more: the scores, the scaled scores, the softmax): at n = 512, w = 4 the band needs far less.
    Rng rng(3);
    const Tensor x = uniform({1, 512, 16}, -1.0f, 1.0f, rng).requires_grad_();
    auto peak_of = [&](auto f) {
        const size_t start = tensor_bytes_in_use();
        reset_tensor_bytes_peak();
        sum(f()).backward();
        return tensor_bytes_peak() - start;
    };
    const size_t banded = peak_of([&] { return nn::windowed_attention(x, x, x, 4); });
    const size_t full = peak_of([&] { return nn::windowed_attention_reference(x, x, x, 4); });
    CHECK(full >= 512 * 512 * 4 * 3);     // at least three n×n float buffers alive at once
    CHECK(banded < 512 * 16 * 4 * 8);     // a few [n, d] buffers and the band, nothing n×n
}
