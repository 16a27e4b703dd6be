// vocab.cpp — building, using, saving and loading a Vocab.
#include "tinyattn/data/vocab.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "tinyattn/data/text_file.hpp"

namespace tinyattn::data {

const std::vector<std::string>& Vocab::specials() {
    static const std::vector<std::string> names = {"<pad>", "<bos>", "<eos>", "<unk>"};
    return names;
}

Vocab::Vocab() {
    for (const std::string& s : specials()) add(s);
}

int Vocab::add(const std::string& token) {
    auto found = stoi.find(token);
    if (found != stoi.end()) return found->second;
    const int new_id = size();
    itos.push_back(token);
    stoi.emplace(token, new_id);
    return new_id;
}

Vocab Vocab::build(const std::vector<std::vector<std::string>>& sentences, int min_freq, int max_size) {
    if (max_size != 0 && max_size < 4)
        throw std::invalid_argument("Vocab::build: max_size " + std::to_string(max_size) +
                                    " is smaller than the 4 special tokens (use 0 for no limit)");
    std::map<std::string, int> counts;
    for (const auto& sentence : sentences)
        for (const std::string& t : sentence) ++counts[t];

    std::vector<std::pair<std::string, int>> by_freq(counts.begin(), counts.end());
    std::stable_sort(by_freq.begin(), by_freq.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;  // more frequent first
        return a.first < b.first;                              // then by token, for determinism
    });

    Vocab vocab;
    for (const auto& [token, count] : by_freq) {
        if (count < min_freq) break;  // sorted, so every later token is rarer
        if (max_size != 0 && vocab.size() >= max_size) break;
        vocab.add(token);  // a literal "<unk>" in the text is already there and keeps its id
    }
    return vocab;
}

int Vocab::id(const std::string& token) const {
    auto found = stoi.find(token);
    return found == stoi.end() ? unk_id : found->second;
}

const std::string& Vocab::token(int id) const {
    if (id < 0 || id >= size())
        throw std::out_of_range("Vocab::token: id " + std::to_string(id) + " is out of range for a vocabulary of size " +
                                std::to_string(size()));
    return itos[size_t(id)];
}

std::vector<int> Vocab::encode(const std::vector<std::string>& tokens, bool add_bos, bool add_eos) const {
    std::vector<int> ids;
    ids.reserve(tokens.size() + 2);
    if (add_bos) ids.push_back(bos_id);
    for (const std::string& t : tokens) ids.push_back(id(t));
    if (add_eos) ids.push_back(eos_id);
    return ids;
}

std::vector<std::string> Vocab::decode(const std::vector<int>& ids, bool stop_at_eos, bool skip_special) const {
    std::vector<std::string> tokens;
    for (int i : ids) {
        if (stop_at_eos && i == eos_id) break;
        if (skip_special && (i == pad_id || i == bos_id)) continue;
        tokens.push_back(token(i));
    }
    return tokens;
}

void Vocab::save(const std::string& path) const {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("Vocab::save: cannot open file '" + path + "' for writing");
    for (const std::string& t : itos) out << t << '\n';
    if (!out) throw std::runtime_error("Vocab::save: failed writing '" + path + "'");
}

std::string Vocab::to_text() const {
    std::string text;
    for (const std::string& t : itos) text += t + '\n';
    return text;
}

Vocab Vocab::from_text(const std::string& text, const std::string& name) {
    std::vector<Line> lines;
    size_t begin = 0;
    while (begin < text.size()) {
        const size_t end = std::min(text.find('\n', begin), text.size());
        lines.push_back({int(lines.size()) + 1, text.substr(begin, end - begin)});
        begin = end + 1;
    }
    return from_lines(lines, name);
}

Vocab Vocab::load(const std::string& path) { return from_lines(read_lines(path, "Vocab::load"), path); }

Vocab Vocab::from_lines(const std::vector<Line>& lines, const std::string& path) {
    Vocab vocab;
    vocab.itos.clear();
    vocab.stoi.clear();
    const std::vector<std::string>& expected = specials();
    for (const Line& line : lines) {
        const std::string& t = line.text;
        const size_t index = vocab.itos.size();
        if (index < expected.size() && t != expected[index])
            throw std::runtime_error(where(path, line.number, "expected the special token " + expected[index] +
                                                                  " (id " + std::to_string(index) + "), found '" + t + "'"));
        if (t.empty()) throw std::runtime_error(where(path, line.number, "empty token"));
        // A token is one word: white space inside (e.g. a stray carriage return) would not
        // survive save + load, and no tokenizer output contains it. (Found by fuzz_vocab.)
        if (t.find_first_of(" \t\r\n\v\f") != std::string::npos)
            throw std::runtime_error(where(path, line.number, "token contains white space or a carriage return"));
        if (vocab.contains(t))
            throw std::runtime_error(where(path, line.number, "duplicate token '" + t + "' (first on line " +
                                                                  std::to_string(vocab.id(t) + 1) + ")"));
        vocab.add(t);
    }
    if (vocab.size() < int(expected.size()))
        throw std::runtime_error(path + ": only " + std::to_string(vocab.size()) +
                                 " lines; a vocabulary file starts with the 4 special tokens <pad> <bos> <eos> <unk>");
    return vocab;
}

bool has_unk(const std::vector<std::string>& sentence, const Vocab& vocab) {
    for (const std::string& t : sentence)
        if (!vocab.contains(t)) return true;
    return false;
}

std::vector<std::string> mark_unknown(const std::vector<std::string>& tokens, const Vocab& vocab) {
    std::vector<std::string> shown;
    for (const std::string& t : tokens) shown.push_back(vocab.contains(t) ? t : "⟨unk:" + t + "⟩");
    return shown;
}

double unk_share(const std::vector<std::vector<std::string>>& sentences, const Vocab& vocab) {
    long unknown = 0, total = 0;
    for (const auto& sentence : sentences)
        for (const std::string& t : sentence) {
            unknown += vocab.contains(t) ? 0 : 1;
            ++total;
        }
    return total > 0 ? double(unknown) / double(total) : 0.0;
}

}  // namespace tinyattn::data
