// test_anomaly.cpp — anomaly mode names the first op whose forward output or backward
// gradient goes NaN/Inf, stays quiet on the documented -inf cases, and is off by default.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tinyattn/debug/anomaly.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"
#include "tinyattn/ops.hpp"

using namespace tinyattn;

namespace {
const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();
}  // namespace

TEST_CASE("anomaly mode is off by default: NaN flows through silently", "[anomaly]") {
    REQUIRE_FALSE(is_anomaly_enabled());
    Tensor x = tensor({-1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}, {2, 3}).requires_grad_();
    Tensor loss;
    REQUIRE_NOTHROW(loss = sum(log(x)));
    CHECK(std::isnan(loss.item()));
    REQUIRE_NOTHROW(loss.backward());
}

TEST_CASE("anomaly: log of a negative number throws in log, naming the op and the shapes", "[anomaly]") {
    DetectAnomaly guard;
    Tensor x = tensor({-1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}, {2, 3}).requires_grad_();
    CHECK_THROWS_WITH(log(x), Catch::Contains("forward of 'log' produced nan") &&
                                  Catch::Contains("output [2, 3]; inputs [2, 3]"));
}

TEST_CASE("anomaly: a result that needs no grad is checked when the next op starts", "[anomaly]") {
    DetectAnomaly guard;
    Tensor x = tensor({-1.0f, 2.0f}, {2});  // no requires_grad: log attaches no rule
    Tensor y = log(x);
    CHECK_THROWS_WITH(mul(y, 2.0f), Catch::Contains("forward of 'log' produced nan") && Catch::Contains("[2]"));
    // the same under NoGrad, and inf from finite inputs (1 / 0)
    NoGrad no_grad;
    Tensor z = rdiv(1.0f, tensor({0.0f, 1.0f}, {2}));
    CHECK_THROWS_WITH(sum(z), Catch::Contains("forward of 'rdiv_scalar' produced inf from finite inputs"));
}

TEST_CASE("anomaly: overflow to inf in exp is reported", "[anomaly]") {
    DetectAnomaly guard;
    Tensor x = tensor({1.0f, 200.0f, 3.0f}, {3}).requires_grad_();
    CHECK_THROWS_WITH(exp(x), Catch::Contains("forward of 'exp' produced inf") && Catch::Contains("[3]"));
}

TEST_CASE("anomaly: a backward rule writing inf (sqrt at 0) throws naming the op", "[anomaly]") {
    DetectAnomaly guard;
    Tensor x = tensor({0.0f, 1.0f, 4.0f}, {3}).requires_grad_();
    Tensor loss = sum(sqrt(x));  // forward is finite: √0 = 0
    CHECK(loss.item() == 3.0f);
    CHECK_THROWS_WITH(loss.backward(), Catch::Contains("backward of 'sqrt' wrote inf") &&
                                           Catch::Contains("input of shape [3]") && Catch::Contains("'leaf'"));
}

TEST_CASE("anomaly: NaN in a leaf (data or parameter) is reported by the first op reading it", "[anomaly]") {
    DetectAnomaly guard;
    Tensor w = tensor({1.0f, kNaN}, {1, 2}).requires_grad_();
    Tensor x = tensor({1.0f, 2.0f}, {2, 1});
    CHECK_THROWS_WITH(matmul(w, x), Catch::Contains("'matmul' reads input 1 of shape [1, 2]") &&
                                        Catch::Contains("contains nan"));
}

TEST_CASE("anomaly: the documented -inf cases of masking do not trigger", "[anomaly]") {
    DetectAnomaly guard;
    // scores [1, 2, 3] with key 2 padded and a fully masked second query row
    Tensor scores = tensor({0.5f, 1.0f, -0.5f, 2.0f, 0.1f, 0.3f}, {2, 3}).requires_grad_();
    Tensor pad = tensor({0, 0, 1, 1, 1, 1}, {2, 3});
    Tensor masked = masked_fill(scores, pad, -kInf);          // writes -inf by design
    Tensor p = softmax(masked, -1);                           // the all -inf row gives zeros
    Tensor lp = log_softmax(masked, -1);                      // -inf at masked entries
    Tensor additive = add(scores, tensor({0, 0, -kInf, 0, 0, -kInf}, {2, 3}));  // a -inf mask tensor
    Tensor q = softmax(additive, -1);
    CHECK(p.at({1, 0}) == 0.0f);
    CHECK(std::isinf(lp.at({0, 2})));
    Tensor loss = add(sum(mul(p, scores)), sum(q));
    REQUIRE_NOTHROW(loss.backward());
    for (float g : scores.grad().to_vector()) CHECK(std::isfinite(g));

    // the attention layer with a causal mask and padding, forward and backward
    Tensor qkv = randn({1, 4, 8}).requires_grad_();
    Tensor both = add(nn::causal_mask(4), tensor({0, 0, 0, 1}, {1, 1, 4}));  // causal + key padding
    auto out = nn::scaled_dot_product_attention(qkv, qkv, qkv, both);
    REQUIRE_NOTHROW(sum(out.context).backward());
}

TEST_CASE("set_detect_anomaly switches globally; the guard restores the previous mode", "[anomaly]") {
    set_detect_anomaly(true);
    CHECK(is_anomaly_enabled());
    {
        DetectAnomaly guard;
        CHECK(is_anomaly_enabled());
    }
    CHECK(is_anomaly_enabled());
    set_detect_anomaly(false);
    {
        DetectAnomaly guard;
        CHECK(is_anomaly_enabled());
    }
    CHECK_FALSE(is_anomaly_enabled());
    CHECK_NOTHROW(log(tensor({-1.0f}, {1}).requires_grad_()));
}
