// test_autograd.cpp — the backward pass itself: accumulation, deep graphs, freeing, NoGrad, errors.
#include <catch2/catch.hpp>

#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using Catch::Matchers::Contains;

TEST_CASE("a tensor used twice receives both gradient contributions", "[autograd]") {
    // b = a + a = 2a, c = b·b = 4a², so dc/da = 8a
    Tensor a = tensor({1.5f, -2.0f}, {2}).requires_grad_();
    Tensor b = a + a;
    Tensor c = sum(b * b);
    c.backward();
    REQUIRE(a.grad().at({0}) == Approx(8.0f * 1.5f));
    REQUIRE(a.grad().at({1}) == Approx(8.0f * -2.0f));
}

TEST_CASE("gradients accumulate across backward calls until zero_grad", "[autograd]") {
    Tensor w = tensor({3.0f}, {1}).requires_grad_();
    sum(w * w).backward();  // d(w²)/dw = 2w = 6
    sum(w * w).backward();
    REQUIRE(w.grad().item() == Approx(12.0f));
    w.zero_grad();
    REQUIRE(w.grad().item() == 0.0f);
    Tensor loss = sum(w * w);
    loss.backward();
    loss.backward();  // the same graph twice: intermediates restart from zero, the leaf adds twice
    REQUIRE(w.grad().item() == Approx(12.0f));
}

TEST_CASE("backward through a 1,000-step recurrence does not overflow the stack", "[autograd]") {
    // An LSTM-like chain h_t = tanh(h_{t-1} · w + x_t): the graph is 3,000+ nodes deep.
    Rng rng(7);
    Tensor w = uniform({8, 8}, -0.3f, 0.3f, rng).requires_grad_();
    Tensor h = zeros({1, 8});
    for (int t = 0; t < 1000; ++t) h = tanh(matmul(h, w) + uniform({1, 8}, -1.0f, 1.0f, rng));
    Tensor loss = sum(h);
    REQUIRE_NOTHROW(loss.backward());
    REQUIRE(w.has_grad());
    float norm = 0.0f;
    for (float g : w.grad().to_vector()) norm += g * g;
    REQUIRE(norm > 0.0f);
}

TEST_CASE("graphs are freed: 100,000 graphs leave the live-node count at its baseline", "[autograd][memory]") {
    Tensor w = tensor({0.5f, -0.25f, 2.0f}, {3}).requires_grad_();
    const long baseline = live_node_count();
    for (int i = 0; i < 100000; ++i) {
        Tensor x = tensor({float(i % 7), 1.0f, -1.0f}, {3});
        Tensor loss = sum(tanh(x * w) + exp(w));
        loss.backward();
    }
    REQUIRE(live_node_count() == baseline);
}

TEST_CASE("freeing a 200,000-node-deep graph does not overflow the stack", "[autograd][memory]") {
    const long baseline = live_node_count();
    {
        Tensor w = tensor({0.5f}, {1}).requires_grad_();
        Tensor h = zeros({1});
        for (int t = 0; t < 100000; ++t) h = h * w + 1.0f;  // two nodes per step
        REQUIRE(live_node_count() > baseline + 200000);
    }  // the whole chain dies here
    REQUIRE(live_node_count() == baseline);
}

TEST_CASE("NoGrad records no graph and restores the previous mode", "[autograd]") {
    Tensor w = ones({2}).requires_grad_();
    {
        NoGrad guard;
        Tensor y = w * 3.0f;
        REQUIRE_FALSE(y.requires_grad());
        REQUIRE_FALSE(grad_enabled());
        {
            NoGrad inner;
        }
        REQUIRE_FALSE(grad_enabled());
    }
    REQUIRE(grad_enabled());
    REQUIRE((w * 3.0f).requires_grad());
}

TEST_CASE("detach cuts the graph", "[autograd]") {
    Tensor a = tensor({2.0f}, {1}).requires_grad_();
    Tensor b = (a * a).detach();
    REQUIRE_FALSE(b.requires_grad());
    Tensor c = sum(a * b);  // dc/da = b = 4, not 3a² = 12
    c.backward();
    REQUIRE(a.grad().item() == Approx(4.0f));
}

TEST_CASE("backward errors are clear", "[autograd][errors]") {
    Tensor x = ones({2, 2});
    REQUIRE_THROWS_WITH(sum(x).backward(), Contains("does not require grad"));
    Tensor w = ones({2, 2}).requires_grad_();
    REQUIRE_THROWS_WITH((w * 2.0f).backward(), Contains("one-element loss") && Contains("[2, 2]"));
    REQUIRE_THROWS_WITH((w * 2.0f).requires_grad_(), Contains("only leaf tensors"));
}

TEST_CASE("shape errors name the op and the shapes", "[errors]") {
    REQUIRE_THROWS_WITH(matmul(ones({32, 64}), ones({128, 256})),
                        Contains("matmul: inner dimensions differ: [32, 64] x [128, 256]"));
    REQUIRE_THROWS_WITH(add(ones({2, 3}), ones({4})), Contains("add: shapes [2, 3] and [4] cannot be broadcast"));
    REQUIRE_THROWS_WITH(concat({ones({2, 3}), ones({3, 3})}, 1),
                        Contains("concat: shapes differ outside dim 1: [2, 3], [3, 3]"));
    REQUIRE_THROWS_WITH(reshape(ones({2, 3}), {4, 2}), Contains("reshape: cannot view shape [2, 3] (6 elements) as [4, 2]"));
    REQUIRE_THROWS_WITH(index_select(ones({5, 2}), 0, {1, 5}), Contains("index_select: index 5 out of range [0, 5)"));
    REQUIRE_THROWS_WITH(embedding(ones({10, 4}), {3, -1}, {2}), Contains("embedding: index -1 out of range [0, 10)"));
    REQUIRE_THROWS_WITH(select(ones({2, 3}), 2, 0), Contains("select: dim 2 out of range for shape [2, 3]"));
    REQUIRE_THROWS_WITH(cross_entropy(ones({2, 3}), {0, 3}), Contains("cross_entropy: target 3 out of range [0, 3)"));
    REQUIRE_THROWS_WITH(ones({2}).item(), Contains("item: tensor of shape [2] has 2 elements"));
}

TEST_CASE("printing shows values, shape and grad_fn", "[tensor]") {
    std::ostringstream os;
    Tensor a = tensor({1, 2, 3, 4}, {2, 2}).requires_grad_();
    os << a;
    REQUIRE(os.str() == "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], requires_grad=true)");
    os.str("");
    os << matmul(a, a);
    REQUIRE_THAT(os.str(), Contains("grad_fn=matmul") && Contains("[[7.0000, 10.0000]"));
}

TEST_CASE("the Rng gives the same numbers for the same seed on every machine", "[rng]") {
    // PCG32's reference output for seed 42, stream 54 (pcg32-demo from pcg-random.org).
    Rng rng(42, 54);
    REQUIRE(rng.next_u32() == 0xa15c02b7u);
    REQUIRE(rng.next_u32() == 0x7b47f409u);
    REQUIRE(rng.next_u32() == 0xba1d3330u);
    Rng a(5), b(5);
    for (int i = 0; i < 100; ++i) REQUIRE(a.normal() == b.normal());
    // sample moments of 100k normals
    Rng r(1);
    double s = 0, s2 = 0;
    for (int i = 0; i < 100000; ++i) {
        const double z = r.normal();
        s += z;
        s2 += z * z;
    }
    REQUIRE(std::fabs(s / 100000) < 0.02);
    REQUIRE(std::fabs(s2 / 100000 - 1.0) < 0.02);
}
