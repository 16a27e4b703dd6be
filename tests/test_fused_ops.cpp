// test_fused_ops.cpp — every fused op against its plain reference, as test_gemm does for gemm.
//
// The references are written as the chapters explain them, with ordinary ops, and autograd
// derives their gradients; the fused ops do the same arithmetic in one pass with hand-written
// backward rules. Each case runs both on the same inputs, backpropagates the same random
// upstream gradients, and compares every output and every gradient:
//   lstm_cell       vs lstm_cell_reference       (ops/lstm_cell.cpp; lesson 05)
//   additive_scores vs additive_scores_reference (ops/additive_scores.cpp; lesson 07)
//   MultiheadAttention::forward vs forward_reference (nn/multihead_attention.cpp, whose fast
//                   path is ops/attention_heads.cpp; lesson 10)
//   the elementwise op table vs unary_reference / binary_reference (ops/elementwise.cpp; lesson 02)
// Sizes: one batch row, ragged sizes, and batches big enough for the threads to share.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "nn_checks.hpp"
#include "tinyattn/nn/multihead_attention.hpp"
#include "tinyattn/ops/elementwise.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {
using Results = std::vector<std::vector<float>>;
using Outputs = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

// f's outputs, then the gradients of L = Σ_k Σ out_k · upstream_k with respect to every input
// and every parameter of m (if given). The upstream gradients come from Rng(seed), so both
// versions of an op get the same ones.
Results outputs_and_grads(const Outputs& f, const std::vector<Tensor>& inputs, uint64_t seed,
                          nn::Module* m = nullptr) {
    std::vector<Tensor> in;
    for (const Tensor& x : inputs) in.push_back(x.detach().requires_grad_());
    if (m) m->zero_grad();
    const std::vector<Tensor> out = f(in);
    Rng rng(seed);
    Tensor loss = scalar(0.0f);
    Results r;
    for (const Tensor& y : out) {
        loss = loss + sum(y * randn(y.shape(), rng));
        r.push_back(y.to_vector());
    }
    loss.backward();
    for (const Tensor& x : in) r.push_back(x.grad().to_vector());
    if (m)
        for (const auto& [name, p] : m->named_parameters()) r.push_back(p.grad().to_vector());
    return r;
}

// Every number of `fast` within `tol` (relative, with an absolute floor of tol) of `reference`;
// tol = 0: the same bits.
void require_equal(const Results& fast, const Results& reference, float tol, const std::string& what) {
    REQUIRE(fast.size() == reference.size());
    for (size_t k = 0; k < fast.size(); ++k) {
        INFO(what << ", result " << k << " (outputs first, then the gradients)");
        REQUIRE(fast[k].size() == reference[k].size());
        for (size_t i = 0; i < fast[k].size(); ++i) {
            INFO("element " << i << ": fast " << fast[k][i] << ", reference " << reference[k][i]);
            if (tol == 0.0f) REQUIRE(fast[k][i] == reference[k][i]);
            else REQUIRE(std::fabs(fast[k][i] - reference[k][i]) <= tol * (1.0f + std::fabs(reference[k][i])));
        }
    }
}
}  // namespace

// The same activation kernels on the same numbers, but not bit for bit: the compiler may fuse
// f·c + i·g into one multiply-add in the fused loop, and the fused rules multiply the same factors
// in another order than the chain of composed rules (dc'·g·i·(1-i) against (dc'·g)·(i·(1-i))).
// So everything agrees to float rounding.
TEST_CASE("lstm_cell equals lstm_cell_reference: h', c' and every gradient", "[fused][lstm]") {
    Rng rng(71);
    for (const Shape& bh : {Shape{1, 3}, Shape{5, 17}, Shape{32, 128}}) {
        const int B = bh[0], H = bh[1];
        const std::vector<Tensor> in{random_input({B, 4 * H}, rng), random_input({B, 4 * H}, rng),
                                     random_input({B, H}, rng)};
        auto fused = [](const std::vector<Tensor>& x) {
            const LSTMCellOutput o = lstm_cell(x[0], x[1], x[2]);
            return std::vector<Tensor>{o.h, o.c};
        };
        auto reference = [](const std::vector<Tensor>& x) {
            const LSTMCellOutput o = lstm_cell_reference(x[0], x[1], x[2]);
            return std::vector<Tensor>{o.h, o.c};
        };
        const Results fast = outputs_and_grads(fused, in, 7), plain = outputs_and_grads(reference, in, 7);
        require_equal(fast, plain, 1e-6f, "B, H = " + shape_str(bh));
        // Only one output used: each node's rule stands alone (h' alone, or c' alone).
        for (int which = 0; which < 2; ++which) {
            auto one = [&](const Outputs& f) {
                return [f, which](const std::vector<Tensor>& x) { return std::vector<Tensor>{f(x)[size_t(which)]}; };
            };
            require_equal(outputs_and_grads(one(fused), in, 8), outputs_and_grads(one(reference), in, 8), 1e-6f,
                          std::string(which ? "c' alone" : "h' alone") + ", B, H = " + shape_str(bh));
        }
    }
}

TEST_CASE("additive_scores equals additive_scores_reference (vᵀ tanh(q + k)): scores and every gradient",
          "[fused][additive]") {
    Rng rng(72);
    for (const Shape& bsa : {Shape{1, 1, 3}, Shape{3, 7, 10}, Shape{32, 12, 64}}) {
        const int B = bsa[0], S = bsa[1], A = bsa[2];
        const std::vector<Tensor> in{random_input({B, A}, rng), random_input({B, S, A}, rng),
                                     random_input({1, A}, rng)};
        const Results fast = outputs_and_grads(
            [](const std::vector<Tensor>& x) { return std::vector<Tensor>{additive_scores(x[0], x[1], x[2])}; }, in, 9);
        const Results plain = outputs_and_grads(
            [](const std::vector<Tensor>& x) {
                return std::vector<Tensor>{additive_scores_reference(x[0], x[1], x[2])};
            },
            in, 9);
        // The fused sum Σ_a v[a]·t[a] runs 8 lanes at a time, the reference's matmul in its own order.
        require_equal(fast, plain, 1e-5f, "B, S, A = " + shape_str(bsa));
    }
}

TEST_CASE("MultiheadAttention: heads read in place give the same bits as forward_reference, which copies them out",
          "[fused][mha]") {
    // head_scores / head_context (ops/attention_heads.cpp) make the same gemm calls on the same
    // numbers as the copying version, so outputs and every gradient agree exactly. Sizes: W4's
    // (tiles of the packed kernel) and one query row against 3 keys (gemm's thin-product path);
    // key padding, and a causal attn_mask where Tq = Tk.
    Rng rng(16);
    for (const Shape& sizes : {Shape{2, 12, 12, 32, 4}, Shape{3, 1, 3, 8, 2}}) {
        const int B = sizes[0], Tq = sizes[1], Tk = sizes[2], E = sizes[3], H = sizes[4];
        nn::MultiheadAttention mha(E, H, rng);
        for (int i = 0; i < 3 * E; ++i) mha.in_proj_bias.data()[i] = float(i % 7) * 0.1f - 0.3f;  // not all zero
        const std::vector<Tensor> in{random_input({B, Tq, E}, rng), random_input({B, Tk, E}, rng)};
        const Tensor pad = padding_mask(std::vector<int>(size_t(B), Tk > 1 ? Tk - 1 : 1), Tk);
        const Tensor causal = Tq == Tk ? nn::causal_mask(Tq) : Tensor();
        auto fast = [&](const std::vector<Tensor>& x) {
            const nn::AttentionOutput o = mha.forward(x[0], x[1], x[1], pad, causal);
            return std::vector<Tensor>{o.context, o.weights};
        };
        auto reference = [&](const std::vector<Tensor>& x) {
            const nn::AttentionOutput o = mha.forward_reference(x[0], x[1], x[1], pad, causal);
            return std::vector<Tensor>{o.context, o.weights};
        };
        require_equal(outputs_and_grads(fast, in, 10, &mha), outputs_and_grads(reference, in, 10, &mha), 0.0f,
                      "B, Tq, Tk, E, H = " + shape_str(sizes) +
                          " (context, weights, dL/dquery, dL/dkey_value, then the parameters' grads)");
    }
    // Shapes that do not fit are named in the error.
    REQUIRE_THROWS_WITH(head_scores(zeros({2, 3, 6}), zeros({2, 4, 6}), 4, 1.0f),
                        Contains("head_scores") && Contains("[2, 3, 6]") && Contains("4 heads"));
    REQUIRE_THROWS_WITH(head_scores(zeros({2, 3, 6}), zeros({1, 4, 6}), 2, 1.0f), Contains("[1, 4, 6]"));
    REQUIRE_THROWS_WITH(head_context(zeros({2, 2, 3, 4}), zeros({2, 5, 6})),
                        Contains("head_context") && Contains("[2, 2, 3, 4]") && Contains("[2, 5, 6]"));
}

// ---- the elementwise op table against its plain loops ------------------------------------
// Every op of ops/elementwise.cpp runs through the fast loops of kernels/elementwise_loops.hpp;
// unary_reference and binary_reference are the same loops written plainly: the same arithmetic in
// the same order. Two places are not bit for bit: tanh and sigmoid, whose fast forward is the
// vectorised kernel of kernels/activations.cpp (a few ulp from std::tanh and std::exp); and the
// gradient of a stretched operand under mul and div, where the compiler fuses gy += g·∂f/∂y into
// one multiply-add in one loop and rounds the product first in the other. That gradient is a sum
// over 64 rows of terms up to |g·x| ≈ 8, so the two may differ by up to 64 · 8 · 2⁻²⁴ ≈ 3e-5.
namespace {
float sigmoid_of(float x) { return 1.0f / (1.0f + std::exp(-x)); }

void require_same_as_reference(const Outputs& fast, const Outputs& reference, const std::vector<Tensor>& in,
                               float tol, const std::string& what) {
    require_equal(outputs_and_grads(fast, in, 11), outputs_and_grads(reference, in, 11), tol, what);
}
Outputs one(Tensor (*op)(const Tensor&, const Tensor&)) {
    return [op](const std::vector<Tensor>& x) { return std::vector<Tensor>{op(x[0], x[1])}; };
}
}  // namespace

TEST_CASE("elementwise ops equal their plain loops: add, sub, mul, div under every kind of broadcast",
          "[fused][elementwise]") {
    Rng rng(73);
    using F = float (*)(float, float);
    struct Binary {
        const char* name;
        Tensor (*op)(const Tensor&, const Tensor&);
        F f, df_dx, df_dy;
    };
    const std::vector<Binary> ops{
        {"add", add, [](float x, float y) { return x + y; }, [](float, float) { return 1.0f; },
         [](float, float) { return 1.0f; }},
        {"sub", sub, [](float x, float y) { return x - y; }, [](float, float) { return 1.0f; },
         [](float, float) { return -1.0f; }},
        {"mul", mul, [](float x, float y) { return x * y; }, [](float, float y) { return y; },
         [](float x, float) { return x; }},
        {"div", div, [](float x, float y) { return x / y; }, [](float, float y) { return 1.0f / y; },
         [](float x, float y) { return -x / (y * y); }},
    };
    // equal shapes; a bias row over a batch big enough for the threads (and the other way round);
    // the general case [5, 1] with [1, 7]; a middle dim stretched
    const std::vector<std::pair<Shape, Shape>> shapes{
        {{4, 33}, {4, 33}}, {{64, 300}, {300}}, {{300}, {64, 300}}, {{5, 1}, {1, 7}}, {{2, 3, 4}, {3, 1}}};
    for (const Binary& b : ops)
        for (const auto& [sa, sb] : shapes) {
            const std::vector<Tensor> in{uniform(sa, 0.5f, 2.0f, rng), uniform(sb, 0.5f, 2.0f, rng)};
            const Binary* p = &b;
            const Outputs reference = [p](const std::vector<Tensor>& x) {
                return std::vector<Tensor>{binary_reference(p->name, x[0], x[1], p->f, p->df_dx, p->df_dy)};
            };
            const bool products = b.name[0] == 'm' || b.name[0] == 'd';  // mul, div: g·∂f/∂y is not g·1
            require_same_as_reference(one(b.op), reference, in, products ? 3e-5f : 0.0f,
                                      std::string(b.name) + " " + shape_str(sa) + " with " + shape_str(sb));
        }
    // the scalar forms are the same op with a one-element operand
    const Tensor two = tensor({2.0f}, {1}), in_x = uniform({64, 300}, 0.5f, 2.0f, rng);
    const auto with_two = [&](Tensor (*scalar_op)(const Tensor&, float), const Binary& b) {
        require_same_as_reference(
            [scalar_op](const std::vector<Tensor>& x) { return std::vector<Tensor>{scalar_op(x[0], 2.0f)}; },
            [&](const std::vector<Tensor>& x) {
                return std::vector<Tensor>{binary_reference(b.name, x[0], two, b.f, b.df_dx, b.df_dy)};
            },
            {in_x}, 0.0f, std::string(b.name) + " by the scalar 2");
    };
    with_two(add, ops[0]);
    with_two(mul, ops[2]);
    with_two([](const Tensor& a, float p) { return pow(a, p); },
             {"pow", nullptr, [](float x, float y) { return std::pow(x, y); },
              [](float x, float y) { return y * std::pow(x, y - 1.0f); }, [](float, float) { return 0.0f; }});
    require_same_as_reference(
        [](const std::vector<Tensor>& x) { return std::vector<Tensor>{rsub(2.0f, x[0]), rdiv(2.0f, x[0])}; },
        [&](const std::vector<Tensor>& x) {
            return std::vector<Tensor>{binary_reference("rsub", two, x[0], ops[1].f, ops[1].df_dx, ops[1].df_dy),
                                       binary_reference("rdiv", two, x[0], ops[3].f, ops[3].df_dx, ops[3].df_dy)};
        },
        {in_x}, 0.0f, "rsub and rdiv");
}

TEST_CASE("elementwise ops equal their plain loops: neg, exp, log, sqrt, relu, tanh, sigmoid", "[fused][elementwise]") {
    Rng rng(74);
    struct Unary {
        const char* name;
        Tensor (*op)(const Tensor&);
        float (*f)(float);
        float (*df)(float x, float y);
        float tol;
    };
    const std::vector<Unary> ops{
        {"neg", neg, [](float x) { return -x; }, [](float, float) { return -1.0f; }, 0.0f},
        {"exp", exp, [](float x) { return std::exp(x); }, [](float, float y) { return y; }, 0.0f},
        {"log", log, [](float x) { return std::log(x); }, [](float x, float) { return 1.0f / x; }, 0.0f},
        {"sqrt", sqrt, [](float x) { return std::sqrt(x); }, [](float, float y) { return 0.5f / y; }, 0.0f},
        {"relu", relu, [](float x) { return x > 0.0f ? x : 0.0f; }, [](float x, float) { return x > 0.0f ? 1.0f : 0.0f; },
         0.0f},
        {"tanh", tanh, [](float x) { return std::tanh(x); }, [](float, float y) { return 1.0f - y * y; }, 1e-6f},
        {"sigmoid", sigmoid, sigmoid_of, [](float, float y) { return y * (1.0f - y); }, 1e-6f},
    };
    for (const Unary& u : ops)
        for (const Shape& shape : {Shape{7}, Shape{64, 300}}) {
            const bool positive = std::string(u.name) == "log" || std::string(u.name) == "sqrt";
            const std::vector<Tensor> in{positive ? uniform(shape, 0.5f, 2.0f, rng) : uniform(shape, -3.0f, 3.0f, rng)};
            const Unary* p = &u;
            require_same_as_reference(
                [p](const std::vector<Tensor>& x) { return std::vector<Tensor>{p->op(x[0])}; },
                [p](const std::vector<Tensor>& x) { return std::vector<Tensor>{unary_reference(p->name, x[0], p->f, p->df)}; },
                in, u.tol, std::string(u.name) + " " + shape_str(shape));
        }
}
