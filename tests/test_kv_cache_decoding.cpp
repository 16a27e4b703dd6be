// test_kv_cache_decoding.cpp — lesson 10's decoding with a key/value cache
// (models::TransformerStepDecoder) gives what the plain reference gives
// (models::UncachedTransformerStepDecoder, the whole prefix re-run every step): the same
// log-probabilities at every step, and token for token the same greedy and beam outputs, on a
// Transformer first trained to translate a few toy sentences (so its outputs are not noise).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "tinyattn/autograd.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/models/transformer_seq2seq.hpp"
#include "tinyattn/optim/adam.hpp"

using namespace tinyattn;

namespace {

// Source/target ids >= 3 (not <pad>, <bos>, <eos>); sources end with <eos> = 2, as the lessons encode them.
const std::vector<std::vector<int>> kSrc{{5, 6, 7, 8, 9, 2}, {10, 11, 2}, {12, 13, 14, 2}, {9, 8, 7, 6, 5, 4, 3, 2}};
const std::vector<std::vector<int>> kTgt{{4, 5, 6, 7}, {8, 9}, {10, 11, 12, 13, 14, 15}, {16, 17, 18, 19, 20, 21, 22}};

models::TransformerConfig config(int vocab, int d_model, int nhead, int dim_feedforward, float dropout) {
    models::TransformerConfig c;
    c.src_vocab = c.tgt_vocab = vocab;
    c.d_model = d_model;
    c.nhead = nhead;
    c.dim_feedforward = dim_feedforward;
    c.dropout = dropout;
    return c;
}

// A small lesson-10 Transformer, trained until it has (mostly) memorised kSrc -> kTgt.
models::TransformerSeq2Seq& trained_model() {
    static models::TransformerSeq2Seq model = [] {
        Rng rng(5);
        return models::TransformerSeq2Seq(config(24, 32, 4, 64, 0.0f), rng);
    }();
    static bool trained = false;
    if (!trained) {
        optim::Adam adam(model.parameters(), 3e-3);
        const data::Batch batch = data::collate_pairs(kSrc, kTgt, {0, 1, 2, 3});
        for (int step = 0; step < 150; ++step) {
            adam.zero_grad();
            model.loss(batch).backward();
            adam.step();
        }
        model.eval();
        trained = true;
    }
    return model;
}

// Every source the checks decode: the training sentences, and some the model never saw.
std::vector<std::vector<int>> sources() {
    std::vector<std::vector<int>> all = kSrc;
    Rng rng(9);
    for (int i = 0; i < 12; ++i) {
        std::vector<int> s(size_t(2 + i % 7));
        for (int& id : s) id = rng.randint(3, 20);
        s.push_back(2);
        all.push_back(s);
    }
    return all;
}

}  // namespace

TEST_CASE("KV-cached decoding: every step's log-probs and attention equal the uncached reference", "[kv_cache][transformer]") {
    const models::TransformerSeq2Seq& model = trained_model();
    models::TransformerStepDecoder cached(model);
    models::UncachedTransformerStepDecoder plain(model);
    for (const std::vector<int>& src : sources()) {
        auto a = cached.start(src);
        auto b = plain.start(src);
        int token = 1;  // <bos>, then the reference's own greedy choice
        for (int t = 0; t < 12; ++t) {
            INFO("step " << t);
            const StepResult ra = cached.step(*a, token), rb = plain.step(*b, token);
            REQUIRE(ra.log_probs.size() == rb.log_probs.size());
            for (size_t v = 0; v < ra.log_probs.size(); ++v) CHECK(ra.log_probs[v] == Approx(rb.log_probs[v]).margin(1e-5));
            REQUIRE(ra.attention.size() == src.size());
            for (size_t j = 0; j < src.size(); ++j) CHECK(ra.attention[j] == Approx(rb.attention[j]).margin(1e-5));
            token = int(std::max_element(rb.log_probs.begin(), rb.log_probs.end()) - rb.log_probs.begin());
            a = ra.state;
            b = rb.state;
        }
    }
}

TEST_CASE("KV-cached decoding: lesson 10's greedy and beam outputs are identical with and without the cache",
          "[kv_cache][transformer]") {
    const models::TransformerSeq2Seq& model = trained_model();
    models::TransformerStepDecoder cached(model);
    models::UncachedTransformerStepDecoder plain(model);
    DecodeOptions options;
    options.max_length = 20;
    options.beam_width = 3;
    int learned = 0;
    const std::vector<std::vector<int>> all = sources();
    for (size_t i = 0; i < all.size(); ++i) {
        const Hypothesis g1 = greedy_decode(cached, all[i], options), g0 = greedy_decode(plain, all[i], options);
        CHECK(g1.tokens == g0.tokens);
        CHECK(g1.log_prob == Approx(g0.log_prob).margin(1e-4));
        const Hypothesis b1 = beam_search(cached, all[i], options), b0 = beam_search(plain, all[i], options);
        CHECK(b1.tokens == b0.tokens);
        if (i < kTgt.size() && g1.tokens == kTgt[i]) ++learned;
    }
    // The model did learn its sentences: the comparison is between real translations, not noise.
    CHECK(learned >= 3);
}

TEST_CASE("KV-cached decoding: a model in training mode is refused", "[kv_cache][transformer]") {
    Rng rng(1);
    models::TransformerSeq2Seq model(config(10, 8, 2, 16, 0.1f), rng);  // dropout on, training mode
    models::TransformerStepDecoder cached(model);
    REQUIRE_THROWS_WITH(cached.start({3, 4, 2}), Catch::Contains("model.eval()"));
}
