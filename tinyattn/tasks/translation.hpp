// translation.hpp — the plumbing every translation lesson shares (06, 07, 08, 11):
// load a pair corpus, build vocabularies, train one epoch, translate, and score on the test split.
//
// The lessons keep the interesting part (which model, what to plot) and call these for the rest:
//
//     PairSplits pairs = load_translation_corpus(opt.data.empty() ? shipped_dir : opt.data, opt.seed);
//     TranslationData data = prepare_translation(std::move(pairs));
//     models::Seq2Seq model({.src_vocab = data.src_vocab.size(), .tgt_vocab = data.tgt_vocab.size()});
//     optim::Adam adam(model.parameters(), 2e-3);
//     for (epoch ...) train_epoch(model, adam, data.train, cfg, epoch, progress, step);
//     TranslationEval eval = evaluate_translation(model, data, data.pairs.test.size());
//
// Conventions: sources are encoded with <eos> appended (the decoder can attend to "the end" when
// it decides to stop); targets without specials (collate_pairs adds <bos>/<eos>). Vocabularies
// come from the TRAIN split only, so test words never seen in training become <unk> — as they
// would for any new sentence. BLEU is corpus BLEU-4 on the tokenized test split.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/eval/metrics.hpp"
#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/plot/curves.hpp"
#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::tasks {

// The --data file format of the translation lessons, for their --help.
inline constexpr const char* kPairDataFormat =
    "english<TAB>french[<TAB>attribution] sentence pairs (the Tatoeba format), split 80/10/10; "
    "pairs with a side over 20 tokens are left out (and counted)";

// ---- data ---------------------------------------------------------------------------------

struct PairSplits {
    std::vector<data::SentencePair> train, valid, test;
    std::string name;  // "toy-en-fr", or the user's file name
};

// `path` is a directory holding train.tsv, valid.tsv and test.tsv (the shipped corpora), or one
// file in the pair format (english<TAB>french[<TAB>attribution], CRLF fine): it is shuffled with
// `seed` and split 80/10/10 (valid and test capped at 1,000 pairs each).
// max_length > 0 keeps only pairs with both sides at most that many tokens and prints how many
// it left out; so a batch is at most 32 × max_length token slots a side, whatever the file holds
// (loading itself is linear in the file). Warns when the test split has < kFewTestPairs pairs.
PairSplits load_translation_corpus(const std::string& path, uint64_t seed, int max_length = 0);

struct EncodedPairs {
    std::vector<std::vector<int>> src;  // ids + <eos>
    std::vector<std::vector<int>> tgt;  // ids, no specials
    std::vector<int> src_lengths;       // src[i].size() (for bucketing)
    size_t size() const { return src.size(); }
};
EncodedPairs encode_pairs(const std::vector<data::SentencePair>& pairs, const data::Vocab& src_vocab,
                          const data::Vocab& tgt_vocab);

struct TranslationData {
    PairSplits pairs;
    data::Vocab src_vocab, tgt_vocab;
    EncodedPairs train, valid, test;
};
// Builds both vocabularies from pairs.train (min_freq 1), then encodes every split.
TranslationData prepare_translation(PairSplits pairs);
// The same with given vocabularies (a resumed run must keep the ids it was trained with).
TranslationData prepare_translation(PairSplits pairs, data::Vocab src_vocab, data::Vocab tgt_vocab);

// The longest sentence (tokens, each side) kept from a learner's --data file.
inline constexpr int kOwnDataMaxTokens = 20;
// Fewer test pairs than this and BLEU is too coarse to compare models: a warning.
inline constexpr int kFewTestPairs = 50;

// What a translation lesson starts from: --data (at most kOwnDataMaxTokens a side) or the shipped
// corpus datasets/<corpus>; with --resume, the checkpoint's vocabularies and its epoch and step
// counters (the lesson then checks and loads the weights with load_translation_checkpoint).
struct LessonData {
    TranslationData data;
    int first_epoch = 0;
    long step = 0;
};
LessonData load_lesson_data(const LessonOptions& opt, const std::string& shipped_corpus);

// The training split's fingerprint (tasks/lesson_checkpoint.hpp), stored in checkpoints.
std::string fingerprint(const TranslationData& data);

// The first n examples of a split (quick runs): n >= size keeps all.
EncodedPairs head(const EncodedPairs& pairs, size_t n);

// ---- training -------------------------------------------------------------------------------

struct TrainConfig {
    int batch_size = 32;
    double clip_norm = 1.0;   // clip_grad_norm before every step (0: off)
    uint64_t seed = 1;        // batch order: make_batches(..., seed, epoch)
    io::Metadata model_config = {};  // what checkpoints record of the model (empty: seq2seq_config)
};

int batches_per_epoch(const EncodedPairs& train, int batch_size);

// One pass over `train` in seeded, length-bucketed batches: zero_grad, loss, backward, clip,
// step. Reports every step to `progress` and counts `step`. Returns the mean loss per token.
double train_epoch(const models::Seq2Seq& model, optim::Optimizer& optimizer, const EncodedPairs& train,
                   const TrainConfig& config, int epoch, Progress& progress, long& step);

// Trains epochs first_epoch, first_epoch + 1, ..., epochs - 1: `epochs` is the TOTAL (a resumed
// run continues the numbering, so its batch order is what an uninterrupted run would have seen;
// at first_epoch >= epochs it says "nothing to train" and returns 0). After each epoch saves a
// checkpoint to `checkpoint` (if not empty) and calls after_epoch(epochs done so far). Ctrl-C
// saves and exits 130. Returns the last epoch's mean training loss per token.
double train_epochs(const models::Seq2Seq& model, optim::Optimizer& optimizer, const TranslationData& data,
                    const EncodedPairs& train, const TrainConfig& config, const std::string& lesson,
                    const std::string& checkpoint, int first_epoch, int epochs, long& step,
                    const std::function<void(int)>& after_epoch = {});

// ---- translating and scoring ------------------------------------------------------------------

struct Translation {
    Tokens src, ref, hyp;                    // hyp: the greedy output without <eos>
    plot::Matrix attention;                  // one row per output step (incl. the <eos> step),
                                             // one column per source token (incl. <eos>); empty without attention
    Tokens src_labels() const;               // src + "<eos>", the columns of `attention`
    Tokens hyp_labels() const;               // hyp + "<eos>" (if it ended), the rows
};

// The attention of pair i with teacher forcing on its reference: rows = reference + <eos>,
// columns = source + <eos>. The rows stay the same from epoch to epoch and from model to model,
// so figures can compare alignments as training goes on (07) or across attention variants (08).
plot::Matrix teacher_forced_attention(const models::Seq2Seq& model, const EncodedPairs& pairs, int i);

// Greedy decoding of one tokenized sentence (unknown words -> <unk>), at most 2·len + 10 steps.
Translation translate(const models::Seq2Seq& model, const data::Vocab& src_vocab, const data::Vocab& tgt_vocab,
                      const Tokens& src, const Tokens& ref = {});

struct TranslationEval {
    double bleu = 0.0;            // corpus BLEU-4 in [0, 1]
    double exact_match = 0.0;     // fraction of outputs identical to the reference
    int sentences = 0;
    std::vector<BleuBucket> buckets;  // corpus BLEU by source length (tokens, without <eos>); empty buckets left out
    std::vector<Translation> translations;
    double seconds = 0.0;
};

// Source-length bucket edges for a test split: {4, 6, 8, 10, 12, 16} for toy-en-fr; longer
// corpora get one more bucket up to their longest sentence, shorter ones start lower.
std::vector<int> length_edges(const std::vector<data::SentencePair>& test);

// Greedy-decodes the first `max_sentences` pairs of `split` and scores them against their references.
TranslationEval evaluate_pairs(const models::Seq2Seq& model, const TranslationData& data,
                               const std::vector<data::SentencePair>& split, size_t max_sentences,
                               const std::vector<int>& edges);
// The same on the held-out test split — the numbers a lesson reports.
TranslationEval evaluate_translation(const models::Seq2Seq& model, const TranslationData& data,
                                     size_t max_sentences, const std::vector<int>& edges);

// Prints the first n translations of an evaluation: source, reference, output (✓ when equal).
void print_translations(const TranslationEval& eval, int n);
// Prints "test split, N sentences, greedy decoding: corpus BLEU-4 …, exact match …" and n examples.
void print_test_results(const TranslationEval& eval, int n);
// Prints "trained epoch(s) F to E of E (S steps in all) in M:SS; mean training loss of the last
// epoch L" (nothing when no epoch was trained).
void print_training_summary(int first_epoch, int epochs, long steps, double seconds, double loss);

// "4-5", "12-15": the bucket's source lengths, for figure labels; bucket_labels adds the counts: "4-5 (212)".
std::string bucket_label(const BleuBucket& bucket);
std::vector<std::string> bucket_labels(const std::vector<BleuBucket>& buckets);

// The BLEU-by-length bar chart (plot::bucket_bars, BLEU on the project's one scale, 0 to 1), one series per model, each with one
// BLEU per bucket of `buckets`. Returns the terminal view. When every value is 0 (an untrained
// model, a tiny --data file) it draws nothing and says so: gnuplot cannot scale an all-zero chart.
std::string plot_bleu_by_length(const std::string& path, const std::string& title,
                                const std::vector<BleuBucket>& buckets, const std::vector<plot::Series>& series);

// BLEU-by-length results as a small TSV (corpus name, then lo hi count bleu per line), so lesson 07
// can draw lesson 06's numbers beside its own. read_buckets returns {} if the file is missing or
// was written for another corpus.
void write_buckets(const std::string& path, const std::string& corpus, const std::vector<BleuBucket>& buckets);
std::vector<BleuBucket> read_buckets(const std::string& path, const std::string& corpus);

// ---- checkpoints ------------------------------------------------------------------------------

// The Seq2Seq configuration as checkpoint metadata: {"embedding_dim", "hidden_size", "attention"}.
io::Metadata seq2seq_config(const models::Seq2SeqConfig& config);

// Saves ONE self-contained file (tasks/lesson_checkpoint.hpp): model + optimizer, and in the
// metadata the lesson, `model_config`, the data fingerprint, epoch, step, both vocabularies and
// the global RNG. An empty path saves nothing.
void save_translation_checkpoint(const std::string& path, const nn::Module& model, const io::Metadata& model_config,
                                 const optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::string& lesson, int epoch, long step);
// Refuses (one line, nothing changed) a checkpoint of a lesson not in `lessons`, of another
// configuration or of other data; else loads the weights, the optimizer state and the global RNG.
void load_translation_checkpoint(const std::string& path, nn::Module& model, const io::Metadata& model_config,
                                 optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::vector<std::string>& lessons);

// What a checkpoint says before the model exists: its vocabularies and counters.
struct ResumeInfo {
    data::Vocab src_vocab, tgt_vocab;
    int epoch = 0;
    long step = 0;
    io::Metadata metadata;
};
ResumeInfo read_resume_info(const std::string& path);

}  // namespace tinyattn::tasks
