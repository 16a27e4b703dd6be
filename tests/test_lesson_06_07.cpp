// test_lesson_06_07.cpp — lessons 06_seq2seq and 07_attention learn, write their figures, read a
// learner's Tatoeba file and resume from their checkpoints.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "lesson_runner.hpp"

namespace fs = std::filesystem;

namespace {

using lesson_runner::scratch;

// Like lesson_runner::run, but the figures go to `plots` and stay there for the test to inspect
// (the runner's own --plots directory is deleted when it returns, and the last --plots wins).
lesson_runner::Run run_with_plots(const std::string& lesson, const std::string& args, const fs::path& plots) {
    const fs::path report = plots / "report.json", log = plots / "output.txt";
    const std::string cmd = std::string(TINYATTN_BINARY_DIR) + "/bin/" + lesson + " " + args + " --report " +
                            report.string() + " --plots " + plots.string() + " > " + log.string() + " 2>&1";
    lesson_runner::Run r;
    const int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream lf(log), rf(report);
    r.output.assign(std::istreambuf_iterator<char>(lf), std::istreambuf_iterator<char>());
    const std::string json((std::istreambuf_iterator<char>(rf)), std::istreambuf_iterator<char>());
    const std::regex field("\"([^\"]+)\":\\s*(\"([^\"]*)\"|[-+0-9.eEnaifNAIF]+)");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), field); it != std::sregex_iterator(); ++it)
        r.report[(*it)[1]] = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
    return r;
}

void require_figure(const fs::path& plots, const std::string& name) {
    INFO("figure " << name);
    REQUIRE(fs::exists(plots / (name + ".txt")));
    REQUIRE(fs::exists(plots / (name + ".png")));
    REQUIRE(fs::file_size(plots / (name + ".png")) > 2000);
}

}  // namespace

TEST_CASE("lesson 07_attention --quick: attention learns toy en-fr and dates, writes every figure", "[lesson]") {
    const fs::path dir = scratch("07_quick");
    const auto run = run_with_plots("07_attention", "--quick --seed 1 --threads 1 --checkpoint " + (dir / "07.ckpt").string(), dir);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    // An untrained model scores ~0 BLEU and a loss of ln(293) ≈ 5.7; one epoch on 6,000 pairs
    // (188 steps) gets past BLEU 0.3.
    CHECK(run.number("test_bleu") > 0.3);
    CHECK(run.number("test_sentences") == 200);
    CHECK(run.number("dates_bleu") > 0.1);  // 94 steps on dates: learning, not yet exact
    CHECK(run.number("final_train_loss") < 4.0);
    for (const char* f : {"reorder", "negation", "merge", "evolution", "bleu_by_length", "dates"})
        require_figure(dir, std::string("07_attention_") + f);
    CHECK(fs::exists(dir / "07.ckpt"));
    CHECK_FALSE(fs::exists(dir / "07.ckpt.src.vocab"));  // the vocabularies are inside the one file
    // The estimate printed before training: its checkpoint size is the file's (tasks/run_estimate).
    std::smatch m;
    REQUIRE(std::regex_search(run.output, m, std::regex("estimate: (\\d+) parameters · checkpoint ([0-9.]+) MB")));
    CHECK(std::stod(m[2].str()) == Approx(double(fs::file_size(dir / "07.ckpt")) / 1e6).epsilon(0.02));
    fs::remove_all(dir);
}

TEST_CASE("lesson 06_seq2seq --quick learns without attention, writes its buckets; --resume continues", "[lesson]") {
    const fs::path dir = scratch("06_quick");
    const std::string ckpt = (dir / "06.ckpt").string();
    const auto first = run_with_plots("06_seq2seq", "--quick --seed 1 --threads 1 --checkpoint " + ckpt, dir);
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    CHECK(first.number("test_bleu") > 0.1);  // untrained: ~0
    require_figure(dir, "06_seq2seq_bleu_by_length");
    REQUIRE(fs::exists(dir / "06_seq2seq_bleu_by_length.tsv"));

    // Resuming loads model + Adam state + step counter and trains up to --epochs 2 in all: one more epoch.
    const auto resumed = lesson_runner::run("06_seq2seq", "--quick --epochs 2 --seed 1 --threads 1 --resume " + ckpt +
                                                              " --checkpoint " + (dir / "06b.ckpt").string());
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.number("steps") == 2 * first.number("steps"));
    CHECK(resumed.number("epochs") == 2);
    CHECK(resumed.number("final_train_loss") < first.number("final_train_loss"));
    fs::remove_all(dir);
}

TEST_CASE("lesson 07_attention --data trains on a Tatoeba-format file (3 columns, CRLF)", "[lesson]") {
    const fs::path dir = scratch("07_data");
    // 600 toy pairs rewritten the way manythings.org ships Tatoeba: an attribution column, CRLF.
    std::ifstream in(std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-en-fr/train.tsv");
    std::ofstream out(dir / "fra.txt", std::ios::binary);
    std::string line;
    for (int i = 0; i < 600 && std::getline(in, line); ++i)
        out << line << "\tCC-BY 2.0 (France) Attribution: tatoeba.org #" << 1000 + i << " (CM)\r\n";
    out.close();
    const auto run = lesson_runner::run("07_attention", "--quick --seed 1 --threads 1 --epochs 1 --data " +
                                                            (dir / "fra.txt").string() + " --checkpoint " +
                                                            (dir / "c.ckpt").string());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.report.at("corpus") == "fra.txt");
    CHECK(run.number("test_sentences") == 60);  // 600 pairs split 80/10/10
    CHECK(run.report.count("dates_exact_match") == 0);  // the dates demo runs on the shipped corpus only
    fs::remove_all(dir);
}
