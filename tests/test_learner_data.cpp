// test_learner_data.cpp — what a learner's own data needs (issue 22): a vocabulary with a minimum
// frequency, so rare training words become <unk> and <unk>'s embedding learns; early stopping that
// keeps the best epoch; and the lessons' predictions files and <unk> figures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "classification_lessons.hpp"
#include "lesson_runner.hpp"
#include "tinyattn/data/text_file.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/tasks/translation.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

data::SentencePair pair_of(const std::string& src, const std::string& tgt) {
    data::SentencePair p;
    p.src_text = src;
    p.tgt_text = tgt;
    p.src = data::tokenize(src, "en");
    p.tgt = data::tokenize(tgt, "fr");
    return p;
}

// A copy task with a long tail: the common words appear in many pairs, each "rareN" in exactly one.
// The validation split asks for the REVERSED order, so the better the model copies, the worse its
// validation loss gets after the first epochs: early stopping must keep an early epoch.
tasks::PairSplits copy_task(int pairs) {
    const std::vector<std::string> common = {"a", "b", "c", "d", "e", "f"};
    tasks::PairSplits s;
    s.name = "copy";
    for (int i = 0; i < pairs; ++i) {
        const std::string w1 = common[size_t(i) % 6], w2 = common[size_t(i / 6) % 6];
        const std::string rare = "rare" + std::to_string(i);
        s.train.push_back(pair_of(w1 + " " + w2 + " " + rare, w1 + " " + w2 + " " + rare));
    }
    for (int i = 0; i < 12; ++i) {
        const std::string w1 = common[size_t(i) % 6], w2 = common[size_t(i + 1) % 6];
        s.valid.push_back(pair_of(w1 + " " + w2, w2 + " " + w1));
        s.test.push_back(pair_of(w1 + " " + w2 + " unseen", w1 + " " + w2 + " unseen"));
    }
    return s;
}

std::vector<float> row(const nn::Module& model, const std::string& name, int r) {
    for (const auto& [n, t] : model.named_parameters())
        if (n == name) {
            const int width = int(t.shape()[1]);
            return std::vector<float>(t.data() + r * width, t.data() + (r + 1) * width);
        }
    FAIL("no parameter " << name);
    return {};
}

// Trains the lesson-07 model (small) for `epochs` on `data`; returns <unk>'s source embedding
// before and after.
std::pair<std::vector<float>, std::vector<float>> unk_embedding_through_training(const tasks::TranslationData& data,
                                                                                  int epochs) {
    models::Seq2Seq model({data.src_vocab.size(), data.tgt_vocab.size(), 8, 16, 0}, models::make_bahdanau_decoder);
    optim::Adam adam(model.parameters(), 1e-2);
    const std::vector<float> before = row(model, "encoder.embedding.weight", data::Vocab::unk_id);
    long step = 0;
    tasks::train_epochs(tasks::seq2seq_trainee(model), adam, data, data.train, {8, 1.0, 1}, "test", "", 0, epochs, step);
    return {before, row(model, "encoder.embedding.weight", data::Vocab::unk_id)};
}

}  // namespace

TEST_CASE("vocabulary: --min-freq turns rare training words into <unk>, in the training split too", "[vocab][unk]") {
    const tasks::TranslationData every = tasks::prepare_translation(copy_task(36), 0, 1);
    const tasks::TranslationData frequent = tasks::prepare_translation(copy_task(36), 0, 2);
    CHECK(every.src_vocab.contains("rare7"));
    CHECK_FALSE(frequent.src_vocab.contains("rare7"));  // seen once
    CHECK(frequent.src_vocab.contains("a"));            // seen 12 times
    CHECK(frequent.src_vocab.size() == 4 + 6);          // the specials and the six common words
    // "a b rare0" + <eos>: the rare word is <unk> in the TRAINING ids
    CHECK(frequent.train.src[0] == std::vector<int>{frequent.src_vocab.id("a"), frequent.src_vocab.id("a"),
                                                    data::Vocab::unk_id, data::Vocab::eos_id});
    CHECK(std::count(every.train.src[0].begin(), every.train.src[0].end(), data::Vocab::unk_id) == 0);
    // A third of the training tokens are rare; the test's "unseen" is <unk> either way.
    std::vector<data::Tokens> train_src;
    for (const auto& p : frequent.pairs.train) train_src.push_back(p.src);
    CHECK(data::unk_share(train_src, frequent.src_vocab) == Approx(1.0 / 3.0));
    CHECK(data::unk_share(train_src, every.src_vocab) == 0.0);
    // --max-vocab: the most frequent first
    const tasks::TranslationData capped = tasks::prepare_translation(copy_task(36), 0, 1, 7);
    CHECK(capped.src_vocab.size() == 7);
    CHECK(capped.src_vocab.contains("a"));
    CHECK(data::mark_unknown({"a", "rare3"}, frequent.src_vocab) == data::Tokens{"a", "⟨unk:rare3⟩"});
}

TEST_CASE("<unk>'s embedding learns with --min-freq 2 and stays at its initial value with 1", "[unk][training]") {
    const auto [before1, after1] = unk_embedding_through_training(tasks::prepare_translation(copy_task(36), 0, 1), 2);
    CHECK(before1 == after1);  // never in a training batch: no gradient, Adam leaves it alone
    const auto [before2, after2] = unk_embedding_through_training(tasks::prepare_translation(copy_task(36), 0, 2), 2);
    double moved = 0.0;
    for (size_t i = 0; i < before2.size(); ++i) moved += std::abs(double(after2[i]) - double(before2[i]));
    CHECK(moved > 0.01);  // trained on the 36 rare words
}

TEST_CASE("early stopping keeps the best epoch's weights and checkpoint when validation gets worse",
          "[early-stopping][training]") {
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_early_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string ckpt = (dir / "m.ckpt").string();
    const tasks::TranslationData data = tasks::prepare_translation(copy_task(36), 0, 1);
    models::Seq2Seq model({data.src_vocab.size(), data.tgt_vocab.size(), 8, 16, 0}, models::make_bahdanau_decoder);
    optim::Adam adam(model.parameters(), 1e-2);
    tasks::TrainConfig tc{8, 1.0, 1};
    tc.stopping.patience = 2;
    tc.stopping.keep_last = true;
    long step = 0;
    tasks::train_epochs(tasks::seq2seq_trainee(model), adam, data, data.train, tc, "test", ckpt, 0, 30, step);

    const io::Metadata best = io::read_checkpoint(ckpt).metadata;
    const io::Metadata last = io::read_checkpoint(tasks::last_checkpoint_path(ckpt)).metadata;
    const int best_epoch = std::stoi(best.at("epoch")), last_epoch = std::stoi(last.at("epoch"));
    INFO("best epoch " << best_epoch << ", last epoch " << last_epoch);
    CHECK(best.at("best_epoch") == best.at("epoch"));
    CHECK(last_epoch == best_epoch + 2);  // stopped after `patience` epochs without improvement
    CHECK(last_epoch < 30);
    CHECK(last.at("bad_epochs") == "2");
    CHECK(step == long(last_epoch) * tasks::batches_per_epoch(data.train, 8));
    // The model holds the best epoch's weights (the checkpoint's), not the last one's.
    models::Seq2Seq saved({data.src_vocab.size(), data.tgt_vocab.size(), 8, 16, 0}, models::make_bahdanau_decoder);
    io::load_checkpoint(ckpt, saved);
    CHECK(row(saved, "encoder.embedding.weight", 5) == row(model, "encoder.embedding.weight", 5));
    models::Seq2Seq final_epoch({data.src_vocab.size(), data.tgt_vocab.size(), 8, 16, 0}, models::make_bahdanau_decoder);
    io::load_checkpoint(tasks::last_checkpoint_path(ckpt), final_epoch);
    CHECK(row(final_epoch, "encoder.embedding.weight", 5) != row(model, "encoder.embedding.weight", 5));
    // The state survives in the checkpoint for --resume.
    tasks::EarlyStopping resumed;
    resumed.load_state(last, tasks::last_checkpoint_path(ckpt));
    CHECK(resumed.best_epoch == best_epoch);
    CHECK(resumed.bad_epochs == 2);
    fs::remove_all(dir);
}

TEST_CASE("early stopping: the patience counter and the best score, higher or lower is better", "[early-stopping]") {
    models::Seq2Seq model({10, 10, 4, 4, 0}, models::make_bahdanau_decoder);
    tasks::EarlyStopping s;
    s.patience = 2;
    s.higher_is_better = true;
    s.percent = true;
    CHECK(s.update(0.70, 1, model));
    CHECK(s.update(0.80, 2, model));
    CHECK_FALSE(s.update(0.80, 3, model));  // equal is no improvement
    CHECK(s.note(true) == "best 80.0% at epoch 2; 1 of 2 epoch(s) without improvement");
    CHECK_FALSE(s.should_stop());
    CHECK_FALSE(s.update(0.75, 4, model));
    CHECK(s.should_stop());
    CHECK(s.note(true).find("stopping") != std::string::npos);
    tasks::EarlyStopping loss;
    loss.patience = 1;
    CHECK(loss.update(2.0, 1, model));
    CHECK(loss.note(true) == "best, saved");
    CHECK(loss.update(1.5, 2, model));
    CHECK_FALSE(loss.update(1.6, 3, model));
    CHECK(loss.should_stop());
}

TEST_CASE("lesson 05 --data: unk shares, ⟨unk:word⟩ marks, accuracy with and without unknown words, "
          "the predictions file", "[lesson][unk]") {
    const classification_lessons::Scratch scratch("learner_05");
    // 200 sentences: common sentiment words, and a rare noun in every one (seen once: <unk> at min-freq 2).
    std::ofstream out(scratch.dir / "reviews.tsv");
    out << "text\tlabel\n";
    for (int i = 0; i < 200; ++i)
        out << "The " << (i % 3 == 0 ? "film" : "zorb" + std::to_string(i)) << " was "
            << (i % 2 ? "great" : "awful") << "!\t" << (i % 2 ? "pos" : "neg") << "\n";
    out.close();
    const auto run = classification_lessons::run(
        "05_lstm", "--epochs 3 --min-freq 2 --data " + (scratch.dir / "reviews.tsv").string(), scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.output.find("the training words seen at least 2 time(s)") != std::string::npos);
    CHECK(run.output.find("<unk> share of tokens: train ") != std::string::npos);
    const double with = run.number("test_sentences_with_unk");
    CHECK(with > 5);   // two thirds of the sentences have their own zorb
    CHECK(with < 20);  // 20 test sentences in all
    CHECK(run.number("test_accuracy_with_unk") >= 0.0);
    CHECK(run.output.find("(best, saved)") != std::string::npos);  // early stopping is on for --data
    // text<TAB>label<TAB>prediction<TAB>confidence, one line per test sentence, listed at the end
    const fs::path predictions = scratch.plots() / "05_lstm_test_predictions.tsv";
    CHECK(run.output.find("test predictions (text, label, prediction, confidence): " + predictions.string()) !=
          std::string::npos);
    const std::vector<data::Line> lines = data::read_lines(predictions.string(), "test");
    REQUIRE(lines.size() == 21);
    CHECK(lines[0].text == "text\tlabel\tprediction\tconfidence");
    int marked = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
        const auto cells = data::split(lines[i].text, '\t');
        REQUIRE(cells.size() == 4);
        CHECK((cells[1] == "pos" || cells[1] == "neg"));
        CHECK(std::stod(cells[3]) >= 0.5);  // the predicted class's probability, of two
        marked += cells[0].find("⟨unk:zorb") != std::string::npos;
    }
    CHECK(marked == int(with));
}

TEST_CASE("lesson 07 --quick writes source<TAB>reference<TAB>output for every test sentence", "[lesson]") {
    const classification_lessons::Scratch scratch("learner_07");
    const auto run = classification_lessons::run("07_attention", "--quick --seed 1", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.output.find("<unk> share of tokens: train en 0.0% fr 0.0%") != std::string::npos);  // toy: every word kept
    const std::vector<data::Line> lines =
        data::read_lines((scratch.plots() / "07_attention_test_predictions.tsv").string(), "test");
    REQUIRE(int(lines.size()) == int(run.number("test_sentences")) + 1);
    CHECK(lines[0].text == "source\treference\toutput");
    for (size_t i = 1; i < lines.size(); ++i) REQUIRE(data::split(lines[i].text, '\t').size() == 3);
    CHECK(run.number("test_sentences_with_unk") == 0);
    CHECK(run.number("test_bleu_without_unk") == Approx(run.number("test_bleu")));
}
