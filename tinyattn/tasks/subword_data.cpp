// subword_data.cpp — BPE pieces for the translation lessons (see subword_data.hpp).
#include "tinyattn/tasks/subword_data.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

Subwords learn_subwords(const std::vector<data::SentencePair>& train, int merges) {
    Subwords s;
    s.merges = merges;
    if (merges <= 0) return s;
    std::vector<data::Tokens> src, tgt;
    for (const data::SentencePair& p : train) {
        src.push_back(p.src);
        tgt.push_back(p.tgt);
    }
    s.src = data::learn_bpe(src, merges);
    s.tgt = data::learn_bpe(tgt, merges);
    return s;
}

std::vector<data::Tokens> source_pieces(const Subwords& subwords, const std::vector<data::Tokens>& sentences) {
    return subwords.on() ? subwords.src.encode_sentences(sentences) : sentences;
}

std::vector<data::Tokens> target_pieces(const Subwords& subwords, const std::vector<data::Tokens>& sentences) {
    return subwords.on() ? subwords.tgt.encode_sentences(sentences) : sentences;
}

data::Tokens source_pieces(const Subwords& subwords, const data::Tokens& words) {
    return subwords.on() ? subwords.src.encode(words) : words;
}

data::Tokens target_words(const Subwords& subwords, const data::Tokens& pieces) {
    return subwords.on() ? data::Bpe::decode(pieces) : pieces;
}

void restrict_to_vocabularies(Subwords& subwords, const data::Vocab& src_vocab, const data::Vocab& tgt_vocab) {
    if (!subwords.on()) return;
    const size_t specials = data::Vocab::specials().size();
    subwords.src.known_pieces = std::set<std::string>(src_vocab.itos.begin() + long(specials), src_vocab.itos.end());
    subwords.tgt.known_pieces = std::set<std::string>(tgt_vocab.itos.begin() + long(specials), tgt_vocab.itos.end());
}

// ---- in the checkpoint ----------------------------------------------------------------------

void save_subwords(io::Metadata& metadata, const Subwords& subwords) {
    if (!subwords.on()) return;
    metadata["bpe"] = std::to_string(subwords.merges);
    metadata["src_bpe"] = subwords.src.to_text();
    metadata["tgt_bpe"] = subwords.tgt.to_text();
}

static std::string bpe_setting(int merges) { return merges > 0 ? "--bpe " + std::to_string(merges) : "words (no --bpe)"; }

Subwords subwords_from_checkpoint(const io::Metadata& metadata, const std::string& path, int requested_merges) {
    int saved = 0;
    if (const auto it = metadata.find("bpe"); it != metadata.end()) {
        const std::string& text = it->second;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), saved);
        if (ec != std::errc() || ptr != text.data() + text.size() || saved <= 0)
            throw std::runtime_error(path + ": checkpoint's 'bpe' value '" + text + "' is not a positive whole number");
    }
    if (saved != requested_merges)
        throw std::runtime_error("--resume " + path + ": trained with " + bpe_setting(saved) + ", this run has " +
                                 bpe_setting(requested_merges) + "; resume with the same --bpe");
    Subwords s;
    s.merges = saved;
    if (!s.on()) return s;
    s.src = data::Bpe::from_text(metadata_value(metadata, "src_bpe", path), path + " (src_bpe)");
    s.tgt = data::Bpe::from_text(metadata_value(metadata, "tgt_bpe", path), path + " (tgt_bpe)");
    return s;
}

// ---- what the lesson prints -----------------------------------------------------------------

std::string describe_subwords(const Subwords& subwords, const std::vector<data::SentencePair>& train) {
    if (!subwords.on()) return "words (no --bpe)";
    long words[2] = {0, 0}, pieces[2] = {0, 0};
    std::vector<data::Tokens> src, tgt;
    for (const data::SentencePair& p : train) {
        src.push_back(p.src);
        tgt.push_back(p.tgt);
        words[0] += long(p.src.size());
        words[1] += long(p.tgt.size());
    }
    for (const data::Tokens& s : source_pieces(subwords, src)) pieces[0] += long(s.size());
    for (const data::Tokens& s : target_pieces(subwords, tgt)) pieces[1] += long(s.size());
    char line[200];
    std::snprintf(line, sizeof line, "BPE, %d merges asked, %zu / %zu learned (source / target); %.2f / %.2f pieces per word "
                  "on the training split", subwords.merges, subwords.src.merges.size(), subwords.tgt.merges.size(),
                  double(pieces[0]) / double(std::max(1L, words[0])), double(pieces[1]) / double(std::max(1L, words[1])));
    return line;
}

}  // namespace tinyattn::tasks
