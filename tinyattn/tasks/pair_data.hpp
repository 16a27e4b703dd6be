// pair_data.hpp — a translation lesson's data: sentence pairs from the shipped corpus or a
// learner's file, split train/valid/test, vocabularies from the training split, ids.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/tasks/subword_data.hpp"

namespace tinyattn::tasks {

// The --data file format of the translation lessons, for their --help.
inline constexpr const char* kPairDataFormat =
    "a FILE of english<TAB>french[<TAB>attribution] lines (the Tatoeba format,\n"
    "                    CRLF fine), shuffled with --seed and split 80/10/10 with valid and test\n"
    "                    capped at 1,000 pairs each; or a DIRECTORY holding train.tsv, valid.tsv\n"
    "                    and test.tsv. Pairs with a side over 20 tokens are left out (and counted)";

// ---- data ---------------------------------------------------------------------------------

struct PairSplits {
    std::vector<data::SentencePair> train, valid, test;
    std::string name;  // "toy-en-fr", or the user's file name
    std::string src_lang = "en", tgt_lang = "fr";  // the columns' languages (data::tokenize)
};

// `path` is a directory holding train.tsv, valid.tsv and test.tsv (the shipped corpora), or one
// file in the pair format (english<TAB>french[<TAB>attribution], CRLF fine): it is shuffled with
// `seed` and split 80/10/10 (valid and test capped at 1,000 pairs each).
// max_length > 0 keeps only pairs with both sides at most that many tokens and prints how many
// it left out; so a batch is at most 32 × max_length token slots a side, whatever the file holds
// (loading itself is linear in the file). Warns when the test split has < kFewTestPairs pairs.
// src_lang / tgt_lang: the languages of columns 1 and 2, for data::tokenize ("fr" splits elisions).
PairSplits load_translation_corpus(const std::string& path, uint64_t seed, int max_length = 0,
                                   const std::string& src_lang = "en", const std::string& tgt_lang = "fr");

struct EncodedPairs {
    std::vector<std::vector<int>> src;  // ids + <eos>
    std::vector<std::vector<int>> tgt;  // ids, no specials
    std::vector<int> src_lengths;       // src[i].size() (for bucketing)
    size_t size() const { return src.size(); }
};
// With subwords on, each side is first written as its BPE pieces (tasks/subword_data.hpp).
EncodedPairs encode_pairs(const std::vector<data::SentencePair>& pairs, const data::Vocab& src_vocab,
                          const data::Vocab& tgt_vocab, const Subwords& subwords = {});

struct TranslationData {
    PairSplits pairs;                  // words, as the file has them
    data::Vocab src_vocab, tgt_vocab;  // words, or BPE pieces with --bpe
    Subwords subwords;                 // --bpe N's merges (off: words)
    EncodedPairs train, valid, test;
};
// Learns `bpe_merges` BPE merges a side on pairs.train (0: words), builds both vocabularies from
// pairs.train, then encodes every split. A training word (or piece) seen fewer than `min_freq`
// times (or beyond the `max_size` most frequent, 0: no cap) is left out of the vocabulary, so it
// becomes <unk> in the training data too: the <unk> embedding is trained on those rare words and
// means "some rare word" when the model meets a new one. With min_freq 1 every training word is
// kept and <unk> is only ever seen at test time, never trained.
TranslationData prepare_translation(PairSplits pairs, int bpe_merges = 0, int min_freq = 1, int max_size = 0);
// The same with given vocabularies and merges (a resumed run must keep the ids it was trained with).
TranslationData prepare_translation(PairSplits pairs, data::Vocab src_vocab, data::Vocab tgt_vocab,
                                    Subwords subwords = {});

// The longest sentence (tokens, each side) kept from a learner's --data file.
inline constexpr int kOwnDataMaxTokens = 20;
// The --data defaults of the vocabulary (kOwnDataMinFreq, kOwnDataMaxVocab) are in app/lesson_cli.hpp.
// Fewer test pairs than this and BLEU is too coarse to compare models: a warning.
inline constexpr int kFewTestPairs = 50;

// What a translation lesson starts from: --data (at most kOwnDataMaxTokens a side) or the shipped
// corpus datasets/<corpus>, as words or with --bpe N as pieces; with --resume, the checkpoint's
// vocabularies, its BPE merges (refused if not those of --bpe) and its epoch and step counters (the lesson then checks and loads the weights with load_translation_checkpoint).
struct LessonData {
    TranslationData data;
    int first_epoch = 0;
    long step = 0;
    io::Metadata resumed;  // the resumed checkpoint's metadata (empty for a fresh run)
};
LessonData load_lesson_data(const LessonOptions& opt, const std::string& shipped_corpus);

// "<unk> share of tokens: train en 1.2% fr 1.9% · valid en 3.4% fr 4.1% · test en 3.1% fr 4.0%"
void print_unk_shares(const TranslationData& data);

// The training split's fingerprint (tasks/lesson_checkpoint.hpp), stored in checkpoints.
std::string fingerprint(const TranslationData& data);

// The first n examples of a split (quick runs): n >= size keeps all.
EncodedPairs head(const EncodedPairs& pairs, size_t n);

}  // namespace tinyattn::tasks
