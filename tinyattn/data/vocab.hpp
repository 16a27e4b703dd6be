// vocab.hpp — the two-way map between tokens and integer ids.
//
// Four special tokens come first, at fixed ids:
//   <pad> = 0   fills the short sentences of a batch; losses ignore it (ignore_index = 0)
//   <bos> = 1   "begin of sentence", fed to the decoder as its first input
//   <eos> = 2   "end of sentence", the decoder's signal to stop
//   <unk> = 3   every word the vocabulary has never seen
// Pad is deliberately not bos: a model must never learn that the start token is "nothing".
// Unknown words map to <unk>, so inference on a new sentence never crashes.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "tinyattn/data/text_file.hpp"

namespace tinyattn::data {

struct Vocab {
    static constexpr int pad_id = 0;
    static constexpr int bos_id = 1;
    static constexpr int eos_id = 2;
    static constexpr int unk_id = 3;
    static const std::vector<std::string>& specials();  // {"<pad>", "<bos>", "<eos>", "<unk>"}

    std::vector<std::string> itos;                 // id -> token
    std::unordered_map<std::string, int> stoi;     // token -> id

    Vocab();  // only the four specials

    // Count tokens over all sentences; keep those seen at least `min_freq` times, most
    // frequent first (ties: by token string, so the result never depends on input order);
    // stop at `max_size` entries including the specials (0 = no limit).
    static Vocab build(const std::vector<std::vector<std::string>>& sentences, int min_freq = 1,
                       int max_size = 0);

    int size() const { return int(itos.size()); }
    bool contains(const std::string& token) const { return stoi.count(token) > 0; }
    int id(const std::string& token) const;         // unknown -> unk_id, never throws
    const std::string& token(int id) const;         // throws std::out_of_range naming id and size
    int add(const std::string& token);              // append if new; returns its id

    // tokens -> ids, optionally wrapped as <bos> ... <eos>
    std::vector<int> encode(const std::vector<std::string>& tokens, bool add_bos = false,
                            bool add_eos = false) const;
    // ids -> tokens; stops at the first <eos> if stop_at_eos, drops <pad> and <bos> if skip_special
    std::vector<std::string> decode(const std::vector<int>& ids, bool stop_at_eos = true,
                                    bool skip_special = true) const;

    // One token per line, in id order (line 1 is <pad>). load() checks the file and names
    // the file and line of any problem: empty file, empty or duplicate token, specials
    // missing or in the wrong place.
    void save(const std::string& path) const;
    static Vocab load(const std::string& path);
    // The same one-token-a-line text in memory (checkpoints carry their vocabularies inside);
    // `name` is what errors call it.
    std::string to_text() const;
    static Vocab from_text(const std::string& text, const std::string& name);

private:
    static Vocab from_lines(const std::vector<Line>& lines, const std::string& name);
};

// Whether a tokenized sentence has a word `vocab` does not know (it would be read as <unk>).
bool has_unk(const std::vector<std::string>& sentence, const Vocab& vocab);
// The tokens with every word `vocab` does not know shown as ⟨unk:word⟩ (what lessons print and
// write in their predictions files, so a learner sees which words the model read as <unk>).
std::vector<std::string> mark_unknown(const std::vector<std::string>& tokens, const Vocab& vocab);
// The share of tokens that are <unk> to `vocab` over some tokenized sentences (0 if no tokens).
double unk_share(const std::vector<std::vector<std::string>>& sentences, const Vocab& vocab);

}  // namespace tinyattn::data
