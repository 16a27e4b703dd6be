// bpe.cpp — learning, applying, saving and loading byte-pair-encoding merges (see bpe.hpp).
#include "tinyattn/data/bpe.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <tuple>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "tinyattn/data/utf8.hpp"

namespace tinyattn::data {

// ---- symbols ----------------------------------------------------------------------------------

Tokens word_symbols(const std::string& word) {
    Tokens symbols;
    for (char32_t c : decode_utf8(word)) symbols.push_back(encode_utf8(std::u32string(1, c)));
    symbols.push_back(kEndOfWord);
    return symbols;
}

// Every occurrence of `pair` in `symbols` becomes one symbol, left to right: with the merge
// (a, a), "a a a" becomes "aa a".
static void merge_pair(Tokens& symbols, const SymbolPair& pair) {
    Tokens merged;
    for (size_t i = 0; i < symbols.size(); ++i) {
        if (i + 1 < symbols.size() && symbols[i] == pair.first && symbols[i + 1] == pair.second) {
            merged.push_back(pair.first + pair.second);
            ++i;
        } else {
            merged.push_back(symbols[i]);
        }
    }
    symbols = std::move(merged);
}

static bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Symbols of one word (the last ends in </w>) -> pieces: drop </w>, mark all but the last with "@@".
static Tokens to_pieces(Tokens symbols) {
    const std::string end = kEndOfWord;
    if (symbols.back() == end) symbols.pop_back();
    else symbols.back().erase(symbols.back().size() - end.size());
    for (size_t i = 0; i + 1 < symbols.size(); ++i) symbols[i] += kContinuation;
    return symbols;
}

// ---- learning ---------------------------------------------------------------------------------

// The training words (each once, in sorted order) as symbols, and how often each occurs.
struct WordTable {
    std::vector<Tokens> symbols;
    std::vector<long> counts;
};

static WordTable count_words(const std::vector<Tokens>& sentences) {
    std::map<std::string, long> counts;
    for (const Tokens& sentence : sentences)
        for (const std::string& word : sentence) ++counts[word];
    WordTable table;
    for (const auto& [word, count] : counts) {
        table.symbols.push_back(word_symbols(word));
        table.counts.push_back(count);
    }
    return table;
}

// Merging a pair seen only once would memorise one word; learning stops when the best is rarer.
constexpr long kMinPairCount = 2;

Bpe learn_bpe_reference(const std::vector<Tokens>& sentences, int num_merges) {
    WordTable words = count_words(sentences);
    std::vector<SymbolPair> merges;
    for (int m = 0; m < num_merges; ++m) {
        // 2. count every adjacent pair, weighted by its word's count
        std::map<SymbolPair, long> pair_counts;
        for (size_t w = 0; w < words.symbols.size(); ++w)
            for (size_t i = 0; i + 1 < words.symbols[w].size(); ++i)
                pair_counts[{words.symbols[w][i], words.symbols[w][i + 1]}] += words.counts[w];
        // 3. the most frequent; the map is sorted, so keeping the first of equal counts breaks
        //    ties towards the pair that sorts first
        const SymbolPair* best = nullptr;
        long best_count = 0;
        for (const auto& [pair, count] : pair_counts)
            if (count > best_count) {
                best = &pair;
                best_count = count;
            }
        if (best_count < kMinPairCount) break;
        merges.push_back(*best);
        for (Tokens& symbols : words.symbols) merge_pair(symbols, merges.back());
    }
    return Bpe::from_merges(std::move(merges));
}

// The incremental version keeps the pair counts between merges. A merge of (a, b) only changes
// the words that hold "a b": each of them takes its pairs out of the counts, is merged, and puts
// its new pairs back. `by_count` keeps the pairs sorted by count (largest first), ties by the
// pair's strings, so its first entry is the pair the reference would pick. Symbols are numbered
// (a pair is then one 64-bit key): comparing and hashing strings was most of the time.
namespace {
struct Symbols {
    std::vector<std::string> names;                // id -> symbol
    std::unordered_map<std::string, int> ids;      // symbol -> id
    int id(const std::string& name) {
        const auto [it, added] = ids.emplace(name, int(names.size()));
        if (added) names.push_back(name);
        return it->second;
    }
};

uint64_t key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

struct PairCounts {
    struct Entry {
        long count;
        int a, b;
    };
    struct MostFrequentFirst {
        const Symbols* symbols;
        bool operator()(const Entry& x, const Entry& y) const {
            if (x.count != y.count) return x.count > y.count;
            const auto& n = symbols->names;
            return std::tie(n[size_t(x.a)], n[size_t(x.b)]) < std::tie(n[size_t(y.a)], n[size_t(y.b)]);
        }
    };
    std::unordered_map<uint64_t, long> count;
    std::set<Entry, MostFrequentFirst> by_count;
    std::unordered_map<uint64_t, std::vector<int>> words_with;  // pair -> words that held it (some no longer do)

    explicit PairCounts(const Symbols& symbols) : by_count(MostFrequentFirst{&symbols}) {}

    void change(int a, int b, long delta) {
        long& c = count[key(a, b)];
        if (c > 0) by_count.erase({c, a, b});
        c += delta;
        if (c > 0) by_count.insert({c, a, b});
        else count.erase(key(a, b));
    }
    void add_word(const std::vector<int>& word, int w, long word_count, long sign) {
        for (size_t i = 0; i + 1 < word.size(); ++i) {
            change(word[i], word[i + 1], sign * word_count);
            if (sign > 0) words_with[key(word[i], word[i + 1])].push_back(w);
        }
    }
};

// merge_pair on numbered symbols
void merge_ids(std::vector<int>& word, int a, int b, int ab) {
    std::vector<int> merged;
    for (size_t i = 0; i < word.size(); ++i) {
        if (i + 1 < word.size() && word[i] == a && word[i + 1] == b) {
            merged.push_back(ab);
            ++i;
        } else {
            merged.push_back(word[i]);
        }
    }
    word = std::move(merged);
}
}  // namespace

Bpe learn_bpe(const std::vector<Tokens>& sentences, int num_merges) {
    const WordTable table = count_words(sentences);
    Symbols symbols;
    std::vector<std::vector<int>> words;
    for (const Tokens& word : table.symbols) {
        words.emplace_back();
        for (const std::string& s : word) words.back().push_back(symbols.id(s));
    }
    PairCounts pairs(symbols);
    for (size_t w = 0; w < words.size(); ++w) pairs.add_word(words[w], int(w), table.counts[w], +1);
    std::vector<SymbolPair> merges;
    while (int(merges.size()) < num_merges && !pairs.by_count.empty() && pairs.by_count.begin()->count >= kMinPairCount) {
        const int a = pairs.by_count.begin()->a, b = pairs.by_count.begin()->b;
        merges.push_back({symbols.names[size_t(a)], symbols.names[size_t(b)]});
        const int ab = symbols.id(merges.back().first + merges.back().second);
        std::vector<int> affected = std::move(pairs.words_with[key(a, b)]);
        pairs.words_with.erase(key(a, b));
        std::sort(affected.begin(), affected.end());  // each word once
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        for (int w : affected) {
            pairs.add_word(words[size_t(w)], w, table.counts[size_t(w)], -1);
            merge_ids(words[size_t(w)], a, b, ab);
            pairs.add_word(words[size_t(w)], w, table.counts[size_t(w)], +1);
        }
    }
    return Bpe::from_merges(std::move(merges));
}

// ---- applying ---------------------------------------------------------------------------------

Bpe Bpe::from_merges(std::vector<SymbolPair> merges) {
    Bpe bpe;
    bpe.merges = std::move(merges);
    for (size_t i = 0; i < bpe.merges.size(); ++i) {
        const SymbolPair& m = bpe.merges[i];
        bpe.rank[m].push_back(int(i));
        bpe.made_by.emplace(m.first + m.second, m);
    }
    return bpe;
}

// One symbol as pieces the model knows: the symbol's piece if it is known or one character, else
// the pieces of the two symbols its merge joined (a word's last symbol stays last).
static void split_to_known(const Bpe& bpe, const std::string& symbol, bool last, Tokens& out) {
    const std::string end = kEndOfWord;
    std::string piece = symbol;
    if (last && ends_with(piece, end)) piece.erase(piece.size() - end.size());
    if (!last) piece += kContinuation;
    const auto made = bpe.made_by.find(symbol);
    if (bpe.known_pieces.count(piece) > 0 || made == bpe.made_by.end()) {
        out.push_back(piece);
        return;
    }
    const SymbolPair& pair = made->second;
    if (pair.second == end) return split_to_known(bpe, pair.first, last, out);  // "x" + </w>: same piece, one merge less
    split_to_known(bpe, pair.first, false, out);
    split_to_known(bpe, pair.second, last, out);
}

// Symbols of one word (the last ends a word) -> pieces, restricted to known_pieces if set.
static Tokens finish(const Bpe& bpe, const Tokens& symbols) {
    if (bpe.known_pieces.empty()) return to_pieces(symbols);
    Tokens pieces;
    for (size_t i = 0; i < symbols.size(); ++i) {
        if (symbols[i] == kEndOfWord) continue;  // the separate marker after the last symbol
        const bool last = i + 1 == symbols.size() || (i + 2 == symbols.size() && symbols[i + 1] == kEndOfWord);
        split_to_known(bpe, symbols[i], last, pieces);
    }
    return pieces;
}

Tokens Bpe::encode_word_reference(const std::string& word) const {
    Tokens symbols = word_symbols(word);
    for (const SymbolPair& merge : merges) merge_pair(symbols, merge);
    return finish(*this, symbols);
}

// The same result without walking all merges: after merge number `last`, the next merge that
// changes anything is the lowest-ranked one after `last` whose pair is in the word now (the
// merges in between find nothing to merge, and nothing changes while they run).
Tokens Bpe::encode_word(const std::string& word) const {
    Tokens symbols = word_symbols(word);
    int last = -1;
    while (true) {
        int next = INT_MAX;
        for (size_t i = 0; i + 1 < symbols.size(); ++i) {
            const auto it = rank.find({symbols[i], symbols[i + 1]});
            if (it == rank.end()) continue;
            for (int r : it->second)  // the pair's first rank after `last`
                if (r > last) {
                    next = std::min(next, r);
                    break;
                }
        }
        if (next == INT_MAX) break;
        merge_pair(symbols, merges[size_t(next)]);
        last = next;
    }
    return finish(*this, symbols);
}

Tokens Bpe::encode(const Tokens& words) const {
    Tokens pieces;
    for (const std::string& word : words)
        for (std::string& piece : encode_word(word)) pieces.push_back(std::move(piece));
    return pieces;
}

std::vector<Tokens> Bpe::encode_sentences(const std::vector<Tokens>& sentences) const {
    std::unordered_map<std::string, Tokens> seen;  // a corpus repeats its words: encode each once
    std::vector<Tokens> out;
    for (const Tokens& sentence : sentences) {
        Tokens pieces;
        for (const std::string& word : sentence) {
            auto it = seen.find(word);
            if (it == seen.end()) it = seen.emplace(word, encode_word(word)).first;
            pieces.insert(pieces.end(), it->second.begin(), it->second.end());
        }
        out.push_back(std::move(pieces));
    }
    return out;
}

Tokens Bpe::decode(const Tokens& pieces) {
    const std::string mark = kContinuation;
    Tokens words;
    std::string word;
    for (const std::string& piece : pieces) {
        if (piece.size() > mark.size() && ends_with(piece, mark)) {
            word += piece.substr(0, piece.size() - mark.size());
        } else {
            words.push_back(word + piece);
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

// ---- saving and loading -----------------------------------------------------------------------

std::string Bpe::to_text() const {
    std::string text = "#bpe " + std::to_string(merges.size()) + " merges\n";
    for (const SymbolPair& m : merges) text += m.first + " " + m.second + "\n";
    return text;
}

// A symbol may be one character, the end-of-word marker, or the result of an earlier merge.
static bool is_one_character(const std::string& s) {
    return find_invalid_utf8(s) == std::string::npos && decode_utf8(s).size() == 1;
}

Bpe Bpe::from_text(const std::string& text, const std::string& name) {
    std::vector<std::string> lines;
    for (size_t begin = 0; begin < text.size();) {
        const size_t end = std::min(text.find('\n', begin), text.size());
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    auto fail = [&](size_t line, const std::string& what) {
        throw std::runtime_error(name + " line " + std::to_string(line + 1) + ": " + what);
    };
    long expected = -1;
    if (lines.empty() || lines[0].rfind("#bpe ", 0) != 0 || !ends_with(lines[0], " merges"))
        fail(0, "expected the header '#bpe N merges', found '" + (lines.empty() ? "" : lines[0]) + "'");
    try {
        size_t used = 0;
        const std::string number = lines[0].substr(5, lines[0].size() - 5 - 7);
        expected = std::stol(number, &used);
        if (used != number.size() || expected < 0) throw std::invalid_argument(number);
    } catch (const std::exception&) {
        fail(0, "the header '" + lines[0] + "' does not give a whole number of merges");
    }
    const std::string end = kEndOfWord;
    std::set<std::string> made;  // symbols earlier merges produced
    auto known = [&](const std::string& s) { return s == end || is_one_character(s) || made.count(s) > 0; };
    std::vector<SymbolPair> merges;
    for (size_t i = 1; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const size_t space = line.find(' ');
        if (line.empty() || space == std::string::npos || space == 0 || space + 1 == line.size() ||
            line.find_first_of(" \t\r", space + 1) != std::string::npos)
            fail(i, "expected two symbols separated by one space, found '" + line + "'");
        const SymbolPair pair{line.substr(0, space), line.substr(space + 1)};
        for (const std::string& s : {pair.first, pair.second})
            if (!known(s)) fail(i, "symbol '" + s + "' is neither one character, " + end + ", nor made by an earlier merge");
        if (ends_with(pair.first, end)) fail(i, "symbol '" + pair.first + "' ends a word, so nothing can follow it");
        made.insert(pair.first + pair.second);
        merges.push_back(pair);
    }
    if (long(merges.size()) != expected)
        fail(0, "the header says " + std::to_string(expected) + " merges, the text holds " +
                    std::to_string(merges.size()));
    return from_merges(std::move(merges));
}

}  // namespace tinyattn::data
