// invented_lexicon.hpp — what the two "real-looking" generators (gen_real_pairs, gen_real_sentiment)
// share: a large invented vocabulary drawn with Zipf frequencies, the flags they take, and the
// spelling helpers (capitals) that make a line look like something a person typed.
//
// Why invented words? The machine has no internet and the repo ships no real corpus, but what makes
// a real file hard is its SHAPE, not its meaning: a few words are everywhere and most words are
// seen once or twice (Zipf's law: the r-th most frequent word has frequency ∝ 1 / r^s, s ≈ 1).
// Pseudo-words built from syllables ("brelmot", "tavicken") give any number of distinct words,
// and the same syllable indices spelled with French pieces ("brèlmot", "tavicquen") give each
// English word its own French word, so the translation stays a function a model can learn.
// This header is for the generators only; it is not part of the tinyattn library.
#pragma once

#include "tinyattn/rng.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <stdexcept>
#include <string>
#include <vector>

namespace gen {

// ---- command line: --name value, every flag with a default --------------------------------

struct Flags {
    std::map<std::string, std::string> values;  // flag (without --) -> value, defaults filled in
    long long number(const std::string& name) const { return std::stoll(values.at(name)); }
    double real(const std::string& name) const { return std::stod(values.at(name)); }
    const std::string& text(const std::string& name) const { return values.at(name); }
};

// Parses `--flag value` for the flags in `defaults` (flag -> default value); anything else, a
// missing value or a value that is not a number where the default is one is an error naming the
// flag, with the usage line.
inline Flags parse_flags(int argc, char** argv, const std::string& program,
                         const std::vector<std::pair<std::string, std::string>>& defaults) {
    Flags f;
    std::string usage = "usage: " + program;
    for (const auto& [name, value] : defaults) {
        f.values[name] = value;
        usage += " [--" + name + " " + value + "]";
    }
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const std::string name = arg.rfind("--", 0) == 0 ? arg.substr(2) : "";
        if (name == "help") throw std::invalid_argument(usage);
        if (!f.values.count(name) || i + 1 >= argc)
            throw std::invalid_argument(program + ": unknown or incomplete argument '" + arg + "' (" + usage + ")");
        const std::string value = argv[++i];
        const std::string& def = f.values[name];
        const bool numeric = !def.empty() && (std::isdigit(static_cast<unsigned char>(def[0])) != 0);
        if (numeric) {
            size_t used = 0;
            double x = -1;
            try {
                x = std::stod(value, &used);
            } catch (const std::exception&) {
            }
            if (used != value.size() || x < 0)
                throw std::invalid_argument(program + ": --" + name + " needs a number >= 0, got '" + value + "'");
        }
        f.values[name] = value;
    }
    return f;
}

// ---- Zipf sampling ---------------------------------------------------------------------------

// Draws ranks 0..n-1 with P(r) ∝ 1 / (r + 1)^s, by binary search in the cumulative table.
struct Zipf {
    std::vector<double> cumulative;

    Zipf(int n, double s) {
        double total = 0;
        for (int r = 0; r < n; ++r) cumulative.push_back(total += 1.0 / std::pow(r + 1.0, s));
        for (double& c : cumulative) c /= total;
    }
    int sample(tinyattn::Rng& rng) const {
        // 53 random bits: the rarest ranks have probabilities far below float's 2^-24 step.
        const double u = (double(rng.next_u32() >> 5) * 67108864.0 + double(rng.next_u32() >> 6)) / 9007199254740992.0;
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        return int(std::min<size_t>(size_t(it - cumulative.begin()), cumulative.size() - 1));
    }
};

// ---- invented words ----------------------------------------------------------------------------

// A syllable is (onset, vowel, coda); each piece has an English and a French spelling. The
// French column brings accents (é è ê ô û), "qu", "ou" and doubled consonants. An empty onset
// makes a word start with a vowel, so French elides before it (l'ombrec, j'étine).
struct Piece {
    const char* en;
    const char* fr;
};
inline const std::vector<Piece> kOnsets = {{"b", "b"},   {"br", "br"}, {"c", "qu"}, {"d", "d"},  {"f", "f"},   {"g", "gu"},
                                           {"gr", "gr"}, {"h", "h"},   {"k", "qu"}, {"l", "l"},  {"m", "m"},   {"n", "n"},
                                           {"p", "p"},   {"pl", "pl"}, {"r", "r"},  {"s", "s"},  {"st", "st"}, {"t", "t"},
                                           {"tr", "tr"}, {"v", "v"},   {"w", "v"},  {"sh", "ch"}, {"", ""},    {"", ""}};
inline const std::vector<Piece> kVowels = {{"a", "a"}, {"e", "é"}, {"i", "i"},  {"o", "o"},  {"u", "ou"},
                                           {"ea", "è"}, {"oa", "ô"}, {"ai", "ê"}, {"oo", "û"}, {"ie", "ie"}};
inline const std::vector<Piece> kCodas = {{"", ""},    {"n", "n"},  {"r", "r"},   {"l", "ll"}, {"m", "m"},
                                          {"st", "st"}, {"nd", "nd"}, {"ck", "que"}, {"t", "tt"}, {"sk", "sq"}};

struct WordPair {
    std::string en, fr;
};

// Makes `count` distinct invented words (2 or 3 syllables), each with its French spelling; no
// English word and no French word repeats, and none is in `taken` (real words already used).
inline std::vector<WordPair> invent_words(tinyattn::Rng& rng, int count, std::set<std::string>& taken) {
    std::vector<WordPair> words;
    long attempts = 0;
    while (int(words.size()) < count) {
        if (++attempts > 1000L * (count + 10)) throw std::runtime_error("invent_words: too many words asked for");
        const int syllables = rng.randint(0, 3) == 0 ? 3 : 2;
        WordPair w;
        for (int k = 0; k < syllables; ++k) {
            const Piece& on = kOnsets[size_t(rng.randint(0, int(kOnsets.size())))];
            const Piece& vo = kVowels[size_t(rng.randint(0, int(kVowels.size())))];
            const Piece& co = kCodas[size_t(rng.randint(0, int(kCodas.size())))];
            if (k > 0 && on.en[0] == '\0') continue;  // vowel clusters only at the start
            w.en += std::string(on.en) + vo.en + co.en;
            w.fr += std::string(on.fr) + vo.fr + co.fr;
        }
        if (w.en.size() < 4 || taken.count("en:" + w.en) || taken.count("fr:" + w.fr)) continue;
        taken.insert("en:" + w.en);
        taken.insert("fr:" + w.fr);
        words.push_back(w);
    }
    return words;
}

// ---- spelling --------------------------------------------------------------------------------

// "listen to" -> {"listen", "to"}
inline std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words(1);
    for (const char ch : text) {
        if (ch == ' ') words.emplace_back();
        else words.back() += ch;
    }
    return words;
}

inline bool starts_with_vowel(const std::string& w) {
    for (const char* v : {"a", "e", "i", "o", "u", "y", "h", "é", "è", "ê", "â", "î", "ô", "û", "œ"})
        if (w.rfind(v, 0) == 0) return true;
    return false;
}

// The first letter in upper case (ASCII and the accented letters a French sentence starts with).
inline std::string capitalize(std::string s) {
    static const std::vector<std::pair<std::string, std::string>> accented = {
        {"é", "É"}, {"è", "È"}, {"ê", "Ê"}, {"à", "À"}, {"ô", "Ô"}, {"û", "Û"}, {"ç", "Ç"}};
    for (const auto& [lower, upper] : accented)
        if (s.rfind(lower, 0) == 0) return upper + s.substr(lower.size());
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
    return s;
}

}  // namespace gen
