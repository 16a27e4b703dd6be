// gradcheck_cases.hpp — the building blocks of test_gradcheck.cpp's table: leaves to
// differentiate (kept away from kinks and ties), one gradient check with a message that names
// the case, and the checks shared by op families (binary with broadcasting, unary, along a
// dim, softmax-like with masks).
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tinyattn/gradcheck.hpp"
#include "tinyattn/tinyattn.hpp"

namespace gradcheck_cases {

using namespace tinyattn;


using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

// A leaf to differentiate, uniform in [lo, hi).
inline Tensor param(const Shape& shape, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    Rng rng(seed);
    return uniform(shape, lo, hi, rng).requires_grad_();
}

// Values at least 0.1 apart (a shuffled grid), so max never sees a tie within ±h.
inline Tensor distinct(const Shape& shape, uint64_t seed) {
    std::vector<int> order(shape_numel(shape));
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    Rng rng(seed);
    rng.shuffle(order);
    std::vector<float> v(order.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = 0.1f * float(order[i]) - 0.05f * float(v.size());
    return tensor(v, shape).requires_grad_();
}

// Magnitudes in [0.2, 1] with random signs: far from relu's kink at 0.
inline Tensor away_from_zero(const Shape& shape, uint64_t seed) {
    Rng rng(seed);
    Tensor t = uniform(shape, 0.2f, 1.0f, rng);
    for (size_t i = 0; i < t.numel(); ++i)
        if (rng.uniform() < 0.5f) t.data()[i] = -t.data()[i];
    return t.requires_grad_();
}

// One gradient check; the failure message names the case and where autograd and finite
// differences disagree (the op name comes from the INFO of the caller).
inline void expect_gradcheck(const std::string& what, const Fn& f, const std::vector<Tensor>& inputs) {
    const GradcheckResult r = gradcheck(f, inputs);
    INFO(what << ": " << r.message << " (max abs error " << r.max_abs_error << ")");
    REQUIRE(r.ok);
}

// ---- elementwise ----------------------------------------------------------------------------
using Binary = Tensor (*)(const Tensor&, const Tensor&);

// A binary op on broadcast shapes, scalar tensors and the same tensor on both sides.
// `lo_b` keeps the second operand positive where the op divides by it.
inline void check_binary(Binary op, float lo_b) {
    const Shape pairs[][2] = {{{2, 3}, {2, 3}}, {{2, 3}, {3}},    {{3}, {2, 3}},       {{2, 1, 4}, {3, 1}},
                              {{2, 3}, {}},     {{}, {2, 3}},     {{}, {}},            {{4, 1}, {1, 5}}};
    uint64_t seed = 10;
    for (const auto& p : pairs) {
        Tensor a = param(p[0], seed++), b = param(p[1], seed++, lo_b, lo_b + 1.0f);
        expect_gradcheck(shape_str(p[0]) + " with " + shape_str(p[1]),
                         [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); }, {a, b});
    }
    // One operand not requiring grad: only the other one is checked.
    Tensor a = param({2, 3}, 30), b = param({3}, 31, lo_b, lo_b + 1.0f).detach();
    expect_gradcheck("second operand constant", [op, b](const std::vector<Tensor>& in) { return op(in[0], b); }, {a});
    // Reused input: the same tensor as both operands gets both contributions.
    Tensor x = param({2, 3}, 32, 0.5f, 1.5f);
    expect_gradcheck("op(x, x)", [op](const std::vector<Tensor>& in) { return op(in[0], in[0]); }, {x});
}

using Unary = std::function<Tensor(const Tensor&)>;

inline void check_unary(const Unary& op, const Tensor& x) {
    expect_gradcheck("on " + shape_str(x.shape()), [op](const std::vector<Tensor>& in) { return op(in[0]); }, {x});
    // Scalar tensor [] and reuse of the result: f(x) = op(x) · op(x).
    Tensor s = param({}, 40, 0.6f, 0.9f);
    expect_gradcheck("on a scalar tensor", [op](const std::vector<Tensor>& in) { return op(in[0]); }, {s});
    expect_gradcheck("op(x) * op(x)", [op](const std::vector<Tensor>& in) {
        Tensor y = op(in[0]);
        return y * y;
    }, {x});
}

// A reduction over one dim, for each dim in `dims` (negative ones too), with and without keepdim.
using AlongDim = Tensor (*)(const Tensor&, int, bool);
inline void check_along_dim(AlongDim op, const std::vector<int>& dims, const Tensor& x) {
    for (int dim : dims)
        for (bool keepdim : {false, true})
            expect_gradcheck("dim " + std::to_string(dim) + " keepdim " + std::to_string(keepdim),
                             [op, dim, keepdim](const std::vector<Tensor>& in) { return op(in[0], dim, keepdim); }, {x});
}

// softmax or log_softmax along dims 0, -1 and 1, and over attention scores whose masked keys
// are -inf. log_softmax turns -inf into -inf, so the masked outputs are zeroed again to keep
// the weighted sum finite (for softmax they are 0 already).
using AlongOneDim = Tensor (*)(const Tensor&, int);
inline void check_softmax_like(AlongOneDim op, uint64_t seed) {
    for (int dim : {0, -1, 1})
        expect_gradcheck("dim " + std::to_string(dim) + " of [2, 3, 4]",
                         [op, dim](const std::vector<Tensor>& in) { return op(in[0], dim); },
                         {param({2, 3, 4}, seed, -2.0f, 2.0f)});
    Tensor mask = tensor({0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0}, {3, 4});
    expect_gradcheck("keys masked with -inf", [op, mask](const std::vector<Tensor>& in) {
        const float inf = std::numeric_limits<float>::infinity();
        return masked_fill(op(masked_fill(in[0], mask, -inf), -1), mask, 0.0f);
    }, {param({3, 4}, seed + 1, -2.0f, 2.0f)});
}

}  // namespace gradcheck_cases
