// Tests for BLEU, accuracy and exact match (tinyattn/eval/metrics.hpp). BLEU is compared with
// NLTK's corpus_bleu / sentence_bleu on the fixtures written by
// tests/reference/make_bleu_fixtures.py (format described there).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tinyattn/eval/metrics.hpp"

using namespace tinyattn;

namespace {

struct Sentence {
    Tokens hyp;
    std::vector<Tokens> refs;
};

struct BleuCase {
    std::string name, kind;
    int n = 4;
    std::vector<Sentence> sentences;
    double expected = -1;
};

Tokens words_after(const std::string& line, size_t keyword_length) {
    std::istringstream in(line.size() > keyword_length ? line.substr(keyword_length) : "");
    Tokens words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

std::vector<BleuCase> read_fixtures() {
    const std::string path = std::string(TINYATTN_SOURCE_DIR) + "/tests/reference/bleu_fixtures.txt";
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<BleuCase> cases;
    BleuCase current;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const std::string key = line.substr(0, line.find(' '));
        if (key == "case") current = BleuCase{line.substr(5), "", 4, {}, -1};
        else if (key == "kind") current.kind = line.substr(5);
        else if (key == "n") current.n = std::stoi(line.substr(2));
        else if (key == "hyp") current.sentences.push_back({words_after(line, 3), {}});
        else if (key == "ref") current.sentences.back().refs.push_back(words_after(line, 3));
        else if (key == "expected") current.expected = std::stod(line.substr(9));
        else if (key == "end") cases.push_back(current);
        else FAIL("unknown fixture line: " << line);
    }
    return cases;
}

}  // namespace

TEST_CASE("BLEU matches NLTK on the reference fixtures", "[bleu]") {
    const std::vector<BleuCase> cases = read_fixtures();
    REQUIRE(cases.size() >= 20);
    int corpus_cases = 0, sentence_cases = 0;
    for (const BleuCase& c : cases) {
        INFO("case " << c.name);
        REQUIRE(c.expected >= 0);
        double got = -1;
        if (c.kind == "corpus") {
            std::vector<std::vector<Tokens>> refs;
            std::vector<Tokens> hyps;
            for (const Sentence& s : c.sentences) {
                refs.push_back(s.refs);
                hyps.push_back(s.hyp);
            }
            got = corpus_bleu_multi(refs, hyps, c.n).bleu;
            ++corpus_cases;
        } else {
            REQUIRE(c.kind == "sentence");
            REQUIRE(c.sentences.size() == 1);
            got = sentence_bleu_multi(c.sentences[0].refs, c.sentences[0].hyp, c.n);
            ++sentence_cases;
        }
        CHECK(std::abs(got - c.expected) <= 1e-6);
    }
    CHECK(corpus_cases >= 10);
    CHECK(sentence_cases >= 5);
}

TEST_CASE("corpus_bleu: counts, brevity penalty and single-reference overload", "[bleu]") {
    const std::vector<Tokens> refs = {{"the", "cat", "is", "on", "the", "mat"}};
    const std::vector<Tokens> hyps = {{"the", "the", "the"}};
    const BleuResult r = corpus_bleu(refs, hyps);
    // "the" occurs twice in the reference: 3 hypothesis unigrams, 2 count after clipping
    CHECK(r.matches[0] == 2);
    CHECK(r.totals[0] == 3);
    CHECK(r.precisions[0] == Approx(2.0 / 3.0));
    CHECK(r.hyp_length == 3);
    CHECK(r.ref_length == 6);
    CHECK(r.brevity_penalty == Approx(std::exp(1.0 - 6.0 / 3.0)));
    CHECK(r.bleu == 0.0);  // no 3-gram match without smoothing
    CHECK(corpus_bleu(refs, refs).bleu == Approx(1.0));
    CHECK_THROWS(corpus_bleu(refs, {}));
    CHECK_THROWS(corpus_bleu(refs, hyps, 0));
}

TEST_CASE("sentence_bleu: smoothing keeps short partial matches above zero", "[bleu]") {
    const Tokens ref = {"le", "chat", "noir", "dort"};
    const double partial = sentence_bleu(ref, {"le", "chat"});
    CHECK(partial > 0.0);
    CHECK(partial < sentence_bleu(ref, {"le", "chat", "noir"}));
    CHECK(sentence_bleu(ref, ref) == Approx(1.0));
    CHECK(sentence_bleu(ref, {"un", "chien"}) == 0.0);
}

TEST_CASE("bleu_by_length: per-bucket corpus BLEU and counts", "[bleu]") {
    const std::vector<Tokens> refs = {{"a", "b", "c", "d"}, {"e", "f", "g", "h", "i"}, {"j", "k", "l", "m", "n", "o"}};
    const std::vector<Tokens> hyps = {{"a", "b", "c", "d"}, {"x", "y", "z", "w", "v"}, {"j", "k", "l", "m", "n", "o"}};
    const std::vector<int> src_len = {3, 7, 8};
    const auto buckets = bleu_by_length(src_len, refs, hyps, {1, 5, 10, 20});
    REQUIRE(buckets.size() == 3);
    CHECK(buckets[0].lo == 1);
    CHECK(buckets[0].hi == 5);
    CHECK(buckets[0].count == 1);
    CHECK(buckets[0].bleu == Approx(1.0));
    CHECK(buckets[1].count == 2);
    CHECK(buckets[1].bleu == Approx(corpus_bleu({refs[1], refs[2]}, {hyps[1], hyps[2]}).bleu));
    CHECK(buckets[1].bleu < 1.0);
    CHECK(buckets[2].count == 0);
    CHECK(buckets[2].bleu == 0.0);
    CHECK_THROWS_WITH(bleu_by_length({3, 7, 25}, refs, hyps, {1, 5, 10, 20}), Catch::Contains("source length 25"));
    CHECK_THROWS(bleu_by_length(src_len, refs, hyps, {5, 1}));
}

TEST_CASE("accuracy and exact_match", "[bleu]") {
    CHECK(accuracy({1, 0, 1, 1}, {1, 1, 1, 0}) == Approx(0.5));
    CHECK(accuracy({2}, {2}) == 1.0);
    CHECK_THROWS(accuracy({1, 0}, {1}));
    CHECK_THROWS(accuracy({}, {}));
    CHECK(exact_match({{"a", "b"}, {"c"}, {"d"}}, {{"a", "b"}, {"c", "x"}, {"d"}}) == Approx(2.0 / 3.0));
    CHECK_THROWS(exact_match({{"a"}}, {}));
}
