// metrics.cpp — BLEU (NLTK-compatible), accuracy, exact match (see metrics.hpp).
#include "tinyattn/eval/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <unordered_map>

namespace tinyattn {

namespace {

// n-gram -> count. An n-gram is stored as its tokens joined by '\x1f' (unit separator).
using NgramCounts = std::unordered_map<std::string, int>;

NgramCounts count_ngrams(const Tokens& tokens, int n) {
    NgramCounts counts;
    for (size_t start = 0; start + size_t(n) <= tokens.size(); ++start) {
        std::string key = tokens[start];
        for (size_t k = 1; k < size_t(n); ++k) key += '\x1f' + tokens[start + k];
        ++counts[key];
    }
    return counts;
}

// The running sums of a corpus BLEU.
struct BleuCounts {
    std::vector<long> matches, totals;
    long hyp_length = 0, ref_length = 0;
};

// Add one hypothesis and its references to the sums.
void add_sentence(const std::vector<Tokens>& references, const Tokens& hypothesis, BleuCounts& sums) {
    if (references.empty()) throw std::invalid_argument("corpus_bleu: a hypothesis has no reference");
    for (size_t n = 1; n <= sums.matches.size(); ++n) {
        const NgramCounts hyp = count_ngrams(hypothesis, int(n));
        // the most times each hypothesis n-gram occurs in any one reference
        NgramCounts max_ref;
        for (const Tokens& reference : references)
            for (const auto& [ngram, count] : count_ngrams(reference, int(n)))
                if (hyp.count(ngram)) max_ref[ngram] = std::max(max_ref[ngram], count);
        long matched = 0, total = 0;
        for (const auto& [ngram, count] : hyp) {
            matched += std::min(count, max_ref[ngram]);  // clipping
            total += count;
        }
        sums.matches[n - 1] += matched;
        sums.totals[n - 1] += std::max(1L, total);  // NLTK: at least 1, even for a too-short hypothesis
    }
    // closest reference length; on a tie, the shorter reference
    const long c = long(hypothesis.size());
    long closest = long(references[0].size());
    for (const Tokens& reference : references) {
        const long r = long(reference.size());
        if (std::labs(r - c) < std::labs(closest - c) || (std::labs(r - c) == std::labs(closest - c) && r < closest))
            closest = r;
    }
    sums.hyp_length += c;
    sums.ref_length += closest;
}

// BP * exp(mean log p_n); zero-match precisions are replaced by epsilon / total if smoothing.
BleuResult finish(const BleuCounts& sums, bool smooth, double epsilon) {
    BleuResult result;
    result.matches = sums.matches;
    result.totals = sums.totals;
    result.hyp_length = sums.hyp_length;
    result.ref_length = sums.ref_length;
    const double c = double(sums.hyp_length), r = double(sums.ref_length);
    result.brevity_penalty = c > r ? 1.0 : (c == 0 ? 0.0 : std::exp(1.0 - r / c));
    const int N = int(sums.matches.size());
    double log_sum = 0.0;
    bool zero = sums.matches[0] == 0;  // no unigram match: BLEU 0, smoothed or not (as NLTK)
    for (int n = 0; n < N; ++n) {
        double p = double(sums.matches[size_t(n)]) / double(sums.totals[size_t(n)]);
        result.precisions.push_back(p);
        if (sums.matches[size_t(n)] == 0) {
            if (!smooth) zero = true;
            p = epsilon / double(sums.totals[size_t(n)]);
        }
        log_sum += std::log(p) / N;
    }
    result.bleu = zero ? 0.0 : result.brevity_penalty * std::exp(log_sum);
    return result;
}

BleuCounts empty_counts(int max_n, const char* who) {
    if (max_n < 1) throw std::invalid_argument(std::string(who) + ": max_n must be >= 1, got " + std::to_string(max_n));
    BleuCounts sums;
    sums.matches.assign(size_t(max_n), 0);
    sums.totals.assign(size_t(max_n), 0);
    return sums;
}

void check_sizes(size_t references, size_t hypotheses, const char* who) {
    if (references != hypotheses)
        throw std::invalid_argument(std::string(who) + ": " + std::to_string(hypotheses) + " hypotheses but " +
                                    std::to_string(references) + " references");
}

}  // namespace

BleuResult corpus_bleu_multi(const std::vector<std::vector<Tokens>>& references, const std::vector<Tokens>& hypotheses,
                             int max_n) {
    check_sizes(references.size(), hypotheses.size(), "corpus_bleu");
    BleuCounts sums = empty_counts(max_n, "corpus_bleu");
    for (size_t i = 0; i < hypotheses.size(); ++i) add_sentence(references[i], hypotheses[i], sums);
    return finish(sums, false, 0.0);
}

BleuResult corpus_bleu(const std::vector<Tokens>& references, const std::vector<Tokens>& hypotheses, int max_n) {
    check_sizes(references.size(), hypotheses.size(), "corpus_bleu");
    std::vector<std::vector<Tokens>> wrapped;
    for (const Tokens& r : references) wrapped.push_back({r});
    return corpus_bleu_multi(wrapped, hypotheses, max_n);
}

double sentence_bleu_multi(const std::vector<Tokens>& references, const Tokens& hypothesis, int max_n, double epsilon) {
    BleuCounts sums = empty_counts(max_n, "sentence_bleu");
    add_sentence(references, hypothesis, sums);
    return finish(sums, true, epsilon).bleu;
}

double sentence_bleu(const Tokens& reference, const Tokens& hypothesis, int max_n, double epsilon) {
    return sentence_bleu_multi({reference}, hypothesis, max_n, epsilon);
}

std::vector<BleuBucket> bleu_by_length(const std::vector<int>& source_lengths, const std::vector<Tokens>& references,
                                       const std::vector<Tokens>& hypotheses, const std::vector<int>& edges, int max_n) {
    check_sizes(references.size(), hypotheses.size(), "bleu_by_length");
    check_sizes(source_lengths.size(), hypotheses.size(), "bleu_by_length (source lengths)");
    if (edges.size() < 2 || !std::is_sorted(edges.begin(), edges.end()) ||
        std::adjacent_find(edges.begin(), edges.end()) != edges.end())
        throw std::invalid_argument("bleu_by_length: edges must be at least 2 strictly increasing numbers");
    std::vector<std::vector<Tokens>> refs(edges.size() - 1), hyps(edges.size() - 1);
    for (size_t i = 0; i < hypotheses.size(); ++i) {
        const int len = source_lengths[i];
        if (len < edges.front() || len >= edges.back())
            throw std::invalid_argument("bleu_by_length: source length " + std::to_string(len) + " of sentence " +
                                        std::to_string(i) + " is outside the bucket edges [" +
                                        std::to_string(edges.front()) + ", " + std::to_string(edges.back()) + ")");
        const size_t b = size_t(std::upper_bound(edges.begin(), edges.end(), len) - edges.begin()) - 1;
        refs[b].push_back(references[i]);
        hyps[b].push_back(hypotheses[i]);
    }
    std::vector<BleuBucket> buckets;
    for (size_t b = 0; b + 1 < edges.size(); ++b) {
        BleuBucket bucket;
        bucket.lo = edges[b];
        bucket.hi = edges[b + 1];
        bucket.count = int(hyps[b].size());
        bucket.bleu = hyps[b].empty() ? 0.0 : corpus_bleu(refs[b], hyps[b], max_n).bleu;
        buckets.push_back(bucket);
    }
    return buckets;
}

double accuracy(const std::vector<int>& predictions, const std::vector<int>& labels) {
    check_sizes(labels.size(), predictions.size(), "accuracy");
    if (labels.empty()) throw std::invalid_argument("accuracy: no predictions");
    long correct = 0;
    for (size_t i = 0; i < labels.size(); ++i) correct += predictions[i] == labels[i];
    return double(correct) / double(labels.size());
}

double exact_match(const std::vector<Tokens>& references, const std::vector<Tokens>& hypotheses) {
    check_sizes(references.size(), hypotheses.size(), "exact_match");
    if (references.empty()) throw std::invalid_argument("exact_match: no hypotheses");
    long same = 0;
    for (size_t i = 0; i < references.size(); ++i) same += references[i] == hypotheses[i];
    return double(same) / double(references.size());
}

}  // namespace tinyattn
