// gen_real_sentiment.cpp — writes one labelled-sentence file that LOOKS like a real review
// corpus (the format lessons 05 and 09 read with --data: `text<TAB>label`): raw sentences with
// capitals, punctuation and contractions (wasn't, didn't, I'd), a long Zipf tail of rare words,
// and labels that a bag of words cannot always get right, because negation flips them.
//
// The words are invented (invented_lexicon.hpp) behind a head of real ones: the things reviewed
// ("the battery", "the plot", then thousands of invented nouns) and the sentiment adjectives
// ("great", "awful", then invented ones, each positive or negative for good). A rare invented
// adjective is seen a few times or once, so its polarity can only be guessed from the sentence —
// as with a real rare word. Each sentence is one of:
//   plain      the adjectives agree with the label      The battery was great.            pos
//   negation   not / never / didn't flip the adjective  The plot wasn't boring at all.    pos
//                                                       I didn't like the brelmot.         neg
//   contrast   the clause after "but" decides           The food was bad, but the staff was lovely.  pos
//   verdict    a fixed phrase                           I wouldn't recommend it.           neg
// The labels are balanced (each is drawn first, then a sentence for it). What it does NOT
// model: sarcasm, mixed or neutral reviews, label noise.
//
// usage: gen_real_sentiment [--sentences 10000] [--seed 1] [--out real_sentiment.tsv]
//        [--nouns 5000] [--adjectives 3000] [--names 300] [--zipf 1.2] [--phenomena 0]
// --phenomena 1 adds a third column (plain / negation / contrast / verdict), which the lessons
// read to report accuracy per phenomenon.
#include "invented_lexicon.hpp"

#include "tinyattn/data/tokenizer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unordered_set>

using tinyattn::Rng;
using Tokens = std::vector<std::string>;

namespace {

bool chance(Rng& rng, int percent) { return rng.randint(0, 100) < percent; }

const std::vector<std::string> kRealNouns = {"movie", "food",  "battery", "plot",  "service", "phone", "acting",
                                             "story", "staff", "price",   "screen", "music",  "ending", "room"};
const std::vector<std::string> kRealPositive = {"good",  "great",     "excellent", "wonderful", "amazing", "nice",
                                                "fun",   "perfect",   "lovely",    "brilliant", "fantastic"};
const std::vector<std::string> kRealNegative = {"bad",   "terrible", "awful", "boring", "poor", "horrible",
                                                "dull",  "disappointing", "weak", "bland", "mediocre"};

// A list of words drawn with Zipf frequencies, the real ones first.
struct WordList {
    std::vector<std::string> words;
    gen::Zipf rank;
    const std::string& draw(Rng& rng) const { return words[size_t(rank.sample(rng))]; }
};

// `suffixes`: one is drawn for each invented word ("brelmotful", "brelmotish"); adjectives of both
// polarities draw from the same ones, so a suffix says nothing about the label.
WordList word_list(Rng& rng, std::vector<std::string> head, const std::vector<gen::WordPair>& tail,
                   const std::vector<std::string>& suffixes, double s) {
    for (const gen::WordPair& w : tail) head.push_back(w.en + suffixes[size_t(rng.randint(0, int(suffixes.size())))]);
    const int n = int(head.size());
    return {std::move(head), gen::Zipf(n, s)};
}

struct Lexicon {
    WordList nouns, positive, negative, names;
    const WordList& polar(bool positive_word) const { return positive_word ? positive : negative; }
};

// "the battery", "Tom's phone", "the plot of the brelmot"
Tokens thing(const Lexicon& lex, Rng& rng) {
    Tokens t = {chance(rng, 85) ? "the" : chance(rng, 50) ? "this" : lex.names.draw(rng) + "'s", lex.nouns.draw(rng)};
    if (chance(rng, 12)) t.insert(t.end(), {"of", "the", lex.nouns.draw(rng)});
    return t;
}

void append(Tokens& a, const Tokens& b) { a.insert(a.end(), b.begin(), b.end()); }

// "the battery was great" / "the battery wasn't great" (with "really", "at all" now and then).
Tokens clause(const Lexicon& lex, Rng& rng, bool positive_word, bool negated) {
    Tokens t = thing(lex, rng);
    const bool past = chance(rng, 60);
    if (negated) append(t, chance(rng, 60) ? Tokens{past ? "wasn't" : "isn't"} : Tokens{past ? "was" : "is", "not"});
    else t.push_back(past ? "was" : "is");
    if (!negated && chance(rng, 20)) t.push_back(chance(rng, 50) ? "really" : "very");
    t.push_back(lex.polar(positive_word).draw(rng));
    if (negated && chance(rng, 25)) append(t, {"at", "all"});
    return t;
}

// One sentence for the label; `phenomenon` says which rule decided it.
Tokens sentence(const Lexicon& lex, Rng& rng, const bool positive, std::string& phenomenon) {
    const int kind = rng.randint(0, 100);
    Tokens t;
    if (kind < 40) {
        phenomenon = "plain";
        if (chance(rng, 70)) {
            t = clause(lex, rng, positive, false);
        } else {  // "Absolutely great brelmot!" / "I loved the plot."
            if (chance(rng, 50)) t = {chance(rng, 50) ? "absolutely" : "such", "a", lex.polar(positive).draw(rng), lex.nouns.draw(rng)};
            else append(t = {"I", positive ? "loved" : "hated"}, thing(lex, rng));
        }
    } else if (kind < 70) {
        phenomenon = "negation";
        if (chance(rng, 60)) {
            t = clause(lex, rng, !positive, true);
        } else if (chance(rng, 50)) {  // I didn't like the plot. / I didn't hate it.
            t = {"I", chance(rng, 60) ? "didn't" : "did", positive ? "hate" : "like"};
            if (t[1] == "did") t.insert(t.begin() + 2, "not");
            append(t, chance(rng, 30) ? Tokens{"it"} : thing(lex, rng));
        } else {  // I don't think the plot is boring.
            t = {"I", "don't", "think"};
            Tokens c = thing(lex, rng);
            append(c, {"is", lex.polar(!positive).draw(rng)});
            append(t, c);
        }
    } else if (kind < 92) {
        phenomenon = "contrast";
        const bool first = chance(rng, 50);  // the first clause may agree or not: only the second decides
        if (chance(rng, 70)) {
            t = clause(lex, rng, first, false);
            append(t, {",", "but"});
            const bool negated = chance(rng, 20);  // "..., but the staff wasn't rude."
            append(t, clause(lex, rng, negated ? !positive : positive, negated));
        } else {
            t = {"although"};
            append(t, clause(lex, rng, first, false));
            t.push_back(",");
            append(t, clause(lex, rng, positive, false));
        }
    } else {
        phenomenon = "verdict";
        static const std::vector<Tokens> kPositive = {{"I'd", "recommend", "it"}, {"would", "buy", "again"},
                                                      {"worth", "every", "penny"}, {"I", "can't", "wait", "to", "go", "back"}};
        static const std::vector<Tokens> kNegative = {{"I", "wouldn't", "recommend", "it"}, {"don't", "waste", "your", "money"},
                                                      {"never", "again"}, {"I", "won't", "go", "back"}};
        t = (positive ? kPositive : kNegative)[size_t(rng.randint(0, 4))];
        if (t.back() == "it" && chance(rng, 80)) {  // I'd recommend the brelmot.
            t.pop_back();
            append(t, thing(lex, rng));
        }
    }
    t.push_back(chance(rng, 15) ? "!" : ".");
    return t;
}

// Capital first letter; no space before . , !
std::string render(const Tokens& t) {
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
        const bool glued = t[i] == "." || t[i] == "," || t[i] == "!";
        out += (i == 0 || glued ? "" : " ") + (i == 0 ? gen::capitalize(t[i]) : t[i]);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const gen::Flags f = gen::parse_flags(argc, argv, "gen_real_sentiment",
                                              {{"sentences", "10000"}, {"seed", "1"}, {"out", "real_sentiment.tsv"},
                                               {"nouns", "5000"}, {"adjectives", "3000"}, {"names", "300"},
                                               {"zipf", "1.2"}, {"phenomena", "0"}});
        Rng rng(uint64_t(f.number("seed")));
        const double s = f.real("zipf");
        std::set<std::string> taken;
        for (const auto* list : {&kRealNouns, &kRealPositive, &kRealNegative})
            for (const std::string& w : *list) taken.insert("en:" + w);
        const int n_adj = int(f.number("adjectives")) / 2;
        std::vector<gen::WordPair> names = gen::invent_words(rng, int(f.number("names")), taken);
        for (gen::WordPair& w : names) w.en = gen::capitalize(w.en);
        const std::vector<std::string> kAdjectiveEnds = {"ful", "ish", "y", "ous", "ive"};
        const Lexicon lex{word_list(rng, kRealNouns, gen::invent_words(rng, int(f.number("nouns")), taken), {""}, s),
                          word_list(rng, kRealPositive, gen::invent_words(rng, n_adj, taken), kAdjectiveEnds, s),
                          word_list(rng, kRealNegative, gen::invent_words(rng, n_adj, taken), kAdjectiveEnds, s),
                          word_list(rng, {"Tom", "Mary"}, names, {""}, 1.5)};
        const long want = f.number("sentences");
        const std::filesystem::path parent = std::filesystem::path(f.text("out")).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        std::ofstream out(f.text("out"), std::ios::binary);
        if (!out) throw std::runtime_error("gen_real_sentiment: cannot write " + f.text("out"));
        std::unordered_set<std::string> seen;  // each text once: a text has one label
        std::map<std::string, int> types;
        std::map<std::string, std::map<std::string, long>> cells;  // phenomenon -> label -> count
        long attempts = 0;
        while (long(seen.size()) < want) {
            if (++attempts > 50 * (want + 100)) throw std::runtime_error("gen_real_sentiment: lexicon too small");
            const bool positive = long(seen.size()) % 2 == 0;  // balanced labels
            std::string phenomenon;
            const std::string text = render(sentence(lex, rng, positive, phenomenon));
            if (!seen.insert(text).second) continue;
            for (const std::string& w : tinyattn::data::tokenize(text, "en")) ++types[w];
            const std::string label = positive ? "pos" : "neg";
            ++cells[phenomenon][label];
            out << text << '\t' << label << (f.number("phenomena") ? "\t" + phenomenon : "") << '\n';
        }
        long once = 0;
        for (const auto& [w, n] : types) once += n == 1;
        std::printf("wrote %s: %ld sentences, %zu word types (tinyattn's tokenizer; %.0f%% seen once)\n",
                    f.text("out").c_str(), want, types.size(), 100.0 * double(once) / double(types.size()));
        for (const auto& [phenomenon, labels] : cells)
            std::printf("  %-9s pos %ld  neg %ld\n", phenomenon.c_str(), labels.count("pos") ? labels.at("pos") : 0L,
                        labels.count("neg") ? labels.at("neg") : 0L);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
