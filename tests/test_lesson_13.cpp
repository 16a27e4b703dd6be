// test_lesson_13.cpp — lesson 13_show_attend_tell --quick trains the three captioners, and the
// soft-attention one learns to caption and to look at the objects it names; every test image's
// captions are written.
#include <catch2/catch.hpp>

#include <filesystem>

#include "classification_lessons.hpp"
#include "lesson_runner.hpp"
#include "predictions_file.hpp"

namespace fs = std::filesystem;

TEST_CASE("lesson 13_show_attend_tell --quick: soft attention learns to caption and to point at the objects", "[lesson]") {
    const classification_lessons::Scratch scratch("lesson13");  // one thread, plots and checkpoint inside
    const auto run = classification_lessons::run("13_show_attend_tell", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    for (const char* key : {"pooled_exact_match", "soft_exact_match", "hard_exact_match", "soft_bleu",
                            "soft_binding_accuracy", "soft_pointing_accuracy", "hard_pointing_accuracy", "train_seconds"})
        REQUIRE(run.number(key) >= 0.0);
    // An untrained captioner never writes a test caption word for word (exact match 0) and binds
    // colours to shapes only by luck. Seed 1's quick run (1,500 images, 2 epochs, hard 4): soft exact
    // match 8.5%, binding 35.1%.
    CHECK(run.number("soft_exact_match") > 0.02);
    CHECK(run.number("soft_binding_accuracy") > 0.2);
    // Attention that ignored the image would point into the named object's box about as often as
    // the box's share of the picture (6.1% here); the quick soft model points into it 48.9% of the time
    // (its size words: 63.1%), the quick hard model 74.8%.
    CHECK(run.number("soft_pointing_accuracy") > 4 * 0.061);
    CHECK(run.output.find("where each word looks: soft (top) and hard (bottom) attention") != std::string::npos);
    CHECK(fs::exists(scratch.dir / "13_show_attend_tell.ckpt"));

    // The image, its reference and the three models' captions for every test image; the exact
    // matches the lesson reports are the ones these lines give (a toy scene has one reference).
    const fs::path file = scratch.plots() / "13_show_attend_tell_test_predictions.tsv";
    CHECK_THAT(run.output, Catch::Contains("test predictions (image, reference, pooled, soft, hard): " + file.string()));
    const predictions_file::Table predictions = predictions_file::read(file);
    CHECK(predictions.header == std::vector<std::string>{"image", "reference", "pooled", "soft", "hard"});
    CHECK(run.number("test_images") == 200);  // --quick's test split
    CHECK(int(predictions.rows.size()) == int(run.number("test_images")));
    for (const char* model : {"pooled", "soft", "hard"}) {
        INFO(model);
        CHECK(predictions.agreement("reference", model) == Approx(run.number(std::string(model) + "_exact_match")));
    }
}

TEST_CASE("lesson 13_show_attend_tell --data: a missing folder is one line naming the file", "[lesson]") {
    const auto run = lesson_runner::run("13_show_attend_tell", "--quick --data /nonexistent/scenes");
    CHECK(run.exit_code == 1);
    // Every lesson checks its input paths before anything starts (tinyattn/app/lesson_cli.hpp).
    CHECK(run.output == "13_show_attend_tell: error: --data /nonexistent/scenes: no such file or directory\n");
}
