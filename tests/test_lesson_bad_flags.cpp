// test_lesson_bad_flags.cpp — the lesson programs on a learner's mistakes with flags, paths and
// checkpoints: each ends with its exit code (2: usage, 1: error) and one line naming the flag or
// the file, never an abort, and a checkpoint given to --resume is refused before anything is
// loaded or written. (Data files: test_lesson_bad_data.cpp; kills: test_lesson_kill.cpp.)
#include <catch2/catch.hpp>

#include "bad_input_runner.hpp"
#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/tasks/translation.hpp"

using namespace tinyattn;
using bad_input::require_error;
using bad_input::run;
using bad_input::Scratch;

TEST_CASE("lesson flags: bad numbers are usage errors naming the flag, never overflow", "[lesson][bad-input]") {
    const Scratch s("flags");
    const struct { const char* args; const char* needle; } cases[] = {
        {"--epochs 2147483648", "--epochs needs a whole number from 0 to"},
        {"--epochs -1", "--epochs needs a whole number"},
        {"--epochs x", "got 'x'"},
        {"--epochs 1e3", "got '1e3'"},
        {"--threads 1000", "--threads needs a whole number from 1 to 64"},
        {"--threads 0", "--threads needs a whole number from 1"},
        {"--seed -5", "--seed needs a whole number"},
        {"--seed 99999999999999999999999", "--seed needs a whole number"},
        {"--bogus", "unknown option '--bogus'"},
        {"--epochs", "--epochs needs a value"},
        {"--resume ''", "--resume needs a value, got an empty string"},
        {"--min-freq 0", "--min-freq needs a whole number from 1 to"},
        {"--max-vocab 3", "--max-vocab needs a whole number from 5 to"},
        {"--patience -1", "--patience needs a whole number from 0 to"},
        {"--patience soon", "got 'soon'"},
        {"--src-lang English", "--src-lang needs a language code of 2 or 3 lower-case letters such as en or fr, got 'English'"},
        {"--tgt-lang FR", "--tgt-lang needs a language code"},
    };
    for (const auto& c : cases) {
        INFO(c.args);
        require_error(run("07_attention", c.args, s), "07_attention", 2, c.needle);
    }
    // A lesson that does not train has no --data (nor --epochs).
    require_error(run("01_tensors", "--data x.tsv", s), "01_tensors", 2, "unknown option '--data'");
    // Vocabulary and early-stopping flags belong to the text lessons, languages to the translation ones.
    require_error(run("03_training_loop", "--min-freq 2", s), "03_training_loop", 2, "unknown option '--min-freq'");
    require_error(run("09_self_attentive_sentiment", "--src-lang en", s), "09_self_attentive_sentiment", 2,
                  "unknown option '--src-lang'");
}

TEST_CASE("lesson paths: inputs must exist and outputs be writable before training starts", "[lesson][bad-input]") {
    const Scratch s("paths");
    const std::string a_file = s.file("not_a_dir", "x");
    const struct { std::string args, needle; } cases[] = {
        {"--data " + s.path("missing.tsv"), "--data " + s.path("missing.tsv") + ": no such file"},
        {"--resume " + s.path("missing.ckpt"), "--resume " + s.path("missing.ckpt") + ": no such file"},
        {"--report /nonexistent/dir/r.json", "--report /nonexistent/dir/r.json: no directory /nonexistent/dir"},
        {"--report " + s.dir.string(), "is a directory, not a file"},
        {"--checkpoint " + a_file + "/x.ckpt", "--checkpoint " + a_file + "/x.ckpt: cannot create directory"},
        {"--plots " + a_file + "/plots", "--plots " + a_file + "/plots: cannot create directory"},
    };
    for (const auto& c : cases) {
        INFO(c.args);
        const auto e = run("07_attention", c.args, s);
        require_error(e, "07_attention", 1, c.needle);
        CHECK(e.out.find("epoch") == std::string::npos);  // refused before any training
    }
}

namespace {

// A toy-en-fr lesson-07 checkpoint written by the library, with `lesson`, `config` and `data` as given.
std::string write_checkpoint(const Scratch& s, const std::string& name, const std::string& lesson,
                             const io::Metadata& config, const tasks::TranslationData& data) {
    models::Seq2SeqConfig cfg;
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    models::Seq2Seq model(cfg, models::make_bahdanau_decoder);
    optim::Adam adam(model.parameters(), 1e-3);
    const std::string path = s.path(name);
    tasks::save_translation_checkpoint(path, model, config, adam, data, lesson, 1, 10);
    return path;
}

tasks::TranslationData shipped(const std::string& corpus) {
    return tasks::prepare_translation(
        tasks::load_translation_corpus(std::string(TINYATTN_SOURCE_DIR) + "/datasets/" + corpus, 1));
}

}  // namespace

TEST_CASE("lesson --resume: a checkpoint of another lesson, configuration or data is refused in one line",
          "[lesson][bad-input]") {
    const Scratch s("resume");
    const tasks::TranslationData toy = shipped("toy-en-fr");
    // Lesson 07's configuration: its model's sizes and decoder.
    const models::Seq2Seq m07({.src_vocab = 10, .tgt_vocab = 10}, models::make_bahdanau_decoder);
    const io::Metadata config07 = tasks::seq2seq_config(m07);
    io::Metadata bigger = config07;
    bigger["hidden_size"] = "256";

    const struct { std::string file, needle; } cases[] = {
        {write_checkpoint(s, "of06.ckpt", "06_seq2seq", config07, toy), "a checkpoint of lesson 06_seq2seq, not 07_attention"},
        {write_checkpoint(s, "bigger.ckpt", "07_attention", bigger, toy), "trained with hidden_size 256, this run has hidden_size 128"},
        {write_checkpoint(s, "dates.ckpt", "07_attention", config07, shipped("dates")), "trained on other data"},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        const std::string before = bad_input::read_all(c.file);
        const auto e = run("07_attention", "--quick --resume " + c.file, s);
        require_error(e, "07_attention", 1, c.needle);
        CHECK(e.out.find("corpus ") != std::string::npos);  // stdout before the error is kept (flushed)
        CHECK(bad_input::read_all(c.file) == before);        // the checkpoint is untouched
        CHECK_FALSE(bad_input::fs::exists(s.path("run.ckpt")));  // and nothing was written
    }
}

TEST_CASE("lesson --resume: damaged, foreign or old checkpoints name the file and the problem", "[lesson][bad-input]") {
    const Scratch s("damaged");
    const models::Seq2Seq m07({.src_vocab = 10, .tgt_vocab = 10}, models::make_bahdanau_decoder);
    const std::string good = write_checkpoint(s, "good.ckpt", "07_attention", tasks::seq2seq_config(m07), shipped("toy-en-fr"));
    const std::string bytes = bad_input::read_all(good);
    std::string flipped = bytes;
    flipped[bytes.size() / 2] = char(flipped[bytes.size() / 2] ^ 0x10);
    // A checkpoint of the old format: vocabularies in sidecar files, named in the metadata.
    models::Seq2Seq tiny({.src_vocab = 10, .tgt_vocab = 10}, models::make_bahdanau_decoder);
    io::save_checkpoint(s.path("old.ckpt"), tiny, nullptr, {{"lesson", "07_attention"}, {"epoch", "1"}, {"step", "5"},
                                                            {"src_vocab", "old.ckpt.src.vocab"}});
    const struct { std::string file, needle; } cases[] = {
        {s.file("truncated.ckpt", bytes.substr(0, bytes.size() / 2)), "is truncated"},
        {s.file("flipped.ckpt", flipped), "is corrupted: checksum mismatch"},
        {s.file("empty.ckpt", ""), "is truncated: 0 bytes"},
        {s.file("data.ckpt", "go .\tva !\n"), "is not a tinyattn checkpoint"},
        {s.path("old.ckpt"), "metadata has no 'src_tokens'"},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        const auto e = run("07_attention", "--quick --resume " + c.file, s);
        require_error(e, "07_attention", 1, c.needle);
        CHECK(e.err.find(c.file) != std::string::npos);
    }
}

TEST_CASE("lesson --epochs is the total: --resume trains up to it, and --quick honours an explicit --epochs",
          "[lesson][bad-input]") {
    const Scratch s("epochs");
    const std::string ckpt = s.path("04.ckpt");
    const auto first = run("04_embeddings", "--quick --epochs 1 --checkpoint " + ckpt, s);
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("epoch 1: train loss") != std::string::npos);
    CHECK(first.out.find("epoch 2: train loss") == std::string::npos);  // --quick did not override --epochs 1

    const auto same = run("04_embeddings", "--quick --epochs 1 --resume " + ckpt + " --checkpoint " + s.path("b.ckpt"), s);
    INFO(same.out << same.err);
    REQUIRE(same.exit_code == 0);
    CHECK(same.out.find("checkpoint is at epoch 1 of 1: nothing to train, evaluating") != std::string::npos);

    const auto more = run("04_embeddings", "--quick --epochs 2 --resume " + ckpt + " --checkpoint " + s.path("c.ckpt"), s);
    INFO(more.out << more.err);
    REQUIRE(more.exit_code == 0);
    CHECK(more.out.find("epoch 2/2") != std::string::npos);  // never "epoch 2/1"
    CHECK(more.out.find("epoch 2: train loss") != std::string::npos);

    const auto none = run("04_embeddings", "--quick --epochs 0", s);
    INFO(none.out << none.err);
    REQUIRE(none.exit_code == 0);
    CHECK(none.out.find("--epochs 0: nothing to train") != std::string::npos);
}
