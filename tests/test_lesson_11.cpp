// test_lesson_11.cpp — lesson 11_decoding: beam width 1 is greedy, beam search finds outputs at least
// as probable as greedy's, the model it decodes with has learned, and every test sentence's outputs
// are written.
#include <catch2/catch.hpp>

#include <filesystem>

#include "classification_lessons.hpp"
#include "predictions_file.hpp"

namespace fs = std::filesystem;

TEST_CASE("lesson 11_decoding --quick: k=1 == greedy, beam k=5 maximises log P, the model learned", "[lesson]") {
    const classification_lessons::Scratch scratch("lesson11");
    // One thread (the runner's): a quick run is too small to gain from two, and two OpenMP threads
    // on a busy machine wait for each other (13 s with one thread vs ~2 min with two at load ~9).
    const auto run = classification_lessons::run("11_decoding", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("test_sentences") == 200);
    // Width 1 keeps only the best extension at every step: greedy, token for token, same log P.
    CHECK(run.number("k1_greedy_mismatches") == 0);
    CHECK(run.number("beam1_bleu") == run.number("greedy_bleu"));
    // Beam search looks for higher-probability outputs; over 200 sentences its mean log P is higher
    // (with raw scores, alpha = 0, it maximises exactly that; with alpha = 0.6 nearly so).
    CHECK(run.number("beam5_alpha0_mean_log_prob") >= run.number("greedy_mean_log_prob"));
    CHECK(run.number("beam5_mean_log_prob") >= run.number("greedy_mean_log_prob"));
    // An untrained model scores ~0 corpus BLEU.
    CHECK(run.number("greedy_bleu") > 0.2);
    CHECK(run.number("beam5_bleu") > 0.2);
    CHECK(run.output.find("greedy vs beam search on the test split") != std::string::npos);  // the figure's view
    CHECK(fs::exists(scratch.dir / "11_decoding.ckpt"));

    // source, reference and each search's output for every decoded test sentence, listed at the end;
    // the exact matches the lesson reports are the ones these lines give.
    const fs::path file = scratch.plots() / "11_decoding_test_predictions.tsv";
    CHECK_THAT(run.output, Catch::Contains("test predictions (source, reference, one output per search): " + file.string()));
    const predictions_file::Table predictions = predictions_file::read(file);
    CHECK(predictions.header ==
          std::vector<std::string>{"source", "reference", "greedy", "beam1", "beam3", "beam5", "beam5_alpha0"});
    REQUIRE(int(predictions.rows.size()) == int(run.number("test_sentences")));
    for (const char* search : {"greedy", "beam1", "beam3", "beam5", "beam5_alpha0"}) {
        INFO(search);
        CHECK(predictions.agreement("reference", search) == Approx(run.number(std::string(search) + "_exact_match")));
    }
    CHECK(predictions.agreement("greedy", "beam1") == 1.0);
    // The toy corpus's test words are all in the training split: no ⟨unk:word⟩.
    CHECK(run.number("test_sentences_with_unk") == 0);
    CHECK(run.number("greedy_bleu_without_unk") == Approx(run.number("greedy_bleu")));
    CHECK(run.number("beam5_bleu_without_unk") == Approx(run.number("beam5_bleu")));
}
