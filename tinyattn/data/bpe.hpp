// bpe.hpp — byte-pair encoding: subword pieces learned from a corpus (Sennrich, Haddow & Birch
// 2016, "Neural Machine Translation of Rare Words with Subword Units", Algorithm 1).
//
// A word-level model knows only the words of its training split; every other word is <unk>.
// BPE instead writes each word as a sequence of pieces, learned so that frequent words stay whole
// and rare words split into frequent parts: "lowest" -> "low@@ est", "unfollowable" ->
// "un@@ follow@@ able". Every word can be written this way, down to single characters.
//
// Learning (learn_bpe):
//   1. Count the words of the training split. Write each word as its characters (code points:
//      "é" is one symbol, not two bytes) followed by the end-of-word marker </w>:
//      "low" -> l o w </w>. The marker keeps a word-final "est" apart from the "est" of "estate".
//   2. Count every pair of adjacent symbols, each weighted by the count of its word.
//   3. Merge the most frequent pair into one symbol everywhere ("e" "s" -> "es"); ties go to the
//      pair that sorts first (by its two symbols' bytes), so the result never depends on the
//      order of the file or of a hash table.
//   4. Repeat 2–3 `num_merges` times, or until no pair occurs twice (a pair seen once would only
//      memorise one word: subword-nmt stops there too).
// The merges, in the order they were learned, ARE the model.
//
// Encoding one word (Bpe::encode_word): start from its characters + </w> and apply the merges in
// the order they were learned — exactly what learning did to the training words, so a training
// word gets the same pieces it had at the end of learning.
//
// The piece convention (subword-nmt's): every piece except a word's last ends in "@@", the </w>
// marker is dropped: "lower" -> "low@@ er", "low" -> "low", "@@"-less pieces end a word. Decoding
// (Bpe::decode) glues a piece ending in "@@" to the next one. It is unambiguous because
// data::tokenize makes every "@" a token of its own, so no word ends in "@@"; a word that is "@"
// itself is the piece "@".
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tinyattn::data {

using Tokens = std::vector<std::string>;
using SymbolPair = std::pair<std::string, std::string>;

inline constexpr const char* kEndOfWord = "</w>";    // the end-of-word symbol while learning
inline constexpr const char* kContinuation = "@@";   // the mark of a piece that is not a word's last

struct Bpe {
    std::vector<SymbolPair> merges;   // in learned order: merges[0] was the most frequent pair
    // pair -> its indices in merges, increasing (built by from_merges). Usually one; a pair can be
    // learned twice when one symbol is made by two merges, (ab, c) and (a, bc).
    std::map<SymbolPair, std::vector<int>> rank;

    std::map<std::string, SymbolPair> made_by;  // merged symbol -> the first merge that made it

    // The pieces the model has an embedding for (those of the training split). When not empty,
    // encode_word undoes the merges of any other piece, step by step, until every piece is known
    // or a single character (subword-nmt's vocabulary filter): an unseen word then never meets
    // <unk> unless it holds a character the training pieces never showed alone.
    std::set<std::string> known_pieces;

    static Bpe from_merges(std::vector<SymbolPair> merges);

    // One word -> its pieces, by the merges in learned order ("lower" -> {"low@@", "er"}).
    Tokens encode_word(const std::string& word) const;
    // The same by the plain recipe: every merge in turn over the whole word (the reference
    // encode_word is tested against; encode_word skips the merges whose pair is not there).
    Tokens encode_word_reference(const std::string& word) const;
    // A tokenized sentence -> pieces, word by word.
    Tokens encode(const Tokens& words) const;
    // Many sentences at once, each distinct word encoded once (a corpus repeats its words).
    std::vector<Tokens> encode_sentences(const std::vector<Tokens>& sentences) const;
    // Pieces -> words: a piece ending in "@@" is glued to the next. A dangling last "@@" piece
    // (a model's unfinished output) keeps its text without the mark.
    static Tokens decode(const Tokens& pieces);

    // The merges as text, one "left right" pair a line after a header line "#bpe N merges", the
    // way they travel inside a checkpoint; from_text checks it and names what is wrong in one
    // line ("<name> line 7: ..."): a missing header, a line that is not two symbols, a symbol
    // that is neither a character, </w> nor made by an earlier merge, a repeated merge, a count
    // that does not match.
    std::string to_text() const;
    static Bpe from_text(const std::string& text, const std::string& name);
};

// Word counts -> symbols (characters + </w>) -> `num_merges` merges, as described above.
// learn_bpe updates its pair counts incrementally: after a merge only the words that held the
// merged pair are recounted. learn_bpe_reference recounts every pair of every word before every
// merge, as Algorithm 1 is written; a test holds the two equal.
Bpe learn_bpe(const std::vector<Tokens>& sentences, int num_merges);
Bpe learn_bpe_reference(const std::vector<Tokens>& sentences, int num_merges);

// The characters of a word, one code point a string, then </w>: "été" -> {"é","t","é","</w>"}.
Tokens word_symbols(const std::string& word);

}  // namespace tinyattn::data
