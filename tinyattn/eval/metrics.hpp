// metrics.hpp — how good are the outputs? Accuracy, exact match and BLEU.
//
// BLEU (Papineni et al. 2002) compares a translation with reference translations by counting
// shared n-grams (n = 1..4), on tokenized text:
//   p_n  = clipped n-gram matches / n-grams in the hypotheses, both summed over the corpus
//          ("clipped": a hypothesis n-gram counts at most as often as it occurs in a reference)
//   BP   = 1 if c > r else exp(1 - r / c)   c = total hypothesis length, r = total length of the
//          reference closest in length to each hypothesis (ties: the shorter one)
//   BLEU = BP * exp( (1/N) * sum_n log p_n )          (N = 4: "BLEU-4")
// Corpus BLEU sums the counts first and divides once; it is *not* the mean of sentence BLEUs.
// It is 0 as soon as some p_n is 0, which is common for a single short sentence, so
// sentence_bleu() smooths: a p_n with no matches becomes epsilon / (its n-gram count)
// (NLTK's SmoothingFunction().method1, epsilon = 0.1).
//
// These functions reproduce nltk.translate.bleu_score.corpus_bleu / sentence_bleu exactly,
// checked on committed fixtures (tests/reference/bleu_fixtures.txt), including NLTK's detail
// that a hypothesis shorter than n still counts 1 in the denominator of p_n, and its rule that
// BLEU is 0 when there is no unigram match at all (even when smoothed). Without smoothing NLTK
// returns ~1e-77 when a higher-order p_n is 0; we return exactly 0.
//
// One scale across the project: BLEU is a number from 0 to 1, as NLTK returns it (sacreBLEU and
// most papers multiply by 100: 0.27 here is "27 BLEU" there). Lessons print, report and plot it so.
#pragma once
#include <string>
#include <vector>

namespace tinyattn {

using Tokens = std::vector<std::string>;

struct BleuResult {
    double bleu = 0.0;                 // in [0, 1]; multiply by 100 for the usual "BLEU = 27.3"
    std::vector<double> precisions;    // p_1 .. p_N (unsmoothed)
    std::vector<long> matches, totals; // their numerators and denominators
    double brevity_penalty = 0.0;
    long hyp_length = 0, ref_length = 0;
};

// references[i] is the list of reference translations of hypotheses[i].
BleuResult corpus_bleu_multi(const std::vector<std::vector<Tokens>>& references, const std::vector<Tokens>& hypotheses,
                             int max_n = 4);
// One reference per hypothesis.
BleuResult corpus_bleu(const std::vector<Tokens>& references, const std::vector<Tokens>& hypotheses, int max_n = 4);

// Smoothed sentence BLEU (NLTK method1: zero-match precisions become epsilon / count).
double sentence_bleu_multi(const std::vector<Tokens>& references, const Tokens& hypothesis, int max_n = 4,
                           double epsilon = 0.1);
double sentence_bleu(const Tokens& reference, const Tokens& hypothesis, int max_n = 4, double epsilon = 0.1);

// Corpus BLEU of the sentences whose source length falls in [lo, hi), for each pair of
// consecutive bucket edges: edges {1, 5, 10, 20} -> buckets [1,5) [5,10) [10,20).
// A source length outside [edges.front(), edges.back()) is an error.
struct BleuBucket {
    int lo = 0, hi = 0;
    int count = 0;        // sentences in the bucket
    double bleu = 0.0;    // 0 for an empty bucket
};
std::vector<BleuBucket> bleu_by_length(const std::vector<int>& source_lengths, const std::vector<Tokens>& references,
                                       const std::vector<Tokens>& hypotheses, const std::vector<int>& edges,
                                       int max_n = 4);

// Fraction of predictions equal to their label.
double accuracy(const std::vector<int>& predictions, const std::vector<int>& labels);
// Fraction of hypotheses identical (token for token) to their reference.
double exact_match(const std::vector<Tokens>& references, const std::vector<Tokens>& hypotheses);

}  // namespace tinyattn
