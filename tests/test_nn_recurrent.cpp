// test_nn_recurrent.cpp — LSTMCell, LSTM, GRUCell, GRU: finite differences, PyTorch's numbers,
// packed-sequence semantics, parameter names and counts, deep unrolling.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "nn_checks.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/nn/gru.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/ops.hpp"

using namespace tinyattn;
using nn_checks::flat;
using nn_checks::input;
using nn_checks::load_parameters;
using nn_checks::random_input;
using nn_checks::require_gradcheck;
using nn_checks::require_matches_fixture;

namespace {

std::vector<int> lengths_from(const fixture::Fixture& fx) {
    std::vector<int> lengths;
    for (float v : fx["in.lengths"].to_vector()) lengths.push_back(int(v));
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
        return flat({s.h, s.c});
    }, {x, h, c}, cell);
}

TEST_CASE("GRUCell gradcheck: input, state and every parameter", "[nn][gru][gradcheck]") {
    Rng rng(2);
    nn::GRUCell cell(3, 4, true, rng);
    const Tensor x = random_input({2, 3}, rng), h = random_input({2, 4}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) { return cell.forward(in[0], in[1]); },
                      {x, h}, cell);
}

TEST_CASE("LSTM gradcheck: 2 layers, bidirectional, padded lengths {3, 1}, initial state", "[nn][lstm][gradcheck]") {
    Rng rng(3);
    nn::LSTM lstm(3, 2, 2, true, false, 0.0f, true, rng);
    const Tensor x = random_input({3, 2, 3}, rng);
    const Tensor h0 = random_input({4, 2, 2}, rng), c0 = random_input({4, 2, 2}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::LSTMOutput y = lstm.forward(in[0], {3, 1}, {in[1], in[2]});
        return flat({y.output, y.final.h, y.final.c});
    }, {x, h0, c0}, lstm);
}

TEST_CASE("LSTM gradcheck: batch_first, one layer, no bias, zero initial state", "[nn][lstm][gradcheck]") {
    Rng rng(4);
    nn::LSTM lstm(3, 3, 1, false, true, 0.0f, false, rng);
    const Tensor x = random_input({2, 4, 3}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::LSTMOutput y = lstm.forward(in[0], {2, 4});
        return flat({y.output, y.final.h, y.final.c});
    }, {x}, lstm);
}

TEST_CASE("GRU gradcheck: 2 layers, bidirectional, padded lengths {1, 4}, initial state", "[nn][gru][gradcheck]") {
    Rng rng(5);
    nn::GRU gru(3, 3, 2, true, false, 0.0f, true, rng);
    const Tensor x = random_input({4, 2, 3}, rng), h0 = random_input({4, 2, 3}, rng);
    require_gradcheck([&](const std::vector<Tensor>& in) {
        const nn::GRUOutput y = gru.forward(in[0], {1, 4}, in[1]);
        return flat({y.output, y.final});
    }, {x, h0}, gru);
}

// ---- PyTorch fixtures (tests/reference/gen_recurrent.py) -----------------------------------

TEST_CASE("LSTMCell matches torch.nn.LSTMCell: outputs and every gradient", "[nn][lstm][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/lstm_cell.txt");
    nn::LSTMCell cell(5, 4);
    load_parameters(cell, fx);
    const Tensor x = input(fx, "x"), h = input(fx, "h"), c = input(fx, "c");
    const nn::LSTMState s = cell.forward(x, {h, c});
    require_matches_fixture(fx, &cell, {{"x", x}, {"h", h}, {"c", c}}, {{"h1", s.h}, {"c1", s.c}});
}

TEST_CASE("GRUCell matches torch.nn.GRUCell: outputs and every gradient", "[nn][gru][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/gru_cell.txt");
    nn::GRUCell cell(5, 4);
    load_parameters(cell, fx);
    const Tensor x = input(fx, "x"), h = input(fx, "h");
    require_matches_fixture(fx, &cell, {{"x", x}, {"h", h}}, {{"h1", cell.forward(x, h)}});
}

TEST_CASE("LSTM matches torch.nn.LSTM over a packed batch (2 layers, bidirectional, h0/c0)", "[nn][lstm][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/lstm.txt");
    nn::LSTM lstm(3, 4, 2, true, false, 0.0f, true);
    load_parameters(lstm, fx);
    const Tensor x = input(fx, "x"), h0 = input(fx, "h0"), c0 = input(fx, "c0");
    const nn::LSTMOutput y = lstm.forward(x, lengths_from(fx), {h0, c0});
    require_matches_fixture(fx, &lstm, {{"x", x}, {"h0", h0}, {"c0", c0}},
                            {{"output", y.output}, {"h_n", y.final.h}, {"c_n", y.final.c}});
}

TEST_CASE("GRU matches torch.nn.GRU over a packed batch (2 layers, bidirectional, h0)", "[nn][gru][pytorch]") {
    const fixture::Fixture fx = fixture::load("recurrent/gru.txt");
    nn::GRU gru(3, 4, 2, true, false, 0.0f, true);
    load_parameters(gru, fx);
    const Tensor x = input(fx, "x"), h0 = input(fx, "h0");
    const nn::GRUOutput y = gru.forward(x, lengths_from(fx), h0);
    require_matches_fixture(fx, &gru, {{"x", x}, {"h0", h0}}, {{"output", y.output}, {"h_n", y.final}});
}

TEST_CASE("LSTM and GRU match PyTorch with batch_first=True, bias=False, zero state", "[nn][lstm][gru][pytorch]") {
    SECTION("LSTM") {
        const fixture::Fixture fx = fixture::load("recurrent/lstm_batch_first.txt");
        nn::LSTM lstm(3, 4, 2, false, true);
        load_parameters(lstm, fx);
        const Tensor x = input(fx, "x");
        const nn::LSTMOutput y = lstm.forward(x);
        require_matches_fixture(fx, &lstm, {{"x", x}}, {{"output", y.output}, {"h_n", y.final.h}, {"c_n", y.final.c}});
    }
    SECTION("GRU") {
        const fixture::Fixture fx = fixture::load("recurrent/gru_batch_first.txt");
        nn::GRU gru(3, 4, 2, false, true);
        load_parameters(gru, fx);
        const Tensor x = input(fx, "x");
        const nn::GRUOutput y = gru.forward(x);
        require_matches_fixture(fx, &gru, {{"x", x}}, {{"output", y.output}, {"h_n", y.final}});
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

// ---- behaviour ----------------------------------------------------------------------------

TEST_CASE("a padded batch gives each sequence exactly what it gets alone (LSTM and GRU, 2 layers, bidirectional)",
          "[nn][lstm][gru]") {
    Rng rng(6);
    const int T = 5, B = 3, I = 3, H = 4;
    const std::vector<int> lengths = {2, 5, 3};
    nn::LSTM lstm(I, H, 2, true, false, 0.0f, true, rng);
    nn::GRU gru(I, H, 2, true, false, 0.0f, true, rng);
    const Tensor x = uniform({T, B, I}, -1.0f, 1.0f, rng);  // the padded steps are not zero
    const nn::LSTMOutput ly = lstm.forward(x, lengths);
    const nn::GRUOutput gy = gru.forward(x, lengths);
    for (int b = 0; b < B; ++b) {
        INFO("sequence " << b << " of length " << lengths[size_t(b)]);
        const int len = lengths[size_t(b)];
        const Tensor alone = narrow(narrow(x, 1, b, 1), 0, 0, len);  // [len, 1, I], no padding
        const nn::LSTMOutput l1 = lstm.forward(alone);
        const nn::GRUOutput g1 = gru.forward(alone);
        fixture::require_close(narrow(narrow(ly.output, 1, b, 1), 0, 0, len), l1.output, "LSTM output");
        fixture::require_close(narrow(ly.final.h, 1, b, 1), l1.final.h, "LSTM h_n");
        fixture::require_close(narrow(ly.final.c, 1, b, 1), l1.final.c, "LSTM c_n");
        fixture::require_close(narrow(narrow(gy.output, 1, b, 1), 0, 0, len), g1.output, "GRU output");
        fixture::require_close(narrow(gy.final, 1, b, 1), g1.final, "GRU h_n");
        // Past the end: exactly zero, in both directions' halves.
        for (const Tensor& out : {ly.output, gy.output})
            for (int t = len; t < T; ++t)
                for (float v : select(select(out, 0, t), 0, b).to_vector()) REQUIRE(v == 0.0f);
    }
}

TEST_CASE("batch_first=true is the time-major LSTM with input and output transposed", "[nn][lstm]") {
    Rng a(7), b(7), data(8);
    nn::LSTM time_major(3, 4, 2, true, false, 0.0f, true, a);
    nn::LSTM batch_major(3, 4, 2, true, true, 0.0f, true, b);  // same seed: same weights
    const Tensor x = uniform({4, 2, 3}, -1.0f, 1.0f, data);
    const nn::LSTMOutput y = time_major.forward(x, {4, 2});
    const nn::LSTMOutput yb = batch_major.forward(transpose(x, 0, 1), {4, 2});
    REQUIRE(yb.output.shape() == Shape{2, 4, 8});
    fixture::require_close(yb.output, transpose(y.output, 0, 1), "output");
    fixture::require_close(yb.final.h, y.final.h, "h_n (never batch-first, as in PyTorch)");
    fixture::require_close(yb.final.c, y.final.c, "c_n");
}

TEST_CASE("LSTMCell / GRUCell stepped by hand reproduce a one-layer LSTM / GRU", "[nn][lstm][gru]") {
    // What a decoder does: feed the cell one step at a time and carry the state.
    Rng rng(9);
    nn::LSTM lstm(3, 4, 1, true, false, 0.0f, false, rng);
    nn::GRU gru(3, 4, 1, true, false, 0.0f, false, rng);
    nn::LSTMCell lcell(3, 4, true, rng);
    nn::GRUCell gcell(3, 4, true, rng);
    for (auto [cell, seq] : {std::pair<nn::Module*, nn::Module*>{&lcell, &lstm}, {&gcell, &gru}}) {
        auto src = seq->parameters(), dst = cell->parameters();
        REQUIRE(src.size() == dst.size());
        for (size_t k = 0; k < src.size(); ++k) std::copy(src[k].data(), src[k].data() + src[k].numel(), dst[k].data());
    }
    const Tensor x = uniform({5, 2, 3}, -1.0f, 1.0f, rng);
    const nn::LSTMOutput ly = lstm.forward(x);
    const nn::GRUOutput gy = gru.forward(x);
    nn::LSTMState s;  // undefined = zeros, as in the LSTM
    Tensor h;
    for (int t = 0; t < 5; ++t) {
        s = lcell.forward(select(x, 0, t), s);
        h = gcell.forward(select(x, 0, t), h);
        fixture::require_close(s.h, select(ly.output, 0, t), "LSTMCell h at step " + std::to_string(t));
        fixture::require_close(h, select(gy.output, 0, t), "GRUCell h at step " + std::to_string(t));
    }
    fixture::require_close(s.c, select(ly.final.c, 0, 0), "LSTMCell final c");
}

TEST_CASE("dropout acts between layers in training only, never after the last layer", "[nn][lstm]") {
    Rng rng(10);
    const Tensor x = uniform({4, 2, 3}, -1.0f, 1.0f, rng);
    nn::LSTM one_layer(3, 4, 1, true, false, 0.5f, false, rng);
    const std::vector<float> one_trained = one_layer.forward(x).output.to_vector();
    one_layer.eval();
    REQUIRE(one_layer.forward(x).output.to_vector() == one_trained);
    nn::LSTM two_layers(3, 4, 2, true, false, 0.5f, false, rng);
    two_layers.train();
    const std::vector<float> trained = two_layers.forward(x).output.to_vector();
    two_layers.eval();
    const std::vector<float> evaluated = two_layers.forward(x).output.to_vector();
    REQUIRE(trained != evaluated);
    REQUIRE(two_layers.forward(x).output.to_vector() == evaluated);  // eval is deterministic
}

TEST_CASE("an LSTM unrolled over 1,000 steps runs backward without stack overflow and frees its graph",
          "[nn][lstm][memory]") {
    Rng rng(11);
    nn::LSTM lstm(4, 8, 1, true, false, 0.0f, false, rng);
    const long baseline = live_node_count();
    {
        const Tensor x = uniform({1000, 2, 4}, -1.0f, 1.0f, rng).requires_grad_();
        const nn::LSTMOutput y = lstm.forward(x, {1000, 700});
        REQUIRE_NOTHROW(sum(y.final.h).backward());
        REQUIRE(lstm.weights[0].weight_hh.has_grad());
        const Tensor g = x.grad();
        // Sequence 1 ends at step 700: its last real step gets gradient, its padding none.
        float last_real = 0.0f, padding = 0.0f;
        for (int i = 0; i < 4; ++i) {
            last_real += std::fabs(g.at({699, 1, i}));
            padding += std::fabs(g.at({700, 1, i})) + std::fabs(g.at({999, 1, i}));
        }
        REQUIRE(last_real > 0.0f);
        REQUIRE(padding == 0.0f);
    }
    REQUIRE(live_node_count() == baseline);  // the 1,000-step graph died with its last tensor
}

TEST_CASE("bad shapes and lengths give errors naming the layer and the shapes", "[nn][lstm][gru]") {
    nn::LSTM lstm(3, 4, 2);
    nn::GRUCell cell(3, 4);
    const Tensor x = zeros({5, 2, 3});
    REQUIRE_THROWS_WITH(lstm.forward(zeros({5, 2, 7})), Catch::Contains("LSTM") && Catch::Contains("[5, 2, 7]"));
    REQUIRE_THROWS_WITH(lstm.forward(x, {5}), Catch::Contains("1 lengths for a batch of 2"));
    REQUIRE_THROWS_WITH(lstm.forward(x, {5, 0}), Catch::Contains("length 0 outside [1, 5]"));
    REQUIRE_THROWS_WITH(lstm.forward(x, {6, 1}), Catch::Contains("length 6"));
    REQUIRE_THROWS_WITH(lstm.forward(x, {}, {{}, zeros({2, 3, 4})}),
                        Catch::Contains("[2, 3, 4]") && Catch::Contains("should be [2, 2, 4]"));
    REQUIRE_THROWS_WITH(cell.forward(zeros({2, 3}), zeros({3, 4})), Catch::Contains("GRUCell") && Catch::Contains("[3, 4]"));
    REQUIRE_THROWS_AS(nn::GRU(3, 4, 0), std::invalid_argument);
}
