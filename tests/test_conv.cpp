// test_conv.cpp — conv2d's im2col + gemm path against its 7-loop definition, nn::Conv2d's
// PyTorch names and shapes, and the errors a learner sees for a wrong shape.
// (Gradients against finite differences: test_gradcheck.cpp; against PyTorch: test_ops_reference.cpp.)
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <omp.h>

#include "tinyattn/kernels/conv2d.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

namespace {

std::vector<float> absolute(const Tensor& t) {
    std::vector<float> v = t.to_vector();
    for (float& x : v) x = std::fabs(x);
    return v;
}

// The two paths add the same products in different orders, so they differ by float rounding,
// which grows with the size of the terms summed: the bound is relative to Σ|terms| of each
// element, which is the same convolution run on absolute values.
void require_close(const std::vector<float>& fast, const std::vector<float>& plain, const std::vector<float>& magnitude,
                   const char* what) {
    REQUIRE(fast.size() == plain.size());
    for (size_t i = 0; i < fast.size(); ++i) {
        INFO(what << " element " << i << ": fast " << fast[i] << ", reference " << plain[i] << ", Σ|terms| "
                  << magnitude[i]);
        REQUIRE(std::fabs(fast[i] - plain[i]) <= 1e-6f * (1.0f + magnitude[i]));
    }
}

// conv2d (the op, im2col + gemm) and the 7-loop reference on the same numbers: values and all grads.
void check_against_reference(int N, int C, int H, int W, int O, int kh, int kw, int stride, int padding, bool bias) {
    Rng rng(uint64_t(N * 1000 + C * 100 + H * 10 + W + stride + padding));
    Tensor x = uniform({N, C, H, W}, -1, 1, rng).requires_grad_();
    Tensor w = uniform({O, C, kh, kw}, -1, 1, rng).requires_grad_();
    Tensor b = bias ? uniform({O}, -1, 1, rng).requires_grad_() : Tensor();
    Tensor y = conv2d(x, w, b, stride, padding);
    const Conv2dGeometry g = conv2d_geometry("test", N, C, H, W, O, kh, kw, stride, padding);
    REQUIRE(y.shape() == Shape{N, O, g.Ho, g.Wo});
    const std::vector<float> ax = absolute(x), aw = absolute(w), ab = bias ? absolute(b) : std::vector<float>();
    std::vector<float> y_ref(y.numel()), y_mag(y.numel());
    conv2d_forward_reference(g, x.data(), w.data(), bias ? b.data() : nullptr, y_ref.data());
    conv2d_forward_reference(g, ax.data(), aw.data(), bias ? ab.data() : nullptr, y_mag.data());
    require_close(y.to_vector(), y_ref, y_mag, "output");

    Tensor gy = uniform(y.shape(), -1, 1, rng);
    y.backward(gy);
    const std::vector<float> agy = absolute(gy);
    std::vector<float> gx(x.numel()), gw(w.numel()), gb(static_cast<size_t>(O));
    std::vector<float> mx(x.numel()), mw(w.numel()), mb(static_cast<size_t>(O));
    conv2d_backward_reference(g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
    conv2d_backward_reference(g, ax.data(), aw.data(), agy.data(), mx.data(), mw.data(), mb.data());
    require_close(x.grad().to_vector(), gx, mx, "dL/dx");
    require_close(w.grad().to_vector(), gw, mw, "dL/dw");
    if (bias) require_close(b.grad().to_vector(), gb, mb, "dL/db");
}

}  // namespace

TEST_CASE("conv2d: im2col + gemm equals the 7-loop definition, values and gradients", "[conv]") {
    check_against_reference(2, 3, 8, 7, 5, 3, 3, 1, 1, true);    // the lesson's layers: 3x3, padding 1
    check_against_reference(1, 2, 9, 9, 3, 3, 3, 2, 0, false);   // stride 2, no padding, no bias
    check_against_reference(3, 4, 5, 6, 2, 2, 3, 2, 2, true);    // rectangular kernel, wide padding
    check_against_reference(2, 1, 4, 4, 1, 1, 1, 1, 0, true);    // 1x1: a per-pixel linear layer
    // Large enough that im2col, col2im and the bias copy run on several threads.
    check_against_reference(8, 16, 16, 16, 32, 3, 3, 1, 1, true);
}

TEST_CASE("conv2d: the result does not depend on the thread count", "[conv]") {
    set_busy_backoff(false);
    auto run = [](int threads) {
        omp_set_num_threads(threads);
        Rng rng(7);
        Tensor x = uniform({8, 16, 16, 16}, -1, 1, rng).requires_grad_();
        Tensor w = uniform({32, 16, 3, 3}, -1, 1, rng).requires_grad_();
        Tensor y = conv2d(x, w, Tensor(), 1, 1);
        sum(mul(y, y)).backward();
        std::vector<float> all = y.to_vector();
        for (float v : x.grad().to_vector()) all.push_back(v);
        for (float v : w.grad().to_vector()) all.push_back(v);
        return all;
    };
    const std::vector<float> one = run(1), two = run(2);
    omp_set_num_threads(max_threads());
    REQUIRE(one == two);
}

TEST_CASE("nn::Conv2d has PyTorch's parameter names, shapes and initial bound", "[conv]") {
    Rng rng(3);
    nn::Conv2d conv(3, 8, 5, 2, 1, true, rng);
    const auto params = conv.named_parameters();
    REQUIRE(params.size() == 2);
    REQUIRE(params[0].first == "weight");
    REQUIRE(params[0].second.shape() == Shape{8, 3, 5, 5});
    REQUIRE(params[1].first == "bias");
    REQUIRE(params[1].second.shape() == Shape{8});
    const float bound = 1.0f / std::sqrt(75.0f);
    for (float v : params[0].second.to_vector()) REQUIRE(std::fabs(v) <= bound);
    REQUIRE(conv.forward(zeros({2, 3, 11, 11})).shape() == Shape{2, 8, 5, 5});  // (11 + 2 - 5) / 2 + 1
    nn::Conv2d no_bias(3, 4, 3, 1, 0, false, rng);
    REQUIRE(no_bias.named_parameters().size() == 1);
}

TEST_CASE("conv2d and max_pool2d: wrong shapes name the op and the shapes", "[conv]") {
    auto message = [](auto f) {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    REQUIRE(message([] { conv2d(zeros({1, 3, 8, 8}), zeros({4, 2, 3, 3}), Tensor()); }) ==
            "conv2d: needs input [N, C, H, W], weight [O, C, kh, kw], bias [O], got [1, 3, 8, 8], [4, 2, 3, 3]");
    REQUIRE(message([] { conv2d(zeros({1, 3, 2, 2}), zeros({4, 3, 5, 5}), Tensor()); }) ==
            "conv2d: the kernel is larger than the padded input (input [1, 3, 2, 2], kernel 5x5, stride 1, padding 0)");
    REQUIRE(message([] { max_pool2d(zeros({3, 8, 8}), 2); }) == "max_pool2d: needs input [N, C, H, W], got [3, 8, 8]");
}
