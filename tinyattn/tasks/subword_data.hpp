// subword_data.hpp — `--bpe N` in the translation lessons: each side written as byte-pair pieces
// (data/bpe.hpp), its merges learned on the TRAINING split only, so no test word leaks in.
//
// With --bpe the model reads and writes pieces ("the glazier" -> "the gla@@ zier"); what a
// learner reads stays in words. The test references stay words, the model's output pieces are
// merged back into words before BLEU (so the score compares with a word-level run's), and the
// printed translations are words. Only the attention figures show the pieces, because those are
// what the model attended over.
//
// The merges travel inside the checkpoint; a resumed or evaluated run applies the checkpoint's
// merges, and a checkpoint is refused by a run with another --bpe.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/data/bpe.hpp"
#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"

namespace tinyattn::tasks {

struct Subwords {
    int merges = 0;      // --bpe N as asked (learning stops earlier when no pair occurs twice); 0: words
    data::Bpe src, tgt;  // each side's own merges
    bool on() const { return merges > 0; }
};

// Learns `merges` merges for each side on the training pairs (0: words, nothing learned).
Subwords learn_subwords(const std::vector<data::SentencePair>& train, int merges);

// What the model reads for these words: the words themselves, or their pieces.
std::vector<data::Tokens> source_pieces(const Subwords& subwords, const std::vector<data::Tokens>& sentences);
std::vector<data::Tokens> target_pieces(const Subwords& subwords, const std::vector<data::Tokens>& sentences);
data::Tokens source_pieces(const Subwords& subwords, const data::Tokens& words);
// The model's target pieces as words (unchanged without --bpe).
data::Tokens target_words(const Subwords& subwords, const data::Tokens& pieces);

// Restricts each side's pieces to those with an embedding (the vocabulary's tokens), so a new word
// splits into pieces the model was trained on (Bpe::known_pieces).
void restrict_to_vocabularies(Subwords& subwords, const data::Vocab& src_vocab, const data::Vocab& tgt_vocab);

// The merges in a checkpoint's metadata: "bpe" (N), "src_bpe" and "tgt_bpe" (Bpe::to_text). A
// word-level run writes none.
void save_subwords(io::Metadata& metadata, const Subwords& subwords);
// The checkpoint's merges, after checking they are what this run asks for: refuses, in one line
// naming the checkpoint, a checkpoint trained with another --bpe (or none), or corrupt merges.
Subwords subwords_from_checkpoint(const io::Metadata& metadata, const std::string& path, int requested_merges);

// A one-line summary for the lessons: "BPE, 2000 merges asked, 2000 / 2000 learned (source / target);
// 1.31 / 1.35 pieces per word on the training split", or "words (no --bpe)".
std::string describe_subwords(const Subwords& subwords, const std::vector<data::SentencePair>& train);

}  // namespace tinyattn::tasks
