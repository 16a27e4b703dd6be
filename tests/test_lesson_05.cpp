// test_lesson_05.cpp — the LSTM lesson learns word order (negation, contrast), its gate-by-gate
// walk reproduces nn::LSTM, and --resume continues from a checkpoint.
#include <catch2/catch.hpp>

#include "classification_lessons.hpp"

using namespace classification_lessons;

TEST_CASE("lesson 05: the LSTM classifier learns negation and contrast", "[lesson]") {
    const Scratch scratch("lesson05");
    const auto run = classification_lessons::run("05_lstm", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("test_accuracy") > 0.8);
    CHECK(run.number("test_accuracy_negation") > 0.7);  // a bag of words gets ~0.35 here
    CHECK(run.number("gate_walk_max_difference") < 1e-4);
    require_figure(scratch, "05_per_phenomenon");
    CHECK(fs::exists(scratch.plots() / "05_lstm_results.txt"));
}

TEST_CASE("lesson 05: --resume continues after the saved epoch", "[lesson]") {
    const Scratch scratch("lesson05_resume");
    const auto first = classification_lessons::run("05_lstm", "--quick --epochs 1", scratch);
    REQUIRE(first.exit_code == 0);
    const fs::path saved = scratch.dir / "renamed" / "saved.ckpt";  // a moved, renamed copy loads: one file
    fs::create_directories(saved.parent_path());
    fs::copy_file(scratch.dir / "05_lstm.ckpt", saved);
    const auto resumed = classification_lessons::run("05_lstm", "--quick --epochs 2 --resume " + saved.string(), scratch);
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 0);
    REQUIRE_THAT(resumed.output, Catch::Contains("resumed from") && Catch::Contains("after epoch 1"));
    REQUIRE_THAT(resumed.output, Catch::Contains("epoch 2: train loss"));
    CHECK_THAT(resumed.output, !Catch::Contains("epoch 1: train loss"));
    CHECK(resumed.number("test_accuracy") > 0.8);
}
