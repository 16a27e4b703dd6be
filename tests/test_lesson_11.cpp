// test_lesson_11.cpp — lesson 11_decoding: beam width 1 is greedy, beam search finds outputs at least
// as probable as greedy's, and the model it decodes with has learned.
#include <catch2/catch.hpp>

#include <filesystem>

#include "lesson_runner.hpp"

namespace fs = std::filesystem;

TEST_CASE("lesson 11_decoding --quick: k=1 == greedy, beam k=5 maximises log P, the model learned", "[lesson]") {
    const fs::path ckpt = fs::temp_directory_path() / "tinyattn_test_11.ckpt";
    // One thread: a quick run is too small to gain from two, and two OpenMP threads on a busy
    // machine wait for each other (13 s with one thread vs ~2 min with two at load ~9).
    const auto run = lesson_runner::run("11_decoding", "--quick --seed 1 --threads 1 --checkpoint " + ckpt.string());
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
    CHECK(fs::exists(ckpt));
    fs::remove(ckpt);
}
