// test_lesson_04.cpp — the bag-of-embeddings lesson learns the plain sentences, fails on the
// negated ones (word order lost), writes its figure, results and predictions, and trains on a --data file.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "classification_lessons.hpp"
#include "predictions_file.hpp"

using namespace classification_lessons;

TEST_CASE("lesson 04: a bag of embeddings learns plain sentiment but not negation", "[lesson]") {
    const Scratch scratch("lesson04");
    const auto run = classification_lessons::run("04_embeddings", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("test_accuracy_plain") > 0.9);  // an untrained model scores ~0.5
    CHECK(run.number("test_accuracy_intensifier") > 0.9);
    // Every negated sentence has a twin with the same words and the other label: a model that
    // averages the words cannot get most of them right.
    CHECK(run.number("test_accuracy_negation") < 0.65);
    require_figure(scratch, "04_per_phenomenon");
    CHECK(fs::exists(scratch.plots() / "04_embeddings_results.txt"));
    CHECK(fs::exists(scratch.dir / "04_embeddings.ckpt"));
    CHECK_FALSE(fs::exists(scratch.dir / "04_embeddings.ckpt.vocab"));  // one self-contained file
    // text<TAB>label<TAB>prediction<TAB>confidence for every test sentence, listed at the end,
    // and the accuracy the lesson reports is the one these lines give.
    const fs::path file = scratch.plots() / "04_embeddings_test_predictions.tsv";
    CHECK_THAT(run.output, Catch::Contains("test predictions (text, label, prediction, confidence): " + file.string()));
    const predictions_file::Table predictions = predictions_file::read(file);
    CHECK(predictions.header == std::vector<std::string>{"text", "label", "prediction", "confidence"});
    const auto test_split = tinyattn::data::read_lines(std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-sentiment/test.tsv", "test");
    REQUIRE(predictions.rows.size() == test_split.size());
    CHECK(predictions.agreement("label", "prediction") == Approx(run.number("test_accuracy")));
    for (const auto& row : predictions.rows) REQUIRE(std::stod(row[3]) >= 0.5);  // the larger of two probabilities
    // The toy corpus's test words are all in the training split: no ⟨unk:word⟩, one group.
    CHECK(run.number("test_sentences_with_unk") == 0);
    CHECK(run.number("test_accuracy_without_unk") == Approx(run.number("test_accuracy")));
}

TEST_CASE("lesson 04: --data trains on a text<TAB>label file with a header and CRLF line ends", "[lesson]") {
    const Scratch scratch("lesson04_data");
    // 1500 plain / intensifier / hedge sentences of the shipped training split, 2 columns only.
    std::ifstream in(std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-sentiment/train.tsv");
    const fs::path file = scratch.dir / "my_reviews.tsv";
    std::ofstream out(file, std::ios::binary);
    out << "text\tlabel\r\n";
    int written = 0;
    for (std::string line; written < 1500 && std::getline(in, line);) {
        const size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
        const std::string phenomenon = line.substr(tab2 + 1);
        if (phenomenon == "negation" || phenomenon == "contrast") continue;
        out << line.substr(0, tab2) << "\r\n";
        ++written;
    }
    out.close();
    const auto run = classification_lessons::run("04_embeddings", "--quick --min-freq 2 --data " + file.string(), scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    REQUIRE_THAT(run.output, Catch::Contains("train 1200, valid 150, test 150"));
    // The text lessons' vocabulary and early-stopping flags (on by default with --data).
    CHECK_THAT(run.output, Catch::Contains("the training words seen at least 2 time(s)"));
    CHECK_THAT(run.output, Catch::Contains("(best, saved)"));
    CHECK(run.number("test_accuracy") > 0.9);
    // One phenomenon, "all": the shipped corpus's groups are not there.
    CHECK(run.report.count("test_accuracy_plain") == 0);
    CHECK(run.number("test_accuracy_all") == run.number("test_accuracy"));
}
