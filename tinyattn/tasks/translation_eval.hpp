// translation_eval.hpp — translating with a trained seq2seq model and scoring it: greedy
// translations, corpus BLEU-4 (0 to 1) and exact match on a split, BLEU by source length, the
// lines and figures the lessons print.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/eval/metrics.hpp"
#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/plot/curves.hpp"
#include "tinyattn/plot/matrix.hpp"
#include "tinyattn/tasks/pair_data.hpp"

namespace tinyattn::tasks {

// ---- translating and scoring ------------------------------------------------------------------

struct Translation {
    Tokens src, ref, hyp;                    // words; hyp: the greedy output without <eos>
    Tokens src_pieces, hyp_pieces;           // with --bpe: what the model read and wrote (else empty)
    Tokens src_shown;                        // src with the words the model reads as <unk> marked ⟨unk:word⟩
    plot::Matrix attention;                  // one row per output step (incl. the <eos> step),
                                             // one column per source token (incl. <eos>); empty without attention
    Tokens src_labels() const;               // src (or src_pieces) + "<eos>", the columns of `attention`
    Tokens hyp_labels() const;               // hyp (or hyp_pieces) + "<eos>" (if it ended), the rows
};

// The attention of pair i with teacher forcing on its reference: rows = reference + <eos>,
// columns = source + <eos>. The rows stay the same from epoch to epoch and from model to model,
// so figures can compare alignments as training goes on (07) or across attention variants (08).
plot::Matrix teacher_forced_attention(const models::Seq2Seq& model, const EncodedPairs& pairs, int i);
// Its labels for a pair: the source (columns) and the reference (rows) as the model reads them,
// words or with --bpe pieces, each followed by <eos>.
struct AlignmentLabels {
    Tokens columns, rows;
};
AlignmentLabels teacher_forced_labels(const TranslationData& data, const data::SentencePair& pair);

// Greedy decoding of one tokenized sentence (unknown words -> <unk>), at most 2·len + 10 steps.
Translation translate(const models::Seq2Seq& model, const data::Vocab& src_vocab, const data::Vocab& tgt_vocab,
                      const Tokens& src, const Tokens& ref = {});
// The same for a lesson's data: with --bpe the words go in as pieces and the output pieces come
// back as words (src_pieces and hyp_pieces keep what the model saw).
Translation translate(const models::Seq2Seq& model, const TranslationData& data, const Tokens& src,
                      const Tokens& ref = {});
// Fills src_pieces/hyp_pieces from a translation made on pieces, and turns src, ref, hyp into words.
void pieces_to_words(Translation& t, const Subwords& subwords, const Tokens& src_words, const Tokens& ref_words);

struct TranslationEval {
    double bleu = 0.0;            // corpus BLEU-4 in [0, 1]
    double exact_match = 0.0;     // fraction of outputs identical to the reference
    int sentences = 0;
    std::vector<BleuBucket> buckets;  // corpus BLEU by source length (tokens, without <eos>); empty buckets left out
    std::vector<Translation> translations;
    double seconds = 0.0;
    std::string src_lang = "en", tgt_lang = "fr";  // the corpus' languages, for the printed labels
    // The sentences whose source has a word the model reads as <unk>, and corpus BLEU on them and
    // on the others (0 for an empty group): rare words are where a small model fails first.
    int with_unk = 0;
    double bleu_with_unk = 0.0, bleu_without_unk = 0.0;
};

// Source-length bucket edges for a test split: {4, 6, 8, 10, 12, 16} for toy-en-fr; longer
// corpora get one more bucket up to their longest sentence, shorter ones start lower.
std::vector<int> length_edges(const std::vector<data::SentencePair>& test);

// The words with those the model reads as <unk> shown ⟨unk:word⟩: a word not in the vocabulary,
// or with --bpe a word with a piece not in it. `source`: the source side's vocabulary, else the target's.
Tokens mark_unknown_words(const Tokens& words, const TranslationData& data, bool source);
// Fills each translation's src_shown, the languages, and with_unk / bleu_with_unk / bleu_without_unk
// (every evaluation calls it after translating; lesson 10 for its Transformer too).
void score_unknown_words(TranslationEval& eval, const TranslationData& data);

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
// Writes the evaluated sentences as a TSV with a header, one line per sentence:
//     source<TAB>reference<TAB>output
// tokens joined by spaces, the words unknown to the model marked ⟨unk:word⟩ in source and reference.
void write_translations(const std::string& path, const TranslationEval& eval, const TranslationData& data);
// The first two cells of such a line, "source<TAB>reference" (lesson 11 adds one output per search).
std::string source_reference_cells(const Tokens& src, const Tokens& ref, const TranslationData& data);
// What every translation lesson keeps of its test run: writes <plots>/<lesson>_test_predictions.tsv
// (write_translations, listed at the end by print_outputs) and sets the report keys
// test_sentences_with_unk, test_bleu_with_unk, test_bleu_without_unk.
void save_test_results(Report& report, const LessonOptions& opt, const std::string& lesson,
                       const TranslationData& data, const TranslationEval& eval);

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

// True when an English sentence of the toy corpus has one of its adjectives, which French puts
// AFTER the noun ("quiet hospitals" -> "hôpitaux calmes"; the toy grammar's list, datasets/README.md):
// a reordering the alignment must follow. (Lessons 07 and 08 pick and score their reordering sentences with it.)
bool has_postnominal_adjective(const Tokens& en);

}  // namespace tinyattn::tasks
