// test_lesson_10.cpp — the translation Transformer (models/transformer_seq2seq) masks what it
// must, decodes step by step exactly as it trains, and lesson 10_transformer learns toy en-fr.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "classification_lessons.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/models/transformer_seq2seq.hpp"
#include "tinyattn/ops.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

models::TransformerConfig small_config() {
    models::TransformerConfig c;
    c.src_vocab = 20;
    c.tgt_vocab = 24;
    c.d_model = 16;
    c.nhead = 2;
    c.dim_feedforward = 32;
    c.dropout = 0.1f;
    return c;
}

// Three sentence pairs of different lengths (ids >= 3: not <pad>, <bos>, <eos>), so a batch pads.
const std::vector<std::vector<int>> kSrc{{5, 6, 7, 8, 9, 2}, {10, 11, 2}, {12, 13, 14, 2}};
const std::vector<std::vector<int>> kTgt{{4, 5, 6, 7}, {8, 9}, {10, 11, 12, 13, 14, 15}};

// The weight at [b, h, r, c] of a [B, H, R, C] tensor.
float at(const Tensor& w, int b, int h, int r, int c) {
    return w.data()[((size_t(b) * size_t(w.size(1)) + size_t(h)) * size_t(w.size(2)) + size_t(r)) * size_t(w.size(3)) +
                    size_t(c)];
}

}  // namespace

TEST_CASE("TransformerSeq2Seq: future target positions and padded keys get exactly zero weight", "[transformer]") {
    Rng rng(7);
    models::TransformerSeq2Seq model(small_config(), rng);
    model.eval();
    NoGrad no_grad;
    const data::Batch batch = data::collate_pairs(kSrc, kTgt, {0, 1, 2});
    const auto out = model.forward(batch);
    REQUIRE(out.decoder_self_weights.size() == 2);
    REQUIRE(out.decoder_cross_weights.size() == 2);
    REQUIRE(out.encoder_self_weights.size() == 2);
    int above = 0, padded_keys = 0;
    for (const Tensor& w : out.decoder_self_weights)
        for (int b = 0; b < batch.B; ++b)
            for (int h = 0; h < 2; ++h)
                for (int i = 0; i < batch.T; ++i) {
                    float row = 0.0f;
                    for (int j = 0; j < batch.T; ++j) {
                        row += at(w, b, h, i, j);
                        if (j > i) {  // a future position: the causal mask
                            CHECK(at(w, b, h, i, j) == 0.0f);
                            ++above;
                        } else if (j >= batch.tgt_lengths[size_t(b)]) {  // a padded target input
                            CHECK(at(w, b, h, i, j) == 0.0f);
                        } else {
                            CHECK(at(w, b, h, i, j) > 0.0f);
                        }
                    }
                    CHECK(row == Approx(1.0f).margin(1e-5));
                }
    std::vector<Tensor> reads_source = out.encoder_self_weights;
    reads_source.insert(reads_source.end(), out.decoder_cross_weights.begin(), out.decoder_cross_weights.end());
    for (const Tensor& w : reads_source)
        for (int b = 0; b < batch.B; ++b)
            for (int j = batch.src_lengths[size_t(b)]; j < batch.S; ++j)
                for (int h = 0; h < 2; ++h)
                    for (int r = 0; r < w.size(2); ++r) {
                        CHECK(at(w, b, h, r, j) == 0.0f);
                        ++padded_keys;
                    }
    CHECK(above > 0);
    CHECK(padded_keys > 0);  // the batch really was padded
}

TEST_CASE("TransformerSeq2Seq: a sentence's logits do not depend on the padding around it", "[transformer]") {
    Rng rng(3);
    models::TransformerSeq2Seq model(small_config(), rng);
    model.eval();
    NoGrad no_grad;
    const data::Batch both = data::collate_pairs(kSrc, kTgt, {1, 2});  // sentence 1 is padded in src and tgt
    const data::Batch alone = data::collate_pairs(kSrc, kTgt, {1});
    REQUIRE(both.S > alone.S);
    REQUIRE(both.T > alone.T);
    const Tensor a = model.forward(both).logits, b = model.forward(alone).logits;
    const int V = a.size(2);
    for (int t = 0; t < alone.T; ++t)
        for (int v = 0; v < V; ++v) CHECK(a.data()[size_t(t * V + v)] == Approx(b.data()[size_t(t * V + v)]).margin(1e-5));
}

TEST_CASE("TransformerStepDecoder: step-by-step log-probs equal the teacher-forced forward", "[transformer]") {
    Rng rng(11);
    models::TransformerSeq2Seq model(small_config(), rng);
    models::TransformerStepDecoder decoder(model);
    REQUIRE_THROWS_WITH(decoder.start(kSrc[0]), Catch::Contains("model.eval()"));  // dropout on: refuse
    model.eval();
    NoGrad no_grad;
    const data::Batch batch = data::collate_pairs(kSrc, kTgt, {0});
    const Tensor log_probs = log_softmax(model.forward(batch).logits, 2);  // [1, T, V]
    const int V = log_probs.size(2);
    auto state = decoder.start(kSrc[0]);
    for (int t = 0; t < batch.T; ++t) {
        const StepResult r = decoder.step(*state, batch.tgt_in[size_t(t)]);
        REQUIRE(int(r.log_probs.size()) == V);
        for (int v = 0; v < V; ++v) CHECK(r.log_probs[size_t(v)] == Approx(log_probs.data()[size_t(t * V + v)]).margin(1e-5));
        REQUIRE(r.attention.size() == kSrc[0].size());
        float sum = 0.0f;
        for (float a : r.attention) sum += a;
        CHECK(sum == Approx(1.0f).margin(1e-5));
        state = r.state;
    }
}

TEST_CASE("lesson 10_transformer --quick learns toy en-fr, masks hold, writes its figures and JSON", "[lesson]") {
    // classification_lessons::run is the generic "run a lesson into a scratch dir that outlives the run".
    const classification_lessons::Scratch scratch("test_10_quick");
    const auto run = classification_lessons::run("10_transformer", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("test_sentences") == 200);
    // An untrained Transformer scores ~0 BLEU on these 200 held-out sentences.
    CHECK(run.number("test_bleu") > 0.6);
    CHECK(run.number("final_train_loss") < 1.5);
    CHECK(run.number("decoder_self_attention_future_max") == 0.0);
    CHECK(run.number("padded_source_attention_max") == 0.0);
    for (const char* f : {"encoder_self", "decoder_self", "cross", "loss"})
        classification_lessons::require_figure(scratch, std::string("10_transformer_") + f);
    const fs::path json = scratch.plots() / "10_transformer_attention.json";
    REQUIRE(fs::exists(json));
    std::ifstream in(json);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("\"tokens_src\"") != std::string::npos);
    CHECK(text.find("\"layers\"") != std::string::npos);
    // All three kinds in bertviz's shape, and the page beside the figures (test_attention_page opens one in a browser).
    std::ifstream bv(scratch.plots() / "10_transformer_bertviz.json");
    const std::string bertviz((std::istreambuf_iterator<char>(bv)), std::istreambuf_iterator<char>());
    for (const char* key : {"\"encoder_attention\"", "\"decoder_attention\"", "\"cross_attention\""})
        CHECK(bertviz.find(key) != std::string::npos);
    CHECK(fs::exists(scratch.plots() / "10_transformer_attention.html"));
    CHECK(fs::exists(scratch.dir / "10_transformer.ckpt"));
    CHECK_FALSE(fs::exists(scratch.dir / "10_transformer.ckpt.tgt.vocab"));  // inside the one file
}
