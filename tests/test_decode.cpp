// Tests for greedy decoding and beam search (tinyattn/eval/decode.hpp) on hand-written models.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "tinyattn/eval/decode.hpp"
#include "tinyattn/rng.hpp"

using namespace tinyattn;
using Ids = std::vector<int>;

namespace {

constexpr int BOS = 1, EOS = 2, A = 3, B = 4, V = 5;  // a 5-token vocabulary, 0 = pad

// The state of the toy models: the tokens read so far (after <bos>).
struct PrefixState : DecoderState {
    Ids prefix;
    int src_length = 0;
};

// The toy models share start() and step(): the state is the prefix read so far, and a
// subclass gives the next-token distribution and attention for a prefix.
struct PrefixModel : StepDecoder {
    virtual StepResult next_for(const PrefixState& state) = 0;  // fills log_probs and attention

    std::shared_ptr<const DecoderState> start(const Ids& src) override {
        auto s = std::make_shared<PrefixState>();
        s->src_length = int(src.size());
        return s;
    }
    StepResult step(const DecoderState& state, int prev) override {
        auto out = std::make_shared<PrefixState>(static_cast<const PrefixState&>(state));
        if (prev != BOS) out->prefix.push_back(prev);
        StepResult r = next_for(*out);
        r.state = out;
        return r;
    }
};

// A model given by a table: prefix -> probabilities of the next token. Prefixes missing from
// the table end the sentence with probability 1. Attention is one-hot on source position
// (step mod source length), so its rows can be checked.
struct TableModel : PrefixModel {
    std::map<Ids, std::vector<double>> next;  // prefix -> probabilities over V tokens

    StepResult next_for(const PrefixState& s) override {
        StepResult r;
        auto found = next.find(s.prefix);
        for (int v = 0; v < V; ++v) {
            const double p = found != next.end() ? found->second[size_t(v)] : (v == EOS ? 1.0 : 0.0);
            r.log_probs.push_back(p > 0 ? float(std::log(p)) : -1e30f);
        }
        r.attention.assign(size_t(s.src_length), 0.0f);
        r.attention[s.prefix.size() % size_t(s.src_length)] = 1.0f;
        return r;
    }
};

// Greedy is short-sighted here: A looks best at step 1 (0.6 vs 0.4), but after A every
// continuation is poor, while B is almost surely followed by <eos>.
//   greedy: A <eos>  p = 0.6 * 0.35 = 0.21      best:  B <eos>  p = 0.4 * 0.9 = 0.36
TableModel garden_path_model() {
    TableModel m;
    m.next[{}] = {0, 0, 0.0, 0.6, 0.4};
    m.next[{A}] = {0, 0, 0.35, 0.33, 0.32};
    m.next[{B}] = {0, 0, 0.9, 0.05, 0.05};
    return m;
}

// A pseudo-random model: the next-token distribution is a softmax of Rng normals seeded by
// the prefix, so it is fixed for a prefix but differs between prefixes.
struct RandomModel : PrefixModel {
    int vocab = 12;
    uint64_t seed = 7;
    StepResult next_for(const PrefixState& s) override {
        uint64_t key = seed;
        for (int t : s.prefix) key = key * 1000003u + uint64_t(t);
        Rng rng(key);
        std::vector<double> logits(static_cast<size_t>(vocab));
        double norm = 0;
        for (int v = 0; v < vocab; ++v) {
            logits[size_t(v)] = v == 0 || v == BOS ? -1e9 : 2.0 * rng.normal();
            norm += std::exp(logits[size_t(v)]);
        }
        StepResult r;
        for (int v = 0; v < vocab; ++v) r.log_probs.push_back(float(logits[size_t(v)] - std::log(norm)));
        for (int i = 0; i < s.src_length; ++i) r.attention.push_back(rng.uniform());
        return r;
    }
};

}  // namespace

TEST_CASE("greedy_decode: follows the argmax and stops at eos", "[decode]") {
    TableModel m = garden_path_model();
    const Hypothesis h = greedy_decode(m, {7, 8, 9});
    CHECK(h.tokens == Ids{A});
    CHECK(h.finished);
    CHECK(h.log_prob == Approx(std::log(0.6 * 0.35)).epsilon(1e-6));
    REQUIRE(h.attention.size() == 2);  // the A step and the <eos> step
    CHECK(h.attention[0] == std::vector<float>{1, 0, 0});
    CHECK(h.attention[1] == std::vector<float>{0, 1, 0});
}

TEST_CASE("beam search finds a higher log-probability than greedy", "[decode]") {
    TableModel m = garden_path_model();
    DecodeOptions opt;
    opt.beam_width = 2;
    const Hypothesis greedy = greedy_decode(m, {7, 8, 9}, opt);
    const Hypothesis beam = beam_search(m, {7, 8, 9}, opt);
    CHECK(beam.tokens == Ids{B});
    CHECK(beam.finished);
    CHECK(beam.log_prob == Approx(std::log(0.4 * 0.9)).epsilon(1e-6));
    CHECK(beam.log_prob > greedy.log_prob);
    const auto nbest = beam_search_nbest(m, {7, 8, 9}, opt);
    REQUIRE(nbest.size() == 2);
    CHECK(nbest[1].tokens == Ids{A});
    CHECK(nbest[0].score >= nbest[1].score);
}

TEST_CASE("beam width 1 gives exactly the greedy result", "[decode]") {
    RandomModel m;
    DecodeOptions opt;
    opt.beam_width = 1;
    opt.max_length = 8;
    int finished = 0, cut = 0;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        m.seed = seed;
        for (float alpha : {0.0f, 0.7f}) {
            opt.alpha = alpha;
            const Ids src = {5, 6, 7, int(seed % 5) + 3};
            const Hypothesis g = greedy_decode(m, src, opt);
            const Hypothesis b = beam_search(m, src, opt);
            CHECK(b.tokens == g.tokens);
            CHECK(b.log_prob == g.log_prob);  // exactly: same sums in the same order
            CHECK(b.score == g.score);
            CHECK(b.finished == g.finished);
            CHECK(b.attention == g.attention);
            (g.finished ? finished : cut) += 1;
        }
    }
    // the random models exercise both endings: <eos> and the max_length cut-off
    CHECK(finished > 0);
    CHECK(cut > 0);
}

TEST_CASE("beam search: length normalisation alpha changes the winner", "[decode]") {
    // <eos> at once: p = 0.55 (1 step).   A A <eos>: p = 0.45 * 0.95 * 0.95 = 0.406 (3 steps).
    TableModel m;
    m.next[{}] = {0, 0, 0.55, 0.45, 0.0};
    m.next[{A}] = {0, 0, 0.05, 0.95, 0.0};
    m.next[{A, A}] = {0, 0, 0.95, 0.05, 0.0};
    DecodeOptions opt;
    opt.beam_width = 2;
    opt.alpha = 0.0f;  // raw log-probability prefers the empty output
    CHECK(beam_search(m, {1, 2, 3}, opt).tokens.empty());
    opt.alpha = 1.0f;  // per-step average prefers the longer one
    const Hypothesis h = beam_search(m, {1, 2, 3}, opt);
    CHECK(h.tokens == Ids{A, A});
    CHECK(h.score == Approx(std::log(0.45 * 0.95 * 0.95) / 3).epsilon(1e-6));
    CHECK(length_normalised(-6.0, 3, 1.0f) == Approx(-2.0));
    CHECK(length_normalised(-6.0, 4, 0.5f) == Approx(-3.0));
}

TEST_CASE("decoding stops at max_length without eos", "[decode]") {
    TableModel m;  // always continues with A
    m.next[{}] = {0, 0, 0.1, 0.9, 0};
    for (Ids p; p.size() < 10; p.push_back(A)) m.next[p] = {0, 0, 0.1, 0.9, 0};
    DecodeOptions opt;
    opt.max_length = 4;
    const Hypothesis g = greedy_decode(m, {1, 2}, opt);
    CHECK(g.tokens == Ids{A, A, A, A});
    CHECK_FALSE(g.finished);
    CHECK(g.attention.size() == 4);
    opt.beam_width = 3;
    const auto nbest = beam_search_nbest(m, {1, 2}, opt);
    for (const Hypothesis& h : nbest) CHECK(h.tokens.size() <= 4);
    opt.max_length = 0;
    CHECK_THROWS_AS(greedy_decode(m, {1}, opt), std::invalid_argument);
}
