// test_bpe_lessons.cpp — --bpe N in the translation lessons (tasks/subword_data.hpp): pieces
// learned on the training split only, words everywhere a learner reads, the merges inside the
// checkpoint, and a checkpoint refused by a run with other BPE settings; lesson 08 over pieces and
// lesson 11 decoding lesson 07's BPE checkpoint.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "lesson_runner.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tasks/pair_data.hpp"
#include "tinyattn/tasks/subword_data.hpp"

namespace fs = std::filesystem;
using namespace tinyattn;
using Tokens = std::vector<std::string>;

namespace {

using lesson_runner::scratch;

// A made-up name from syllables ("karubelo"): almost every one is new, so a word model can only
// write <unk> for it, while a BPE model can copy it piece by piece.
std::string name(Rng& rng) {
    static const char* const syllables[] = {"ka", "ru", "be", "lo", "mi", "tan", "zo", "vi", "del", "sor", "ne", "pa"};
    std::string n;
    for (int k = rng.randint(2, 4); k > 0; --k) n += syllables[rng.randint(0, 12)];
    return n;
}

// 3,000 toy en-fr pairs, every third one replaced by "NAME is here ." / "NAME est ici ." (Tatoeba
// format), so the test split holds names the training split never had.
fs::path write_names_file(const fs::path& dir) {
    std::ifstream in(std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-en-fr/train.tsv");
    std::ofstream out(dir / "names.tsv");
    Rng rng(5);
    std::string line;
    for (int i = 0; i < 3000 && std::getline(in, line); ++i) {
        if (i % 3 == 0) {
            const std::string n = name(rng);
            out << n << " is here .\t" << n << " est ici .\n";
        } else {
            out << line << "\n";
        }
    }
    return dir / "names.tsv";
}

tasks::PairSplits split_of(const fs::path& file) { return tasks::load_translation_corpus(file.string(), 1); }

// The translations a lesson prints between `from` and `to` are words: OUT lines, and no piece mark
// (@@) in the EN / REF / OUT lines, though the model worked on pieces.
void check_translations_are_words(const std::string& output, const std::string& from, const std::string& to) {
    const size_t begin = output.find(from);
    REQUIRE(begin != std::string::npos);
    const std::string examples = output.substr(begin, output.find(to, begin) - begin);
    CHECK(examples.find("OUT") != std::string::npos);
    CHECK(examples.find("@@") == std::string::npos);
}

}  // namespace

TEST_CASE("prepare_translation with BPE: pieces from the training split, every test word known as pieces", "[bpe][lesson]") {
    const fs::path dir = scratch("bpe_prepare");
    const fs::path file = write_names_file(dir);
    const tasks::TranslationData words = tasks::prepare_translation(split_of(file));
    const tasks::TranslationData pieces = tasks::prepare_translation(split_of(file), 300);
    CHECK(!words.subwords.on());
    REQUIRE(pieces.subwords.on());
    CHECK(pieces.subwords.src.merges.size() == 300);
    // the word-level model meets <unk> in the test split (the names), the BPE model never does:
    // every character of the names was seen in training
    auto unknown = [](const tasks::EncodedPairs& e) {
        int n = 0;
        for (const auto& s : e.src)
            for (int id : s) n += id == data::Vocab::unk_id;
        return n;
    };
    CHECK(unknown(words.test) > 10);
    CHECK(unknown(pieces.test) == 0);
    CHECK(unknown(pieces.train) == 0);
    // pieces give the words back, and a learned merge never came from the test split
    for (const data::SentencePair& p : pieces.pairs.test) {
        CHECK(data::Bpe::decode(tasks::source_pieces(pieces.subwords, p.src)) == p.src);
        CHECK(tasks::target_words(pieces.subwords, tasks::target_pieces(pieces.subwords, {p.tgt})[0]) == p.tgt);
    }
    std::set<std::string> train_words;
    for (const data::SentencePair& p : pieces.pairs.train) train_words.insert(p.src.begin(), p.src.end());
    const data::Bpe again = data::learn_bpe([&] {
        std::vector<Tokens> src;
        for (const data::SentencePair& p : pieces.pairs.train) src.push_back(p.src);
        return src;
    }(), 300);
    CHECK(again.merges == pieces.subwords.src.merges);
    fs::remove_all(dir);
}

TEST_CASE("subwords_from_checkpoint: other --bpe settings and corrupt merges refused in one line", "[bpe]") {
    tasks::Subwords s = tasks::learn_subwords(split_of(write_names_file(scratch("bpe_meta"))).train, 50);
    io::Metadata meta;
    tasks::save_subwords(meta, s);
    CHECK(meta.at("bpe") == "50");
    CHECK(tasks::subwords_from_checkpoint(meta, "c.ckpt", 50).src.merges == s.src.merges);
    CHECK(tasks::subwords_from_checkpoint(meta, "c.ckpt", 50).tgt.merges == s.tgt.merges);
    auto refused = [](const io::Metadata& m, int requested, const std::string& expected) {
        try {
            tasks::subwords_from_checkpoint(m, "c.ckpt", requested);
        } catch (const std::runtime_error& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(expected) != std::string::npos);
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
            return;
        }
        FAIL("accepted");
    };
    refused(meta, 40, "--resume c.ckpt: trained with --bpe 50, this run has --bpe 40");
    refused(meta, 0, "trained with --bpe 50, this run has words (no --bpe)");
    refused(io::Metadata{}, 50, "trained with words (no --bpe), this run has --bpe 50");
    CHECK(!tasks::subwords_from_checkpoint(io::Metadata{}, "c.ckpt", 0).on());
    io::Metadata corrupt = meta;
    corrupt["tgt_bpe"] = "#bpe 2 merges\ne s\nxyz t\n";
    refused(corrupt, 50, "c.ckpt (tgt_bpe) line 3: symbol 'xyz' is neither");
    corrupt = meta;
    corrupt["bpe"] = "lots";
    refused(corrupt, 50, "c.ckpt: checkpoint's 'bpe' value 'lots'");
    corrupt = meta;
    corrupt.erase("src_bpe");
    refused(corrupt, 50, "'src_bpe'");
}

TEST_CASE("lesson 07_attention --data --bpe --quick learns, resumes with the same merges, refuses other settings",
          "[bpe][lesson]") {
    const fs::path dir = scratch("bpe_07");
    const std::string data = " --quick --seed 1 --threads 1 --data " + write_names_file(dir).string();
    const std::string ckpt = (dir / "bpe.ckpt").string();
    const auto first = lesson_runner::run("07_attention", data + " --epochs 3 --bpe 300 --checkpoint " + ckpt);
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    CHECK(first.output.find("BPE, 300 merges asked, 300 / 300 learned") != std::string::npos);
    CHECK(first.number("bpe_merges") == 300);
    CHECK(first.number("test_bleu") > 0.3);  // an untrained model scores ~0
    CHECK(first.number("test_sentences_unseen") > 10);  // the names
    CHECK(first.output.find("subword pieces of test sentence") != std::string::npos);
    CHECK(first.output.find("07_attention_subwords.png") != std::string::npos);
    CHECK(first.output.find("@@") != std::string::npos);  // the figure's labels are pieces

    // Resumed at its last epoch: nothing to train, so the same merges must give the same translations.
    const auto resumed = lesson_runner::run("07_attention", data + " --epochs 3 --bpe 300 --resume " + ckpt +
                                                                " --checkpoint " + (dir / "again.ckpt").string());
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.output.find("(the checkpoint's merges)") != std::string::npos);
    CHECK(resumed.number("test_bleu") == first.number("test_bleu"));
    CHECK(resumed.number("test_bleu_unseen") == first.number("test_bleu_unseen"));

    // The same model on words cannot write a name it never saw (it reads and writes <unk>).
    const auto word_level = lesson_runner::run("07_attention", data + " --epochs 3 --checkpoint " + (dir / "w.ckpt").string());
    REQUIRE(word_level.exit_code == 0);
    CHECK(word_level.number("test_sentences_unseen") == first.number("test_sentences_unseen"));  // the same groups
    CHECK(first.number("test_bleu_unseen") > word_level.number("test_bleu_unseen") + 0.3);

    const auto other = lesson_runner::run("07_attention", data + " --bpe 200 --resume " + ckpt);
    CHECK(other.exit_code == 1);
    CHECK(other.output.find("07_attention: error: --resume " + ckpt + ": trained with --bpe 300, this run has --bpe 200") !=
          std::string::npos);
    const auto words = lesson_runner::run("07_attention", data + " --resume " + ckpt);
    CHECK(words.exit_code == 1);
    CHECK(words.output.find("this run has words (no --bpe)") != std::string::npos);

    // The same checkpoint with its English merges damaged (a symbol no earlier merge made).
    io::Checkpoint damaged = io::read_checkpoint(ckpt);
    std::string& merges = damaged.metadata.at("src_bpe");
    const size_t second_line = merges.find('\n') + 1;
    merges.replace(second_line, merges.find('\n', second_line) - second_line, "zzq r");
    const std::string bad = (dir / "bad.ckpt").string();
    io::write_checkpoint(bad, damaged);
    const auto corrupt = lesson_runner::run("07_attention", data + " --bpe 300 --resume " + bad);
    CHECK(corrupt.exit_code == 1);
    CHECK(corrupt.output.find("07_attention: error: " + bad + " (src_bpe) line 2: symbol 'zzq' is neither") !=
          std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("lesson flags: --bpe is for the translation lessons only, checked like every number", "[bpe][lesson]") {
    const auto negative = lesson_runner::run("07_attention", "--quick --bpe -3");
    CHECK(negative.exit_code == 2);
    CHECK(negative.output.find("--bpe needs a whole number from 0 to") != std::string::npos);
    const auto sentiment = lesson_runner::run("09_self_attentive_sentiment", "--quick --bpe 100");
    CHECK(sentiment.exit_code == 2);
    CHECK(sentiment.output.find("unknown option '--bpe'") != std::string::npos);
    for (const char* lesson : {"06_seq2seq", "07_attention", "08_luong", "10_transformer", "11_decoding"}) {
        const auto help = lesson_runner::run(lesson, "--help");
        INFO(lesson);
        CHECK(help.output.find("--bpe N") != std::string::npos);
    }
}

TEST_CASE("lesson 10_transformer --quick --bpe learns toy en-fr over pieces, scored in words", "[bpe][lesson]") {
    const fs::path dir = scratch("bpe_10");
    const auto run = lesson_runner::run("10_transformer", "--quick --seed 1 --threads 1 --bpe 200 --checkpoint " +
                                                              (dir / "t.ckpt").string());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("bpe_merges") == 200);
    CHECK(run.output.find("BPE, 200 merges asked") != std::string::npos);
    CHECK(run.number("test_bleu") > 0.4);  // an untrained model scores ~0
    check_translations_are_words(run.output, "test split,", "beam search");
    fs::remove_all(dir);
}

TEST_CASE("lesson 08_luong --quick --bpe: the seven scores learn over pieces, their alignments drawn over pieces",
          "[bpe][lesson]") {
    const fs::path dir = scratch("bpe_08");
    const auto run = lesson_runner::run("08_luong", "--quick --seed 1 --threads 1 --bpe 200 --checkpoint " +
                                                        (dir / "luong.ckpt").string());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("bpe_merges") == 200);
    CHECK(run.output.find("BPE, 200 merges asked") != std::string::npos);
    CHECK(run.number("min_test_bleu") > 0.2);  // the worst of the seven; an untrained model scores ~0
    // the figure's rows and columns are pieces (the panels need one label per piece)
    CHECK(run.output.find("08_luong_alignments.png") != std::string::npos);
    CHECK(run.output.find("@@") != std::string::npos);
    check_translations_are_words(run.output, "the general model's first test translations", "seven attention scores");
    fs::remove_all(dir);
}

TEST_CASE("lesson 11_decoding decodes lesson 07's --bpe checkpoint with its merges and refuses another --bpe",
          "[bpe][lesson]") {
    const fs::path dir = scratch("bpe_11");
    const std::string data = " --quick --seed 1 --threads 1 --data " + write_names_file(dir).string();
    const std::string ckpt = (dir / "07.ckpt").string();
    const auto trained = lesson_runner::run("07_attention", data + " --epochs 3 --bpe 300 --checkpoint " + ckpt);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);

    const auto decoded = lesson_runner::run("11_decoding", data + " --bpe 300 --resume " + ckpt + " --epochs 0");
    INFO(decoded.output);
    REQUIRE(decoded.exit_code == 0);
    CHECK(decoded.output.find("(the checkpoint's merges)") != std::string::npos);
    CHECK(decoded.output.find("training 0 epoch(s)") != std::string::npos);
    CHECK(decoded.number("bpe_merges") == 300);
    // Its greedy search is lesson 07's on the same test sentences: the same outputs, joined into
    // words before BLEU (pieces scored against word references would score lower).
    CHECK(decoded.number("test_sentences") == trained.number("test_sentences"));
    CHECK(decoded.number("greedy_bleu") == trained.number("test_bleu"));
    CHECK(decoded.number("greedy_bleu") > 0.3);  // an untrained model scores ~0
    CHECK(decoded.number("k1_greedy_mismatches") == 0);
    CHECK(decoded.number("beam5_mean_log_prob") >= decoded.number("greedy_mean_log_prob"));

    // A run with other BPE settings: one line, naming the checkpoint and both settings, and nothing decoded.
    auto refused = [&](const std::string& bpe, const std::string& expected) {
        const auto run = lesson_runner::run("11_decoding", data + bpe + " --resume " + ckpt + " --epochs 0");
        INFO(run.output);
        CHECK(run.exit_code == 1);
        const size_t error =
            run.output.find("11_decoding: error: --resume " + ckpt + ": trained with --bpe 300, " + expected);
        REQUIRE(error != std::string::npos);
        CHECK(run.output.find('\n', error) == run.output.size() - 1);  // the last line, and one line
        CHECK(run.output.find("decoded") == std::string::npos);
    };
    refused(" --bpe 200", "this run has --bpe 200; resume with the same --bpe");
    refused("", "this run has words (no --bpe)");
    fs::remove_all(dir);
}
