// test_nn_recurrent.cpp — LSTMCell, LSTM, GRUCell, GRU: finite differences, PyTorch's numbers,
// packed-sequence semantics, parameter names and counts, deep unrolling.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/gradcheck.hpp"
#include "tinyattn/nn/gru.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/ops.hpp"

using namespace tinyattn;

namespace {

// Every tensor flattened and joined: gradcheck wants one output, and every part must count.
Tensor flat_concat(const std::vector<Tensor>& parts) {
    std::vector<Tensor> flat;
    for (const Tensor& p : parts) flat.push_back(reshape(p, {-1}));
    return concat(flat, 0);
}

// The inputs of a gradcheck: the given tensors, then every parameter of the module. The
// parameters are the module's own tensors (same nodes), so when gradcheck nudges one in
// place, the module's forward sees the nudge.
std::vector<Tensor> with_parameters(std::vector<Tensor> inputs, const nn::Module& m) {
    for (const Tensor& p : m.parameters()) inputs.push_back(p);
    return inputs;
}

void require_gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f, const std::vector<Tensor>& inputs) {
    const GradcheckResult r = gradcheck(f, inputs);
    INFO(r.message);
    REQUIRE(r.ok);
}

Tensor random_input(const Shape& shape, Rng& rng) { return uniform(shape, -1.0f, 1.0f, rng).requires_grad_(); }

// Overwrites every parameter of `m` with the fixture's "param.<name>" (PyTorch's names), and
// checks the fixture has no parameter the module lacks.
void load_parameters(nn::Module& m, const fixture::Fixture& fx) {
    size_t in_fixture = 0;
    for (const auto& [name, t] : fx.tensors) in_fixture += name.rfind("param.", 0) == 0;
    REQUIRE(m.named_parameters().size() == in_fixture);
    for (auto& [name, p] : m.named_parameters()) {
        const Tensor& src = fx["param." + name];
        INFO(name);
        REQUIRE(src.shape() == p.shape());
        std::copy(src.data(), src.data() + src.numel(), p.data());
    }
}

// A fixture input as a leaf that requires grad.
Tensor input_from(const fixture::Fixture& fx, const std::string& name) {
    return fx[name].detach().requires_grad_();
}

// L = Σ upstream.<name> ⊙ <name> over the outputs, backward, then compare outputs and
// the gradients of every input and parameter with PyTorch's.
void backward_and_compare(const fixture::Fixture& fx, const std::vector<std::pair<std::string, Tensor>>& outputs,
                          const std::vector<std::pair<std::string, Tensor>>& inputs, const nn::Module& m) {
    Tensor loss = scalar(0.0f);
    for (const auto& [name, out] : outputs) {
        fixture::require_close(out, fx[name], name);
        loss = loss + sum(out * fx["upstream." + name]);
    }
    loss.backward();
    for (const auto& [name, x] : inputs) fixture::require_close(x.grad(), fx["grad." + name], "grad." + name);
    for (const auto& [name, p] : m.named_parameters()) fixture::require_close(p.grad(), fx["grad." + name], "grad." + name);
}

std::vector<int> lengths_from(const fixture::Fixture& fx) {
    std::vector<int> lengths;
    for (float v : fx["lengths"].to_vector()) lengths.push_back(int(v));
    return lengths;
}

}  // namespace

// ---- gradcheck ----------------------------------------------------------------------------

TEST_CASE("LSTMCell gradcheck: input, state and every parameter", "[nn][lstm][gradcheck]") {
    Rng rng(1);
    nn::LSTMCell cell(3, 4, true, rng);
    const Tensor x = random_input({2, 3}, rng), h = random_input({2, 4}, rng), c = random_input({2, 4}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::LSTMState s = cell.forward(in[0], {in[1], in[2]});
        return flat_concat({s.h, s.c});
    }, with_parameters({x, h, c}, cell));
}

TEST_CASE("GRUCell gradcheck: input, state and every parameter", "[nn][gru][gradcheck]") {
    Rng rng(2);
    nn::GRUCell cell(3, 4, true, rng);
    const Tensor x = random_input({2, 3}, rng), h = random_input({2, 4}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) { return cell.forward(in[0], in[1]); },
                      with_parameters({x, h}, cell));
}

TEST_CASE("LSTM gradcheck: 2 layers, bidirectional, padded lengths {3, 1}, initial state", "[nn][lstm][gradcheck]") {
    Rng rng(3);
    nn::LSTM lstm(3, 2, 2, true, false, 0.0f, true, rng);
    const Tensor x = random_input({3, 2, 3}, rng);
    const Tensor h0 = random_input({4, 2, 2}, rng), c0 = random_input({4, 2, 2}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::LSTMOutput y = lstm.forward(in[0], {3, 1}, {in[1], in[2]});
        return flat_concat({y.output, y.final.h, y.final.c});
    }, with_parameters({x, h0, c0}, lstm));
}

TEST_CASE("LSTM gradcheck: batch_first, one layer, no bias, zero initial state", "[nn][lstm][gradcheck]") {
    Rng rng(4);
    nn::LSTM lstm(3, 3, 1, false, true, 0.0f, false, rng);
    const Tensor x = random_input({2, 4, 3}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::LSTMOutput y = lstm.forward(in[0], {2, 4});
        return flat_concat({y.output, y.final.h, y.final.c});
    }, with_parameters({x}, lstm));
}

TEST_CASE("GRU gradcheck: 2 layers, bidirectional, padded lengths {1, 4}, initial state", "[nn][gru][gradcheck]") {
    Rng rng(5);
    nn::GRU gru(3, 3, 2, true, false, 0.0f, true, rng);
    const Tensor x = random_input({4, 2, 3}, rng), h0 = random_input({4, 2, 3}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::GRUOutput y = gru.forward(in[0], {1, 4}, in[1]);
        return flat_concat({y.output, y.final});
    }, with_parameters({x, h0}, gru));
}

// ---- PyTorch fixtures (tests/reference/gen_recurrent.py) -----------------------------------

TEST_CASE("LSTMCell matches torch.nn.LSTMCell: outputs and every gradient", "[nn][lstm][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/lstm_cell.txt");
    nn::LSTMCell cell(5, 4);
    load_parameters(cell, fx);
    const Tensor x = input_from(fx, "x"), h = input_from(fx, "h"), c = input_from(fx, "c");
    const nn::LSTMState s = cell.forward(x, {h, c});
    backward_and_compare(fx, {{"h1", s.h}, {"c1", s.c}}, {{"x", x}, {"h", h}, {"c", c}}, cell);
}

TEST_CASE("GRUCell matches torch.nn.GRUCell: outputs and every gradient", "[nn][gru][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/gru_cell.txt");
    nn::GRUCell cell(5, 4);
    load_parameters(cell, fx);
    const Tensor x = input_from(fx, "x"), h = input_from(fx, "h");
    backward_and_compare(fx, {{"h1", cell.forward(x, h)}}, {{"x", x}, {"h", h}}, cell);
}

TEST_CASE("LSTM matches torch.nn.LSTM over a packed batch (2 layers, bidirectional, h0/c0)", "[nn][lstm][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/lstm.txt");
    nn::LSTM lstm(3, 4, 2, true, false, 0.0f, true);
    load_parameters(lstm, fx);
    const Tensor x = input_from(fx, "x"), h0 = input_from(fx, "h0"), c0 = input_from(fx, "c0");
    const nn::LSTMOutput y = lstm.forward(x, lengths_from(fx), {h0, c0});
    backward_and_compare(fx, {{"output", y.output}, {"h_n", y.final.h}, {"c_n", y.final.c}},
                         {{"x", x}, {"h0", h0}, {"c0", c0}}, lstm);
}

TEST_CASE("GRU matches torch.nn.GRU over a packed batch (2 layers, bidirectional, h0)", "[nn][gru][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/gru.txt");
    nn::GRU gru(3, 4, 2, true, false, 0.0f, true);
    load_parameters(gru, fx);
    const Tensor x = input_from(fx, "x"), h0 = input_from(fx, "h0");
    const nn::GRUOutput y = gru.forward(x, lengths_from(fx), h0);
    backward_and_compare(fx, {{"output", y.output}, {"h_n", y.final}}, {{"x", x}, {"h0", h0}}, gru);
}

TEST_CASE("LSTM and GRU match PyTorch with batch_first=True, bias=False, zero state", "[nn][lstm][gru][pytorch]") {
    SECTION("LSTM") {
        const fixture::Fixture fx = fixture::load("recurrent/lstm_batch_first.txt");
        nn::LSTM lstm(3, 4, 2, false, true);
        load_parameters(lstm, fx);
        const Tensor x = input_from(fx, "x");
        const nn::LSTMOutput y = lstm.forward(x);
        backward_and_compare(fx, {{"output", y.output}, {"h_n", y.final.h}, {"c_n", y.final.c}}, {{"x", x}}, lstm);
    }
    SECTION("GRU") {
        const fixture::Fixture fx = fixture::load("recurrent/gru_batch_first.txt");
        nn::GRU gru(3, 4, 2, false, true);
        load_parameters(gru, fx);
        const Tensor x = input_from(fx, "x");
        const nn::GRUOutput y = gru.forward(x);
        backward_and_compare(fx, {{"output", y.output}, {"h_n", y.final}}, {{"x", x}}, gru);
    }
}

TEST_CASE("parameter counts match PyTorch's (two bias vectors per layer and direction)", "[nn][lstm][gru][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/parameter_counts.txt");
    auto count = [&](const std::string& name) { return size_t(fx[name].item()); };
    CHECK(nn::LSTM(64, 128).parameter_count() == count("LSTM_64_128"));
    CHECK(nn::LSTMCell(192, 128).parameter_count() == count("LSTMCell_192_128"));
    CHECK(nn::LSTM(64, 128, 2, true, false, 0.0f, true).parameter_count() == count("LSTM_64_128_layers2_bidirectional"));
    CHECK(nn::LSTM(64, 128, 1, false).parameter_count() == count("LSTM_64_128_nobias"));
    CHECK(nn::GRU(64, 128).parameter_count() == count("GRU_64_128"));
    CHECK(nn::GRUCell(192, 128).parameter_count() == count("GRUCell_192_128"));
    CHECK(nn::GRU(32, 64, 2, true, false, 0.0f, true).parameter_count() == count("GRU_32_64_layers2_bidirectional"));
}

TEST_CASE("named_parameters of a 2-layer bidirectional LSTM are PyTorch's, in PyTorch's order", "[nn][lstm]") {
    const nn::LSTM lstm(3, 4, 2, true, false, 0.0f, true);
    std::vector<std::string> names;
    for (const auto& [name, p] : lstm.named_parameters()) names.push_back(name);
    const std::vector<std::string> expected = {
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"};
    REQUIRE(names == expected);
    // Layer 1 reads both directions of layer 0: weight_ih_l1 is [4H, 2H].
    REQUIRE(lstm.named_parameters()[8].second.shape() == Shape{16, 8});
}
