// test_lesson_03.cpp — the training-loop lesson learns the two moons, writes every held-out
// point's predictions, and --resume continues exactly where the saved run stopped.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "lesson_runner.hpp"
#include "predictions_file.hpp"

namespace fs = std::filesystem;

static fs::path scratch_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_" + name + "_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

TEST_CASE("lesson 03: the MLP separates the moons, logistic regression cannot; the predictions file", "[lesson]") {
    const fs::path dir = scratch_dir("lesson03");
    const auto run = lesson_runner::run_command(std::string(TINYATTN_BINARY_DIR) +
                                                    "/bin/03_training_loop --quick --seed 1 --checkpoint " +
                                                    (dir / "03.ckpt").string() + " --plots " + (dir / "plots").string() +
                                                    " --report " + (dir / "report.json").string(),
                                                dir / "output.txt", dir / "report.json");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    // Held-out points: a curved boundary is needed. Chance is 0.5; a straight line gets ~0.88.
    CHECK(run.number("test_accuracy_mlp") > 0.95);
    CHECK(run.number("test_accuracy_logreg") < 0.92);
    CHECK(run.number("test_accuracy_mlp") > run.number("test_accuracy_logreg") + 0.05);
    CHECK(fs::exists(dir / "03.ckpt"));
    REQUIRE_THAT(run.output, Catch::Contains("03_decision_boundary.png") && Catch::Contains("03_loss.png"));
    // Every held-out point with its label and both models' answers; the accuracies the lesson
    // reports are the ones these lines give.
    const predictions_file::Table predictions = predictions_file::read(dir / "plots" / "03_training_loop_test_predictions.tsv");
    CHECK(predictions.header == std::vector<std::string>{"x", "y", "label", "logreg_prediction", "logreg_confidence",
                                                         "mlp_prediction", "mlp_confidence"});
    CHECK(run.number("test_points") == 1000);  // the lesson's held-out points
    CHECK(int(predictions.rows.size()) == int(run.number("test_points")));
    CHECK(predictions.agreement("label", "mlp_prediction") == Approx(run.number("test_accuracy_mlp")));
    CHECK(predictions.agreement("label", "logreg_prediction") == Approx(run.number("test_accuracy_logreg")));
    for (const auto& row : predictions.rows) {
        REQUIRE((row[2] == "0" || row[2] == "1"));
        REQUIRE(std::stod(row[4]) >= 0.5);  // the larger of two probabilities
        REQUIRE(std::stod(row[6]) >= 0.5);
    }
    fs::remove_all(dir);
}

// The runner writes figures into a directory it deletes, so this run names its own.
TEST_CASE("lesson 03: figures are written", "[lesson]") {
    const fs::path dir = scratch_dir("lesson03_plots");
    const std::string cmd = std::string(TINYATTN_BINARY_DIR) + "/bin/03_training_loop --quick --epochs 2 --plots " +
                            (dir / "plots").string() + " --checkpoint " + (dir / "03.ckpt").string() + " > " +
                            (dir / "out.txt").string() + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    for (const char* name : {"03_loss", "03_decision_boundary"}) {
        INFO(name);
        CHECK(fs::exists(dir / "plots" / (std::string(name) + ".txt")));
        CHECK(fs::exists(dir / "plots" / (std::string(name) + ".png")));  // gnuplot is a build dependency
    }
    fs::remove_all(dir);
}

TEST_CASE("lesson 03: 10 epochs + --resume for 10 more equals 20 epochs in one go", "[lesson]") {
    const fs::path dir = scratch_dir("lesson03_resume");
    const std::string ckpt = (dir / "first.ckpt").string();
    const auto straight = lesson_runner::run("03_training_loop", "--epochs 20 --checkpoint " + (dir / "a.ckpt").string());
    const auto first = lesson_runner::run("03_training_loop", "--epochs 10 --checkpoint " + ckpt);
    const auto resumed =
        lesson_runner::run("03_training_loop", "--epochs 20 --resume " + ckpt + " --checkpoint " + (dir / "b.ckpt").string());
    INFO(resumed.output);
    REQUIRE(straight.exit_code == 0);
    REQUIRE(first.exit_code == 0);
    REQUIRE(resumed.exit_code == 0);
    REQUIRE_THAT(resumed.output, Catch::Contains("resumed the MLP") && Catch::Contains("at epoch 10"));
    // Same batches per epoch (seeded by the epoch), same momentum buffers: the same numbers.
    CHECK(resumed.number("test_loss_mlp") == straight.number("test_loss_mlp"));
    CHECK(resumed.number("test_loss_mlp") != first.number("test_loss_mlp"));
    fs::remove_all(dir);
}
