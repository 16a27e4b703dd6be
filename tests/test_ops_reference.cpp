// test_ops_reference.cpp — every op against PyTorch's own numbers.
//
// tests/reference/gen_ops.py wrote one fixture per case into tests/reference/fixtures/ops/:
// the inputs (in_*), fixed arguments (arg_*), PyTorch's output, a random upstream gradient and
// the input gradients PyTorch's backward produced. Here each case runs the same op in tinyattn,
// backpropagates the same upstream gradient, and compares output and every input gradient
// within fixture::require_close's 1e-5 absolute + 1e-4 relative. A case file is named
// "<op>__<variant>.txt"; <op> picks the runner below. Behaviour where tinyattn deliberately
// differs from PyTorch (fully masked softmax rows, all targets ignored) and dropout's random
// training mode are tested at the end, without fixtures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "fixture.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

namespace {

using Inputs = std::map<std::string, Tensor>;  // in_<name> of the fixture, keyed by <name>

struct Runner {
    std::string group;  // which TEST_CASE runs the cases of this op
    std::function<Tensor(const fixture::Fixture&, const Inputs&)> run;
};

// ---- reading the fixed arguments ----------------------------------------------------------
int int_arg(const fixture::Fixture& f, const std::string& name) {
    return int(std::lround(f["arg_" + name].item()));
}
float float_arg(const fixture::Fixture& f, const std::string& name) { return f["arg_" + name].item(); }
std::vector<int> ints_arg(const fixture::Fixture& f, const std::string& name) {
    std::vector<int> v;
    for (float x : f["arg_" + name].to_vector()) v.push_back(int(std::lround(x)));
    return v;
}
const Tensor& tensor_arg(const fixture::Fixture& f, const std::string& name) { return f["arg_" + name]; }
Tensor optional_input(const Inputs& in, const std::string& name) {
    auto it = in.find(name);
    return it == in.end() ? Tensor() : it->second;
}
// in_t0, in_t1, ... in name order (the tensors of concat/stack)
std::vector<Tensor> input_list(const Inputs& in) {
    std::vector<Tensor> list;
    for (const auto& [name, t] : in) list.push_back(t);
    return list;
}

using Binary = Tensor (*)(const Tensor&, const Tensor&);
Runner binary(Binary op) {  // no in_b means the same tensor on both sides
    return {"elementwise", [op](const fixture::Fixture&, const Inputs& in) {
                return op(in.at("a"), in.count("b") ? in.at("b") : in.at("a"));
            }};
}
Runner unary(std::function<Tensor(const Tensor&, const fixture::Fixture&)> op) {
    return {"elementwise", [op](const fixture::Fixture& f, const Inputs& in) { return op(in.at("a"), f); }};
}
// softmax / log_softmax, after masking with -inf where the fixture has a mask
Runner softmax_like(Tensor (*op)(const Tensor&, int)) {
    return {"softmax", [op](const fixture::Fixture& f, const Inputs& in) {
                Tensor a = in.at("a");
                if (f.has("arg_mask")) a = masked_fill(a, tensor_arg(f, "mask"), -std::numeric_limits<float>::infinity());
                return op(a, int_arg(f, "dim"));
            }};
}
Runner along_dim(Tensor (*op)(const Tensor&, int, bool)) {  // sum/mean/max over one dim
    return {"reduce", [op](const fixture::Fixture& f, const Inputs& in) {
                return op(in.at("a"), int_arg(f, "dim"), int_arg(f, "keepdim") != 0);
            }};
}

const std::map<std::string, Runner>& runners() {
    using F = fixture::Fixture;
    static const std::map<std::string, Runner> table = {
        {"add", binary(add)},
        {"sub", binary(sub)},
        {"mul", binary(mul)},
        {"div", binary(div)},
        {"add_scalar", unary([](const Tensor& a, const F& f) { return a + float_arg(f, "s"); })},
        {"mul_scalar", unary([](const Tensor& a, const F& f) { return a * float_arg(f, "s"); })},
        {"rsub_scalar", unary([](const Tensor& a, const F& f) { return float_arg(f, "s") - a; })},
        {"rdiv_scalar", unary([](const Tensor& a, const F& f) { return float_arg(f, "s") / a; })},
        {"neg", unary([](const Tensor& a, const F&) { return -a; })},
        {"exp", unary([](const Tensor& a, const F&) { return exp(a); })},
        {"log", unary([](const Tensor& a, const F&) { return log(a); })},
        {"sqrt", unary([](const Tensor& a, const F&) { return sqrt(a); })},
        {"pow", unary([](const Tensor& a, const F& f) { return pow(a, float_arg(f, "exponent")); })},
        {"tanh", unary([](const Tensor& a, const F&) { return tanh(a); })},
        {"sigmoid", unary([](const Tensor& a, const F&) { return sigmoid(a); })},
        {"relu", unary([](const Tensor& a, const F&) { return relu(a); })},

        {"sum", {"reduce", [](const F&, const Inputs& in) { return sum(in.at("a")); }}},
        {"mean", {"reduce", [](const F&, const Inputs& in) { return mean(in.at("a")); }}},
        {"max", {"reduce", [](const F&, const Inputs& in) { return max(in.at("a")); }}},
        {"sum_dim", along_dim(sum)},
        {"mean_dim", along_dim(mean)},
        {"max_dim", along_dim(max)},

        {"matmul", {"matmul", [](const F&, const Inputs& in) {
             return matmul(in.at("a"), in.count("b") ? in.at("b") : in.at("a"));
         }}},
        {"linear", {"matmul", [](const F&, const Inputs& in) {
             return linear(in.at("x"), in.at("weight"), optional_input(in, "bias"));
         }}},

        {"reshape", {"shape", [](const F& f, const Inputs& in) { return reshape(in.at("a"), ints_arg(f, "shape")); }}},
        {"transpose", {"shape", [](const F& f, const Inputs& in) {
             return transpose(in.at("a"), int_arg(f, "dim0"), int_arg(f, "dim1"));
         }}},
        {"permute", {"shape", [](const F& f, const Inputs& in) { return permute(in.at("a"), ints_arg(f, "dims")); }}},
        {"concat", {"shape", [](const F& f, const Inputs& in) { return concat(input_list(in), int_arg(f, "dim")); }}},
        {"stack", {"shape", [](const F& f, const Inputs& in) { return stack(input_list(in), int_arg(f, "dim")); }}},
        {"narrow", {"shape", [](const F& f, const Inputs& in) {
             return narrow(in.at("a"), int_arg(f, "dim"), int_arg(f, "start"), int_arg(f, "length"));
         }}},
        {"select", {"shape", [](const F& f, const Inputs& in) {
             return select(in.at("a"), int_arg(f, "dim"), int_arg(f, "index"));
         }}},
        {"unsqueeze", {"shape", [](const F& f, const Inputs& in) { return unsqueeze(in.at("a"), int_arg(f, "dim")); }}},
        {"squeeze", {"shape", [](const F& f, const Inputs& in) { return squeeze(in.at("a"), int_arg(f, "dim")); }}},

        {"index_select", {"indexing", [](const F& f, const Inputs& in) {
             return index_select(in.at("a"), int_arg(f, "dim"), ints_arg(f, "indices"));
         }}},
        {"embedding", {"indexing", [](const F& f, const Inputs& in) {
             return embedding(in.at("weight"), ints_arg(f, "ids"), tensor_arg(f, "ids").shape(), int_arg(f, "padding_idx"));
         }}},
        {"masked_fill", {"indexing", [](const F& f, const Inputs& in) {
             return masked_fill(in.at("a"), tensor_arg(f, "mask"), float_arg(f, "value"));
         }}},

        {"softmax", softmax_like(softmax)},
        {"log_softmax", softmax_like(log_softmax)},
        {"cross_entropy", {"softmax", [](const F& f, const Inputs& in) {
             return cross_entropy(in.at("logits"), ints_arg(f, "targets"), int_arg(f, "ignore_index"));
         }}},

        {"dropout", {"normalisation", [](const F& f, const Inputs& in) {
             Rng rng(1);
             return dropout(in.at("a"), float_arg(f, "p"), int_arg(f, "training") != 0, rng);
         }}},
        {"layer_norm", {"normalisation", [](const F&, const Inputs& in) {
             return layer_norm(in.at("a"), optional_input(in, "weight"), optional_input(in, "bias"), 1e-5f);
         }}},

        {"lstm_cell_c", {"fused", [](const F&, const Inputs& in) {
             return lstm_cell(in.at("gates_x"), in.at("gates_h"), in.at("c")).c;
         }}},
        {"lstm_cell_h", {"fused", [](const F&, const Inputs& in) {
             return lstm_cell(in.at("gates_x"), in.at("gates_h"), in.at("c")).h;
         }}},
        {"additive_scores", {"fused", [](const F&, const Inputs& in) {
             return additive_scores(in.at("query"), in.at("keys"), in.at("v"));
         }}},
        {"head_scores", {"fused", [](const F& f, const Inputs& in) {
             return head_scores(in.at("q"), in.at("k"), int_arg(f, "heads"), float_arg(f, "scale"));
         }}},
        {"head_context", {"fused", [](const F&, const Inputs& in) { return head_context(in.at("weights"), in.at("v")); }}},

        {"conv2d", {"images", [](const F& f, const Inputs& in) {
             return conv2d(in.at("input"), in.at("weight"), optional_input(in, "bias"), int_arg(f, "stride"),
                           int_arg(f, "padding"));
         }}},
        {"max_pool2d", {"images", [](const F& f, const Inputs& in) {
             return max_pool2d(in.at("input"), int_arg(f, "kernel_size"), int_arg(f, "stride"));
         }}},
        {"windowed_attention", {"fused", [](const F& f, const Inputs& in) {
             return nn::windowed_attention(in.at("q"), in.at("k"), in.at("v"), int_arg(f, "window"));
         }}},
    };
    return table;
}

const std::string kFixtureDir = std::string(TINYATTN_SOURCE_DIR) + "/tests/reference/fixtures/ops";

// The case files, sorted, as "ops/<case>.txt".
std::vector<std::string> fixture_names() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kFixtureDir))
        if (entry.path().extension() == ".txt") names.push_back("ops/" + entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// "ops/max_dim__d0_k1.txt" -> "max_dim"
std::string op_of(const std::string& name) {
    const std::string stem = name.substr(4, name.size() - 8);
    return stem.substr(0, stem.find("__"));
}

// Runs one case: the op forward, backward with PyTorch's upstream gradient, and compares.
void run_case(const std::string& name) {
    INFO("fixture " << name);
    const fixture::Fixture f = fixture::load(name);
    Inputs in;
    for (const auto& [key, t] : f.tensors)
        if (key.rfind("in_", 0) == 0) in[key.substr(3)] = t.detach().requires_grad_();
    REQUIRE_FALSE(in.empty());
    Tensor out = runners().at(op_of(name)).run(f, in);
    REQUIRE(out.shape() == f["out"].shape());
    fixture::require_close(out, f["out"], "output");
    out.backward(f["grad_out"]);
    for (const auto& [key, t] : in) {
        Tensor grad = t.has_grad() ? t.grad() : zeros(t.shape());  // no gradient reached it: all zero
        fixture::require_close(grad, f["grad_" + key], "gradient of " + key);
    }
}

// The TEST_CASEs below each run one group; every runner's group must be one of these.
const std::set<std::string> kGroups = {"elementwise", "reduce", "matmul", "shape", "indexing", "softmax", "normalisation",
                                       "fused", "images"};

void run_group(const std::string& group) {
    int ran = 0;
    for (const std::string& name : fixture_names()) {
        auto it = runners().find(op_of(name));
        if (it == runners().end() || it->second.group != group) continue;
        run_case(name);
        ++ran;
    }
    REQUIRE(ran > 0);
}

}  // namespace

TEST_CASE("every differentiable op has a PyTorch fixture, and every fixture a runner", "[reference]") {
    std::set<std::string> covered;
    for (const std::string& name : fixture_names()) {
        INFO("fixture " << name << " names op '" << op_of(name) << "', which has no runner");
        REQUIRE(runners().count(op_of(name)) == 1);
        REQUIRE(kGroups.count(runners().at(op_of(name)).group) == 1);
        covered.insert(op_of(name));
    }
    for (const std::string& op : differentiable_ops()) {
        INFO("op '" << op << "' has no fixture in tests/reference/fixtures/ops (add a case to gen_ops.py)");
        REQUIRE(covered.count(op) == 1);
    }
    REQUIRE(runners().size() == differentiable_ops().size());
}

TEST_CASE("PyTorch reference: elementwise ops", "[reference]") { run_group("elementwise"); }
TEST_CASE("PyTorch reference: reductions", "[reference]") { run_group("reduce"); }
TEST_CASE("PyTorch reference: matmul and linear", "[reference]") { run_group("matmul"); }
TEST_CASE("PyTorch reference: shape ops", "[reference]") { run_group("shape"); }
TEST_CASE("PyTorch reference: indexing ops", "[reference]") { run_group("indexing"); }
TEST_CASE("PyTorch reference: softmax, log_softmax, cross_entropy", "[reference]") { run_group("softmax"); }
TEST_CASE("PyTorch reference: dropout (eval, p = 0) and layer_norm", "[reference]") { run_group("normalisation"); }
TEST_CASE("PyTorch reference: fused lstm_cell and additive_scores", "[reference]") { run_group("fused"); }
TEST_CASE("PyTorch reference: conv2d and max_pool2d", "[reference]") { run_group("images"); }

// ---- where tinyattn deliberately differs from PyTorch, and dropout's random mode ---------------

TEST_CASE("softmax of a fully masked row is zeros with zero gradient, not NaN", "[reference][softmax]") {
    // PyTorch returns NaN for a row of all -inf; an attention row with no visible key should
    // instead contribute nothing (and must not poison the whole batch with NaN gradients).
    const float inf = std::numeric_limits<float>::infinity();
    Tensor x = tensor({0.5f, -1.0f, 2.0f, 0.1f, 0.2f, 0.3f}, {2, 3}).requires_grad_();
    Tensor mask = tensor({1, 1, 1, 0, 1, 0}, {2, 3});
    Tensor y = softmax(masked_fill(x, mask, -inf), -1);
    REQUIRE(y.to_vector()[0] == 0.0f);
    REQUIRE(y.to_vector()[1] == 0.0f);
    REQUIRE(y.to_vector()[2] == 0.0f);
    // the other row: softmax over the visible entries 0.1 and 0.3 only
    const float e = std::exp(0.2f);
    REQUIRE(y.at({1, 0}) == Approx(1.0f / (1.0f + e)));
    REQUIRE(y.at({1, 1}) == 0.0f);
    REQUIRE(y.at({1, 2}) == Approx(e / (1.0f + e)));
    y.backward(tensor({1, 2, 3, 4, 5, 6}, {2, 3}));
    for (float g : x.grad().to_vector()) REQUIRE(std::isfinite(g));
    for (int j = 0; j < 3; ++j) REQUIRE(x.grad().at({0, j}) == 0.0f);

    Tensor z = tensor({-inf, -inf}, {2}).requires_grad_();
    Tensor ls = log_softmax(z, 0);
    REQUIRE(ls.to_vector() == std::vector<float>{-inf, -inf});
    ls.backward(ones({2}));
    REQUIRE(z.grad().to_vector() == std::vector<float>{0.0f, 0.0f});
}

TEST_CASE("cross_entropy with every target ignored is 0 with zero gradient (PyTorch gives NaN)", "[reference][loss]") {
    Tensor logits = tensor({0.3f, -0.2f, 1.0f, 0.5f}, {2, 2}).requires_grad_();
    Tensor loss = cross_entropy(logits, {-100, -100});
    REQUIRE(loss.item() == 0.0f);
    loss.backward();
    for (float g : (logits.has_grad() ? logits.grad() : zeros({2, 2})).to_vector()) REQUIRE(g == 0.0f);
}

TEST_CASE("dropout in training zeroes about p of the elements and preserves the mean", "[reference][dropout]") {
    const int n = 200000;
    for (float p : {0.1f, 0.5f, 0.8f}) {
        INFO("p = " << p);
        Rng rng(123);
        Tensor x = ones({n}).requires_grad_();
        Tensor y = dropout(x, p, true, rng);
        int zeroed = 0;
        double total = 0.0;
        for (float v : y.to_vector()) {
            if (v == 0.0f) ++zeroed;
            else REQUIRE(v == Approx(1.0f / (1.0f - p)));  // survivors are scaled by 1/(1-p)
            total += v;
        }
        // binomial standard deviation of the fraction is √(p(1-p)/n) ≤ 0.0012; allow 5 of them
        REQUIRE(std::fabs(double(zeroed) / n - p) < 0.006);
        REQUIRE(std::fabs(total / n - 1.0) < 0.006 / (1.0 - p));  // E[y] = x
        // the gradient uses the same mask and scale: dL/dx = dL/dy · m/(1-p)
        y.backward(ones({n}));
        REQUIRE(x.grad().to_vector() == y.to_vector());
    }
}

TEST_CASE("dropout: the same seed gives the same mask, and eval mode is the identity", "[reference][dropout]") {
    Tensor x = uniform({64}, -1.0f, 1.0f);
    Rng a(9), b(9), c(10);
    REQUIRE(dropout(x, 0.5f, true, a).to_vector() == dropout(x, 0.5f, true, b).to_vector());
    REQUIRE(dropout(x, 0.5f, true, a).to_vector() != dropout(x, 0.5f, true, c).to_vector());
    REQUIRE(dropout(x, 0.5f, false).to_vector() == x.to_vector());
    REQUIRE_THROWS_WITH(dropout(x, 1.0f, true), Catch::Matchers::Contains("dropout: p must be in [0, 1)"));
}
