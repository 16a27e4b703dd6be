// test_gradcheck.cpp — every differentiable op against finite differences.
//
// One explicit table maps each op name of differentiable_ops() (tinyattn/ops/op_list.cpp) to a
// check function. A test fails if an op has no entry, so no op can exist without a gradient
// check. Each check runs tinyattn::gradcheck with its default options (never loosened here) on
// small inputs: broadcast shapes, reused inputs, keepdim and negative dims, batch broadcasting,
// repeated indices. Inputs are kept away from kinks (relu at 0, ties in max) where the
// derivative does not exist and a finite difference would straddle it.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "gradcheck_cases.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

using namespace gradcheck_cases;

namespace {

// ---- the table -------------------------------------------------------------------------------
struct OpCheck {
    std::string group;  // which TEST_CASE runs it
    std::function<void()> check;
};

const std::map<std::string, OpCheck>& op_checks() {
    static const std::map<std::string, OpCheck> table = {
        // elementwise, binary with broadcasting
        {"add", {"elementwise", [] {
             check_binary(add, -1.0f);
             // f(x) = x*x + x: a reused input through two different ops
             expect_gradcheck("x*x + x", [](const std::vector<Tensor>& in) { return in[0] * in[0] + in[0]; },
                              {param({2, 3}, 1)});
         }}},
        {"sub", {"elementwise", [] { check_binary(sub, -1.0f); }}},
        {"mul", {"elementwise", [] { check_binary(mul, -1.0f); }}},
        {"div", {"elementwise", [] { check_binary(div, 0.5f); }}},
        // tensor-scalar forms
        {"add_scalar", {"elementwise", [] { check_unary([](const Tensor& a) { return a + 2.5f; }, param({2, 3}, 2)); }}},
        {"mul_scalar", {"elementwise", [] { check_unary([](const Tensor& a) { return -1.5f * a; }, param({2, 3}, 3)); }}},
        {"rsub_scalar", {"elementwise", [] { check_unary([](const Tensor& a) { return 3.0f - a; }, param({2, 3}, 4)); }}},
        {"rdiv_scalar", {"elementwise", [] {
             check_unary([](const Tensor& a) { return 2.0f / a; }, param({2, 3}, 5, 0.7f, 2.0f));
         }}},
        // one-input functions
        {"neg", {"elementwise", [] { check_unary([](const Tensor& a) { return -a; }, param({2, 3}, 6)); }}},
        {"exp", {"elementwise", [] { check_unary([](const Tensor& a) { return exp(a); }, param({2, 3}, 7)); }}},
        {"log", {"elementwise", [] { check_unary([](const Tensor& a) { return log(a); }, param({2, 3}, 8, 0.7f, 2.0f)); }}},
        {"sqrt", {"elementwise", [] { check_unary([](const Tensor& a) { return sqrt(a); }, param({2, 3}, 9, 0.7f, 2.0f)); }}},
        {"pow", {"elementwise", [] {
             check_unary([](const Tensor& a) { return pow(a, 3.0f); }, param({2, 3}, 10));
             check_unary([](const Tensor& a) { return pow(a, 2.5f); }, param({2, 3}, 11, 0.7f, 2.0f));
             check_unary([](const Tensor& a) { return pow(a, -1.5f); }, param({2, 3}, 12, 0.7f, 2.0f));
         }}},
        {"tanh", {"elementwise", [] { check_unary([](const Tensor& a) { return tanh(a); }, param({2, 3}, 13, -2.0f, 2.0f)); }}},
        {"sigmoid", {"elementwise", [] {
             check_unary([](const Tensor& a) { return sigmoid(a); }, param({2, 3}, 14, -3.0f, 3.0f));
         }}},
        {"relu", {"elementwise", [] { check_unary([](const Tensor& a) { return relu(a); }, away_from_zero({3, 4}, 15)); }}},

        // reductions
        {"sum", {"reduce", [] {
             expect_gradcheck("sum of [2, 3, 4]", [](const std::vector<Tensor>& in) { return sum(in[0]); }, {param({2, 3, 4}, 20)});
             expect_gradcheck("sum of a scalar", [](const std::vector<Tensor>& in) { return sum(in[0]); }, {param({}, 21)});
         }}},
        {"sum_dim", {"reduce", [] {
             check_along_dim(sum, {0, 1, 2, -1, -2}, param({2, 3, 4}, 22));
         }}},
        {"mean", {"reduce", [] {
             expect_gradcheck("mean of [2, 3, 4]", [](const std::vector<Tensor>& in) { return mean(in[0]); }, {param({2, 3, 4}, 23)});
         }}},
        {"mean_dim", {"reduce", [] {
             check_along_dim(mean, {0, 1, -1}, param({2, 3, 4}, 24));
         }}},
        {"max", {"reduce", [] {
             expect_gradcheck("max of [3, 4]", [](const std::vector<Tensor>& in) { return max(in[0]); }, {distinct({3, 4}, 25)});
         }}},
        {"max_dim", {"reduce", [] {
             check_along_dim(max, {0, 1, -1}, distinct({2, 3, 4}, 26));
         }}},

        // products
        {"matmul", {"matmul", [] {
             const Shape cases[][2] = {{{2, 3}, {3, 4}},       {{2, 2, 3}, {2, 3, 4}}, {{1, 2, 3}, {3, 3, 4}},
                                       {{3, 2, 3}, {1, 3, 4}}, {{2, 2, 3}, {3, 4}},    {{1, 1, 3}, {3, 1}}};
             uint64_t seed = 30;
             for (const auto& c : cases)
                 expect_gradcheck(shape_str(c[0]) + " x " + shape_str(c[1]),
                                  [](const std::vector<Tensor>& in) { return matmul(in[0], in[1]); },
                                  {param(c[0], seed++), param(c[1], seed++)});
             expect_gradcheck("x · x", [](const std::vector<Tensor>& in) { return matmul(in[0], in[0]); }, {param({3, 3}, 40)});
         }}},
        {"linear", {"matmul", [] {
             Tensor w = param({4, 3}, 41), b = param({4}, 42);
             const Fn with_bias = [](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); };
             const Fn without_bias = [](const std::vector<Tensor>& in) { return linear(in[0], in[1], Tensor()); };
             expect_gradcheck("[2, 3] with bias", with_bias, {param({2, 3}, 43), w, b});
             expect_gradcheck("[2, 5, 3] with bias", with_bias, {param({2, 5, 3}, 44), w, b});
             expect_gradcheck("[3] with bias", with_bias, {param({3}, 45), w, b});
             expect_gradcheck("[2, 3] without bias", without_bias, {param({2, 3}, 46), w});
         }}},

        // shape ops
        {"reshape", {"shape", [] {
             expect_gradcheck("[2, 3, 4] -> [4, -1]", [](const std::vector<Tensor>& in) { return reshape(in[0], {4, -1}); },
                              {param({2, 3, 4}, 50)});
         }}},
        {"transpose", {"shape", [] {
             expect_gradcheck("(0, 2)", [](const std::vector<Tensor>& in) { return transpose(in[0], 0, 2); }, {param({2, 3, 4}, 51)});
             expect_gradcheck("(-1, -2)", [](const std::vector<Tensor>& in) { return transpose(in[0], -1, -2); }, {param({2, 3, 4}, 52)});
         }}},
        {"permute", {"shape", [] {
             expect_gradcheck("(2, 0, 1)", [](const std::vector<Tensor>& in) { return permute(in[0], {2, 0, 1}); }, {param({2, 3, 4}, 53)});
             expect_gradcheck("(1, -1, 0)", [](const std::vector<Tensor>& in) { return permute(in[0], {1, -1, 0}); }, {param({2, 3, 4}, 54)});
         }}},
        {"concat", {"shape", [] {
             expect_gradcheck("3 tensors along dim 1", [](const std::vector<Tensor>& in) { return concat(in, 1); },
                              {param({2, 1, 3}, 55), param({2, 2, 3}, 56), param({2, 3, 3}, 57)});
             expect_gradcheck("3 tensors along dim -1", [](const std::vector<Tensor>& in) { return concat(in, -1); },
                              {param({2, 2}, 58), param({2, 1}, 59), param({2, 3}, 60)});
             expect_gradcheck("along dim 0, one input reused", [](const std::vector<Tensor>& in) {
                 return concat({in[0], in[1], in[0]}, 0);
             }, {param({1, 3}, 61), param({2, 3}, 62)});
         }}},
        {"stack", {"shape", [] {
             for (int dim : {0, 1, -1})
                 expect_gradcheck("3 tensors along dim " + std::to_string(dim),
                                  [dim](const std::vector<Tensor>& in) { return stack(in, dim); },
                                  {param({2, 3}, 63), param({2, 3}, 64), param({2, 3}, 65)});
         }}},
        {"narrow", {"shape", [] {
             expect_gradcheck("middle dim of [2, 4, 3]", [](const std::vector<Tensor>& in) { return narrow(in[0], 1, 1, 2); },
                              {param({2, 4, 3}, 66)});
             expect_gradcheck("dim -1", [](const std::vector<Tensor>& in) { return narrow(in[0], -1, 2, 1); }, {param({2, 4, 3}, 67)});
         }}},
        {"select", {"shape", [] {
             expect_gradcheck("middle dim of [2, 4, 3]", [](const std::vector<Tensor>& in) { return select(in[0], 1, 2); },
                              {param({2, 4, 3}, 68)});
             expect_gradcheck("index -1 of dim 0", [](const std::vector<Tensor>& in) { return select(in[0], 0, -1); },
                              {param({2, 4, 3}, 69)});
         }}},
        {"unsqueeze", {"shape", [] {
             expect_gradcheck("dim 1", [](const std::vector<Tensor>& in) { return unsqueeze(in[0], 1); }, {param({2, 3}, 70)});
             expect_gradcheck("dim -1", [](const std::vector<Tensor>& in) { return unsqueeze(in[0], -1); }, {param({2, 3}, 71)});
         }}},
        {"squeeze", {"shape", [] {
             expect_gradcheck("dim 1 of [2, 1, 3]", [](const std::vector<Tensor>& in) { return squeeze(in[0], 1); }, {param({2, 1, 3}, 72)});
         }}},

        // indexing
        {"index_select", {"indexing", [] {
             expect_gradcheck("repeated indices, dim 1", [](const std::vector<Tensor>& in) {
                 return index_select(in[0], 1, {3, 0, 3, 3});
             }, {param({2, 4, 3}, 80)});
             expect_gradcheck("dim -1", [](const std::vector<Tensor>& in) { return index_select(in[0], -1, {2, 1}); },
                              {param({2, 4, 3}, 81)});
         }}},
        {"embedding", {"indexing", [] {
             expect_gradcheck("repeated ids", [](const std::vector<Tensor>& in) {
                 return embedding(in[0], {1, 4, 1, 1, 0, 4}, {2, 3});
             }, {param({5, 3}, 82)});
             // padding_idx: the padding row is read in forward but gets no gradient. Zeroing the
             // padding positions afterwards makes the true derivative for that row 0 too, so
             // finite differences and autograd must agree.
             const std::vector<int> ids = {2, 0, 3, 0, 2, 1};
             Tensor pad_mask = tensor({0, 1, 0, 1, 0, 0}, {2, 3, 1});
             expect_gradcheck("padding_idx 0, padding positions masked", [ids, pad_mask](const std::vector<Tensor>& in) {
                 return masked_fill(embedding(in[0], ids, {2, 3}, 0), pad_mask, 0.0f);
             }, {param({4, 3}, 83)});
             // ... and without the mask the padding row's gradient is exactly zero.
             Tensor w = param({4, 3}, 84);
             embedding(w, ids, {2, 3}, 0).backward(param({2, 3, 3}, 85).detach());
             for (int j = 0; j < 3; ++j) REQUIRE(w.grad().at({0, j}) == 0.0f);
             for (int j = 0; j < 3; ++j) REQUIRE(w.grad().at({2, j}) != 0.0f);
         }}},
        {"masked_fill", {"indexing", [] {
             Tensor mask = tensor({1, 0, 0, 1, 0, 1}, {3, 1, 2});  // right-aligned: broadcasts over dims 0 and 2
             expect_gradcheck("mask [3, 1, 2] on [2, 3, 4, 2]", [mask](const std::vector<Tensor>& in) {
                 return masked_fill(in[0], mask, -5.0f);
             }, {param({2, 3, 4, 2}, 86)});
             Tensor row_mask = tensor({0, 1, 1, 0}, {4});
             expect_gradcheck("mask [4] on [3, 4]", [row_mask](const std::vector<Tensor>& in) {
                 return masked_fill(in[0], row_mask, 0.0f);
             }, {param({3, 4}, 87)});
         }}},

        // softmax family and loss
        {"softmax", {"softmax", [] { check_softmax_like(softmax, 90); }}},
        {"log_softmax", {"softmax", [] { check_softmax_like(log_softmax, 92); }}},
        {"cross_entropy", {"softmax", [] {
             expect_gradcheck("all targets counted", [](const std::vector<Tensor>& in) {
                 return cross_entropy(in[0], {1, 4, 0, 2});
             }, {param({4, 5}, 94, -2.0f, 2.0f)});
             expect_gradcheck("ignore_index -100 on one row", [](const std::vector<Tensor>& in) {
                 return cross_entropy(in[0], {1, -100, 4, 0});
             }, {param({4, 5}, 95, -2.0f, 2.0f)});
             expect_gradcheck("ignore_index 0 (a pad id that is also a class)", [](const std::vector<Tensor>& in) {
                 return cross_entropy(in[0], {0, 3, 0, 2}, 0);
             }, {param({4, 5}, 96, -2.0f, 2.0f)});
             expect_gradcheck("every target ignored", [](const std::vector<Tensor>& in) {
                 return cross_entropy(in[0], {0, 0}, 0);
             }, {param({2, 5}, 97)});
         }}},

        // regularisation and normalisation
        {"dropout", {"normalisation", [] {
             for (float p : {0.3f, 0.5f})
                 expect_gradcheck("training, p = " + std::to_string(p), [p](const std::vector<Tensor>& in) {
                     Rng rng(7);  // the same seed on every call: the same mask for every finite difference
                     return dropout(in[0], p, true, rng);
                 }, {param({4, 5}, 100)});
             expect_gradcheck("eval", [](const std::vector<Tensor>& in) { return dropout(in[0], 0.5f, false) * 2.0f; },
                              {param({4, 5}, 101)});
         }}},
        {"layer_norm", {"normalisation", [] {
             Tensor w = param({5}, 102, 0.5f, 1.5f), b = param({5}, 103);
             expect_gradcheck("with weight and bias", [](const std::vector<Tensor>& in) {
                 return layer_norm(in[0], in[1], in[2]);
             }, {param({3, 5}, 104), w, b});
             expect_gradcheck("without weight and bias", [](const std::vector<Tensor>& in) {
                 return layer_norm(in[0], Tensor(), Tensor());
             }, {param({2, 2, 5}, 105)});
             expect_gradcheck("weight only", [](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], Tensor()); },
                              {param({3, 5}, 106), w});
         }}},

        // fused kernels
        {"lstm_cell_c", {"fused", [] {
             expect_gradcheck("c' = f*c + i*g", [](const std::vector<Tensor>& in) { return lstm_cell(in[0], in[1], in[2]).c; },
                              {param({3, 8}, 110, -2.0f, 2.0f), param({3, 8}, 111, -2.0f, 2.0f), param({3, 2}, 112, -2.0f, 2.0f)});
         }}},
        {"lstm_cell_h", {"fused", [] {
             expect_gradcheck("h' = o*tanh(c')", [](const std::vector<Tensor>& in) { return lstm_cell(in[0], in[1], in[2]).h; },
                              {param({3, 8}, 113, -2.0f, 2.0f), param({3, 8}, 114, -2.0f, 2.0f), param({3, 2}, 115, -2.0f, 2.0f)});
             expect_gradcheck("h' and c' both used", [](const std::vector<Tensor>& in) {
                 const LSTMCellOutput o = lstm_cell(in[0], in[1], in[2]);
                 return o.h * o.c;
             }, {param({2, 12}, 116, -2.0f, 2.0f), param({2, 12}, 117, -2.0f, 2.0f), param({2, 3}, 118, -2.0f, 2.0f)});
             expect_gradcheck("one gates tensor as both halves", [](const std::vector<Tensor>& in) {
                 return lstm_cell(in[0], in[0], in[1]).h;
             }, {param({2, 8}, 119), param({2, 2}, 120)});
         }}},
        {"additive_scores", {"fused", [] {
             expect_gradcheck("v tanh(q + k)", [](const std::vector<Tensor>& in) { return additive_scores(in[0], in[1], in[2]); },
                              {param({2, 3}, 121), param({2, 4, 3}, 122, -2.0f, 2.0f), param({1, 3}, 123)});
             expect_gradcheck("v as [A]", [](const std::vector<Tensor>& in) { return additive_scores(in[0], in[1], in[2]); },
                              {param({1, 5}, 124), param({1, 2, 5}, 125), param({5}, 126)});
         }}},
        {"head_scores", {"fused", [] {
             expect_gradcheck("2 heads, Tq != Tk", [](const std::vector<Tensor>& in) {
                 return head_scores(in[0], in[1], 2, 0.5f);
             }, {param({2, 3, 4}, 127), param({2, 5, 4}, 128)});
             expect_gradcheck("one tensor as queries and keys", [](const std::vector<Tensor>& in) {
                 return head_scores(in[0], in[0], 3, 0.7f);
             }, {param({1, 4, 6}, 129)});
         }}},
        {"head_context", {"fused", [] {
             expect_gradcheck("2 heads, Tq != Tk", [](const std::vector<Tensor>& in) { return head_context(in[0], in[1]); },
                              {param({2, 2, 3, 5}, 130, 0.0f, 1.0f), param({2, 5, 4}, 131)});
         }}},

        // images
        {"conv2d", {"images", [] {
             expect_gradcheck("3x3, padding 1, with bias", [](const std::vector<Tensor>& in) {
                 return conv2d(in[0], in[1], in[2], 1, 1);
             }, {param({2, 3, 5, 4}, 140), param({4, 3, 3, 3}, 141), param({4}, 142)});
             expect_gradcheck("stride 2, no padding, no bias, 2x3 kernel", [](const std::vector<Tensor>& in) {
                 return conv2d(in[0], in[1], Tensor(), 2, 0);
             }, {param({1, 2, 7, 6}, 143), param({3, 2, 2, 3}, 144)});
         }}},
        {"max_pool2d", {"images", [] {
             expect_gradcheck("2x2 windows side by side", [](const std::vector<Tensor>& in) { return max_pool2d(in[0], 2); },
                              {distinct({2, 3, 4, 6}, 145)});
             expect_gradcheck("3x3 windows overlapping (stride 2)", [](const std::vector<Tensor>& in) {
                 return max_pool2d(in[0], 3, 2);
             }, {distinct({1, 2, 7, 5}, 146)});
         }}},
        {"windowed_attention", {"fused", [] {
             expect_gradcheck("window 1, bands clipped at both ends", [](const std::vector<Tensor>& in) {
                 return nn::windowed_attention(in[0], in[1], in[2], 1);
             }, {param({2, 5, 3}, 132, -2.0f, 2.0f), param({2, 5, 3}, 133, -2.0f, 2.0f), param({2, 5, 3}, 134)});
             expect_gradcheck("one tensor as query, key and value (self-attention)", [](const std::vector<Tensor>& in) {
                 return nn::windowed_attention(in[0], in[0], in[0], 2);
             }, {param({1, 6, 4}, 135, -2.0f, 2.0f)});
         }}},
    };
    return table;
}

// The TEST_CASEs below each run one group; every group in the table must be one of these.
const std::set<std::string> kGroups = {"elementwise", "reduce", "matmul", "shape", "indexing", "softmax", "normalisation",
                                       "fused", "images"};

void run_group(const std::string& group) {
    int ran = 0;
    for (const auto& [name, entry] : op_checks()) {
        if (entry.group != group) continue;
        INFO("gradcheck of op '" << name << "'");
        entry.check();
        ++ran;
    }
    REQUIRE(ran > 0);
}

}  // namespace

TEST_CASE("every differentiable op has a gradient check, and every check names a real op", "[gradcheck]") {
    const std::vector<std::string>& ops = differentiable_ops();
    for (const std::string& op : ops) {
        INFO("op '" << op << "' is in differentiable_ops() but has no entry in op_checks()");
        REQUIRE(op_checks().count(op) == 1);
    }
    const std::set<std::string> listed(ops.begin(), ops.end());
    REQUIRE(listed.size() == ops.size());  // no name listed twice
    for (const auto& [name, entry] : op_checks()) {
        INFO("op_checks() has '" << name << "' (group '" << entry.group << "')");
        REQUIRE(listed.count(name) == 1);
        REQUIRE(kGroups.count(entry.group) == 1);
    }
}

TEST_CASE("gradcheck: elementwise ops", "[gradcheck]") { run_group("elementwise"); }
TEST_CASE("gradcheck: reductions", "[gradcheck]") { run_group("reduce"); }
TEST_CASE("gradcheck: matmul and linear", "[gradcheck]") { run_group("matmul"); }
TEST_CASE("gradcheck: shape ops", "[gradcheck]") { run_group("shape"); }
TEST_CASE("gradcheck: indexing ops", "[gradcheck]") { run_group("indexing"); }
TEST_CASE("gradcheck: softmax, log_softmax, cross_entropy", "[gradcheck]") { run_group("softmax"); }
TEST_CASE("gradcheck: dropout and layer_norm", "[gradcheck]") { run_group("normalisation"); }
TEST_CASE("gradcheck: fused lstm_cell and additive_scores", "[gradcheck]") { run_group("fused"); }
TEST_CASE("gradcheck: conv2d and max_pool2d", "[gradcheck]") { run_group("images"); }

// y = x² with a wrong backward rule (dy/dx = x instead of 2x): gradcheck must catch it.
static Tensor wrong_square(const Tensor& a) {
    Tensor out = make_result(a.shape(), "wrong_square", {a});
    for (size_t i = 0; i < a.numel(); ++i) out.data()[i] = a.data()[i] * a.data()[i];
    if (out.requires_grad())
        set_backward(out, [a](const Node& node) {
            float* ga = a.grad_data();
            for (size_t i = 0; i < node.grad.size(); ++i) ga[i] += node.grad[i] * a.data()[i];  // wrong: should be 2x
        });
    return out;
}

TEST_CASE("gradcheck reports a wrong backward rule", "[gradcheck]") {
    const GradcheckResult r =
        gradcheck([](const std::vector<Tensor>& in) { return wrong_square(in[0]); }, {param({2, 3}, 110)});
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.max_abs_error > 0.01);
    REQUIRE_THAT(r.message, Catch::Matchers::Contains("input 0 [2, 3] element"));
    // The same function with the rule fixed passes, so the failure above is the rule's fault.
    REQUIRE(gradcheck([](const std::vector<Tensor>& in) { return in[0] * in[0]; }, {param({2, 3}, 110)}).ok);
}

TEST_CASE("gradcheck reports a gradient that never reaches an input", "[gradcheck]") {
    // detach() cuts the graph: autograd says 0, finite differences see the dependence.
    const GradcheckResult r =
        gradcheck([](const std::vector<Tensor>& in) { return in[0].detach() * in[1]; }, {param({3}, 111), param({3}, 112)});
    REQUIRE_FALSE(r.ok);
    REQUIRE_THAT(r.message, Catch::Matchers::Contains("input 0"));
}
