// Tests for byte-pair encoding (tinyattn/data/bpe.hpp): Sennrich et al.'s example by hand, the
// piece convention, UTF-8, unseen words, the incremental learner against the reference, and the
// merges' text form.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tinyattn/data/bpe.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/data/utf8.hpp"
#include "tinyattn/rng.hpp"

using tinyattn::Rng;
using tinyattn::data::Bpe;
using tinyattn::data::learn_bpe;
using tinyattn::data::learn_bpe_reference;
using tinyattn::data::SymbolPair;
using tinyattn::data::tokenize;
using Tokens = std::vector<std::string>;

namespace {

// The dictionary of Sennrich et al. (2016), Figure 1: low 5, lower 2, newest 6, widest 3.
std::vector<Tokens> sennrich_corpus() {
    std::vector<Tokens> sentences;
    for (const auto& [word, count] : {std::pair<std::string, int>{"low", 5}, {"lower", 2}, {"newest", 6}, {"widest", 3}})
        for (int i = 0; i < count; ++i) sentences.push_back({word});
    return sentences;
}

// Sentences of random words over a small alphabet with accents, word frequencies skewed (a few
// words often, many once), so merges compete and ties happen.
std::vector<Tokens> random_corpus(uint64_t seed, int sentences) {
    Rng rng(seed);
    const std::vector<std::string> letters = {"a", "b", "e", "é", "l", "n", "o", "r", "s", "t", "ç"};
    std::vector<std::string> lexicon;
    for (int w = 0; w < 300; ++w) {
        std::string word;
        const int length = rng.randint(1, 9);
        for (int k = 0; k < length; ++k) word += letters[size_t(rng.randint(0, int(letters.size())))];
        lexicon.push_back(word);
    }
    std::vector<Tokens> corpus;
    for (int s = 0; s < sentences; ++s) {
        Tokens sentence;
        const int length = rng.randint(1, 8);
        for (int k = 0; k < length; ++k) {
            // the square of a uniform index favours the start of the lexicon: a long tail
            const float u = rng.uniform();
            sentence.push_back(lexicon[size_t(u * u * float(lexicon.size()))]);
        }
        corpus.push_back(sentence);
    }
    return corpus;
}

Tokens all_words(const std::vector<Tokens>& sentences) {
    std::set<std::string> words;
    for (const Tokens& s : sentences) words.insert(s.begin(), s.end());
    return Tokens(words.begin(), words.end());
}

}  // namespace

TEST_CASE("learn_bpe: Sennrich et al.'s example gives its known first merges", "[bpe]") {
    // Pair counts before the first merge: e s 9, s t 9, t </w> 9 (newest 6 + widest 3), w e 8,
    // l o 7, o w 7, ... The tie at 9 goes to the pair that sorts first, (e, s); then "es t" 9,
    // "est </w>" 9, and l o 7 ties o w 7: (l, o), then (lo, w).
    const std::vector<SymbolPair> first = {{"e", "s"}, {"es", "t"}, {"est", "</w>"}, {"l", "o"}, {"lo", "w"}};
    for (const Bpe& bpe : {learn_bpe(sennrich_corpus(), 10), learn_bpe_reference(sennrich_corpus(), 10)}) {
        REQUIRE(bpe.merges.size() >= first.size());
        CHECK(std::vector<SymbolPair>(bpe.merges.begin(), bpe.merges.begin() + 5) == first);
        // the paper's point: an unseen word is written with learned pieces
        CHECK(bpe.encode_word("lowest") == Tokens{"low@@", "est"});
        CHECK(bpe.encode_word("low") == Tokens{"low"});
        CHECK(bpe.encode_word("newest") == Tokens{"newest"});  // frequent words end up whole
        CHECK(bpe.encode_word("lower") == Tokens{"low@@", "e@@", "r"});
    }
}

TEST_CASE("learn_bpe: stops when no pair occurs twice, and 0 merges gives characters", "[bpe]") {
    const Bpe once = learn_bpe({{"abc"}}, 100);
    CHECK(once.merges.empty());  // every pair occurs once
    CHECK(once.encode_word("abc") == Tokens{"a@@", "b@@", "c"});
    const Bpe none = learn_bpe(sennrich_corpus(), 0);
    CHECK(none.merges.empty());
    CHECK(none.encode_word("low") == Tokens{"l@@", "o@@", "w"});
    // a word seen twice can be merged whole, marker included
    const Bpe twice = learn_bpe({{"ab", "ab"}}, 100);
    CHECK(twice.merges == std::vector<SymbolPair>{{"a", "b"}, {"ab", "</w>"}});
    CHECK(twice.encode_word("ab") == Tokens{"ab"});
}

TEST_CASE("Bpe: decode(encode(words)) gives the words back, punctuation, accents and @ included", "[bpe]") {
    const std::vector<Tokens> corpus = {tokenize("L'élève a mangé une pêche, peut-être deux.", "fr"),
                                        tokenize("Les élèves mangent des pêches à 3.5 euros !", "fr"),
                                        tokenize("Write to me@example.org, don't wait...", "en")};
    const Bpe bpe = learn_bpe(corpus, 40);
    REQUIRE(!bpe.merges.empty());
    for (const Tokens& sentence : corpus) {
        const Tokens pieces = bpe.encode(sentence);
        CHECK(pieces.size() >= sentence.size());
        CHECK(Bpe::decode(pieces) == sentence);
    }
    const Tokens unseen = tokenize("Ça, c'est l'œuvre d'un élève inconnu @ 20h.", "fr");
    CHECK(Bpe::decode(bpe.encode(unseen)) == unseen);
    CHECK(Bpe::decode({"low@@", "er", "@", "a"}) == Tokens{"lower", "@", "a"});
    CHECK(Bpe::decode({"low@@"}) == Tokens{"low"});  // an unfinished output keeps its text
}

TEST_CASE("Bpe: symbols are code points, never bytes of one", "[bpe]") {
    using tinyattn::data::find_invalid_utf8;
    CHECK(tinyattn::data::word_symbols("été") == Tokens{"é", "t", "é", "</w>"});
    std::vector<Tokens> corpus;
    for (int i = 0; i < 5; ++i) corpus.push_back({"été", "élève", "çà", "œuf"});
    const Bpe bpe = learn_bpe(corpus, 50);
    for (const SymbolPair& m : bpe.merges) {
        CHECK(find_invalid_utf8(m.first) == std::string::npos);
        CHECK(find_invalid_utf8(m.second) == std::string::npos);
    }
    // an unseen word of the same letters: every piece is whole UTF-8
    for (const std::string& piece : bpe.encode_word("élèveété")) CHECK(find_invalid_utf8(piece) == std::string::npos);
}

TEST_CASE("Bpe: unseen words split into pieces the training words used", "[bpe]") {
    const std::vector<Tokens> corpus = random_corpus(7, 2000);
    Bpe bpe = learn_bpe(corpus, 200);
    const std::vector<Tokens> training = bpe.encode_sentences(corpus);
    std::set<std::string> training_pieces;
    for (const Tokens& s : training) training_pieces.insert(s.begin(), s.end());
    // New words made by gluing two training words. Without a vocabulary filter some of their
    // pieces may be merges the training words only used inside bigger pieces.
    const Tokens words = all_words(corpus);
    Tokens new_words;
    for (size_t i = 0; i + 1 < words.size(); i += 3)
        if (!std::binary_search(words.begin(), words.end(), words[i] + words[i + 1])) new_words.push_back(words[i] + words[i + 1]);
    REQUIRE(new_words.size() > 50);
    auto count_unknown = [&](const Bpe& b) {
        int unknown = 0;
        for (const std::string& w : new_words)
            for (const std::string& p : b.encode_word(w)) unknown += training_pieces.count(p) == 0;
        return unknown;
    };
    CHECK(count_unknown(bpe) > 0);  // the filter below has something to do
    bpe.known_pieces = training_pieces;
    CHECK(count_unknown(bpe) == 0);
    int split = 0;
    for (const std::string& w : new_words) {
        const Tokens pieces = bpe.encode_word(w);
        split += pieces.size() > 1;
        CHECK(Bpe::decode(pieces) == Tokens{w});
        CHECK(pieces == bpe.encode_word_reference(w));
    }
    CHECK(split == int(new_words.size()));
    // the filter never changes a training word: its pieces are known by definition
    CHECK(bpe.encode_sentences(corpus) == training);
    // a character never seen in training stays a piece of its own: the vocabulary's <unk>
    CHECK(bpe.encode_word("ab€").back() == "€");
}

TEST_CASE("learn_bpe (incremental) == learn_bpe_reference, and encode_word == its reference", "[bpe]") {
    for (uint64_t seed : {1, 2, 3}) {
        const std::vector<Tokens> corpus = random_corpus(seed, 600);
        const Bpe fast = learn_bpe(corpus, 150), plain = learn_bpe_reference(corpus, 150);
        INFO("seed " << seed);
        REQUIRE(fast.merges.size() > 50);
        CHECK(fast.merges == plain.merges);
        for (const std::string& w : all_words(corpus)) CHECK(fast.encode_word(w) == fast.encode_word_reference(w));
        for (const std::string& w : all_words(random_corpus(seed + 100, 50)))  // mostly unseen words
            CHECK(fast.encode_word(w) == fast.encode_word_reference(w));
    }
    // One symbol made by two merges, so a later pair is learned twice: encode_word must apply the
    // second copy when the first one's turn has passed, as the plain walk over the merges does.
    const Bpe twice = Bpe::from_merges({{"a", "b"}, {"ab", "c"}, {"abc", "</w>"}, {"b", "c"}, {"a", "bc"}, {"abc", "</w>"}});
    CHECK(twice.rank.at({"abc", "</w>"}) == std::vector<int>{2, 5});
    for (const std::string w : {"abc", "abbc", "aabc", "bcabc", "cabc"})
        CHECK(twice.encode_word(w) == twice.encode_word_reference(w));
    CHECK(twice.encode_word("abc") == Tokens{"abc"});
}

TEST_CASE("Bpe: merges text round-trips; a corrupt one is refused in one line naming what is wrong", "[bpe]") {
    const Bpe bpe = learn_bpe(sennrich_corpus(), 10);
    const std::string text = bpe.to_text();
    CHECK(text.rfind("#bpe " + std::to_string(bpe.merges.size()) + " merges\ne s\n", 0) == 0);
    const Bpe back = Bpe::from_text(text, "ckpt src_bpe");
    CHECK(back.merges == bpe.merges);
    CHECK(back.encode_word("lowest") == bpe.encode_word("lowest"));
    CHECK(Bpe::from_text("#bpe 0 merges\n", "x").merges.empty());

    auto refused = [](const std::string& corrupt, const std::string& expected) {
        try {
            Bpe::from_text(corrupt, "ckpt src_bpe");
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            INFO(message);
            CHECK(message.find("ckpt src_bpe line") == 0);
            CHECK(message.find(expected) != std::string::npos);
            CHECK(message.find('\n') == std::string::npos);
            return;
        }
        FAIL("accepted: " << corrupt);
    };
    refused("", "line 1: expected the header");
    refused("e s\nes t\n", "line 1: expected the header");
    refused("#bpe two merges\ne s\n", "line 1: the header '#bpe two merges' does not give a whole number");
    refused("#bpe 3 merges\ne s\nes t\n", "line 1: the header says 3 merges, the text holds 2");
    refused("#bpe 2 merges\ne s\nest\n", "line 3: expected two symbols separated by one space, found 'est'");
    refused("#bpe 2 merges\ne s\nes  t\n", "line 3: expected two symbols");
    refused("#bpe 2 merges\ne s\nes t\r\n", "line 3: expected two symbols");
    refused("#bpe 2 merges\ne s\n\n", "line 3: expected two symbols");
    refused("#bpe 2 merges\ne s\nst </w>\n", "line 3: symbol 'st' is neither one character");
    refused("#bpe 1 merges\nt</w> s\n", "line 2: symbol 't</w>' is neither");
    refused("#bpe 2 merges\nt </w>\nt</w> s\n", "line 3: symbol 't</w>' ends a word");
    refused("#bpe 1 merges\n\xC3 s\n", "line 2: symbol");  // a cut UTF-8 byte is no character
}
