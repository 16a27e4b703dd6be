// test_kernels_activations.cpp — the vectorisable exp/sigmoid/tanh against the C library.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tinyattn/kernels/activations.hpp"

using namespace tinyattn::kernels;

TEST_CASE("fast_exp, fast_sigmoid and fast_tanh agree with std:: to float precision", "[kernels]") {
    double exp_rel = 0.0, sig_abs = 0.0, tanh_abs = 0.0;
    for (float x = -20.0f; x <= 20.0f; x += 0.00137f) {
        exp_rel = std::max(exp_rel, std::fabs(fast_exp(x) - std::exp(double(x))) / std::exp(double(x)));
        sig_abs = std::max(sig_abs, std::fabs(fast_sigmoid(x) - 1.0 / (1.0 + std::exp(-double(x)))));
        tanh_abs = std::max(tanh_abs, std::fabs(fast_tanh(x) - std::tanh(double(x))));
    }
    CHECK(exp_rel < 5e-7);   // a few units in the last place (float eps = 1.2e-7)
    CHECK(sig_abs < 3e-7);
    CHECK(tanh_abs < 3e-7);
}

TEST_CASE("fast activations saturate cleanly instead of overflowing", "[kernels]") {
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(std::isfinite(fast_exp(1000.0f)));
    CHECK(fast_exp(-1000.0f) >= 0.0f);
    CHECK(fast_exp(-1000.0f) < 1e-37f);
    CHECK(fast_sigmoid(200.0f) == 1.0f);
    CHECK(fast_sigmoid(-200.0f) < 1e-37f);
    CHECK(fast_tanh(50.0f) == 1.0f);
    CHECK(fast_tanh(-50.0f) == -1.0f);
    CHECK(fast_tanh(inf) == 1.0f);
    CHECK(fast_tanh(-inf) == -1.0f);
    CHECK(fast_tanh(0.0f) == 0.0f);
    CHECK(std::fabs(fast_tanh(1e-6f) - 1e-6f) < 1e-12f);  // odd polynomial near 0: no cancellation
}

TEST_CASE("exp_shifted gives softmax's exp(x - max): exact 0 for masked -inf, fast_exp elsewhere", "[kernels]") {
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(exp_shifted(-inf) == 0.0f);   // a masked score gets probability exactly 0
    CHECK(exp_shifted(-100.0f) == 0.0f);
    CHECK(exp_shifted(0.0f) == 1.0f);   // the row maximum
    double rel = 0.0;
    for (float s = -87.0f; s <= 0.0f; s += 0.0071f)
        rel = std::max(rel, std::fabs(exp_shifted(s) - std::exp(double(s))) / std::exp(double(s)));
    CHECK(rel < 5e-7);
}
