// pair_data.cpp — loading, splitting and encoding sentence pairs (see pair_data.hpp).
#include "tinyattn/tasks/pair_data.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "tinyattn/rng.hpp"
#include "tinyattn/tasks/lesson_checkpoint.hpp"
#include "tinyattn/tasks/translation_checkpoint.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// ---- data ---------------------------------------------------------------------------------

// Pairs with a side longer than max_length tokens (0: no limit) are dropped, and counted.
static std::vector<data::SentencePair> load_pairs_up_to(const std::string& path, int max_length,
                                                       const data::PairOptions& languages, int& dropped) {
    std::vector<data::SentencePair> all = data::load_pairs(path, languages), kept;
    const size_t limit = size_t(max_length);
    for (data::SentencePair& p : all) {
        if (max_length > 0 && (p.src.size() > limit || p.tgt.size() > limit)) ++dropped;
        else kept.push_back(std::move(p));
    }
    if (kept.empty())
        throw std::runtime_error(path + ": 0 usable pairs: all " + std::to_string(all.size()) + " have a side longer than " +
                                 std::to_string(max_length) + " tokens");
    return kept;
}

PairSplits load_translation_corpus(const std::string& path, uint64_t seed, int max_length,
                                   const std::string& src_lang, const std::string& tgt_lang) {
    int dropped = 0;
    PairSplits s;
    s.src_lang = src_lang;
    s.tgt_lang = tgt_lang;
    data::PairOptions languages;
    languages.column1_lang = src_lang;
    languages.column2_lang = tgt_lang;
    if (fs::is_directory(path)) {
        s.train = load_pairs_up_to((fs::path(path) / "train.tsv").string(), max_length, languages, dropped);
        s.valid = load_pairs_up_to((fs::path(path) / "valid.tsv").string(), max_length, languages, dropped);
        s.test = load_pairs_up_to((fs::path(path) / "test.tsv").string(), max_length, languages, dropped);
        fs::path dir = fs::path(path).lexically_normal();
        if (dir.filename().empty()) dir = dir.parent_path();  // "datasets/toy-en-fr/"
        s.name = dir.filename().string();
    } else {
        // One file: shuffle (seeded) and cut 80/10/10, with valid and test at most 1,000 pairs each.
        std::vector<data::SentencePair> all = load_pairs_up_to(path, max_length, languages, dropped);
        if (all.size() < 10)
            throw std::runtime_error("load_translation_corpus: " + path + " has " + std::to_string(all.size()) +
                                     " usable pairs; at least 10 are needed to split train/valid/test");
        std::vector<int> order(all.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
        Rng rng(seed);
        rng.shuffle(order);
        const size_t held = std::min<size_t>(1000, all.size() / 10);
        for (size_t k = 0; k < order.size(); ++k) {
            data::SentencePair& p = all[size_t(order[k])];
            (k < held ? s.test : k < 2 * held ? s.valid : s.train).push_back(std::move(p));
        }
        s.name = fs::path(path).filename().string();
    }
    if (s.train.empty() || s.test.empty())
        throw std::runtime_error("load_translation_corpus: " + path + ": empty train or test split");
    if (dropped > 0)
        std::printf("%s: %d pair(s) with a side longer than %d tokens left out\n", path.c_str(), dropped, max_length);
    if (s.test.size() < size_t(kFewTestPairs))
        std::printf("warning: only %zu test pairs: BLEU on so few sentences moves a lot with each one, too coarse "
                    "to compare models\n", s.test.size());
    return s;
}

// The two sides of some pairs as the model reads them: words, or BPE pieces.
static void sides(const std::vector<data::SentencePair>& pairs, const Subwords& subwords,
                  std::vector<data::Tokens>& src, std::vector<data::Tokens>& tgt) {
    for (const data::SentencePair& p : pairs) {
        src.push_back(p.src);
        tgt.push_back(p.tgt);
    }
    src = source_pieces(subwords, src);
    tgt = target_pieces(subwords, tgt);
}

EncodedPairs encode_pairs(const std::vector<data::SentencePair>& pairs, const data::Vocab& src_vocab,
                          const data::Vocab& tgt_vocab, const Subwords& subwords) {
    std::vector<data::Tokens> src, tgt;
    sides(pairs, subwords, src, tgt);
    EncodedPairs e;
    for (size_t i = 0; i < pairs.size(); ++i) {
        e.src.push_back(src_vocab.encode(src[i], /*add_bos=*/false, /*add_eos=*/true));
        e.tgt.push_back(tgt_vocab.encode(tgt[i]));
        e.src_lengths.push_back(int(e.src.back().size()));
    }
    return e;
}

TranslationData prepare_translation(PairSplits pairs, data::Vocab src_vocab, data::Vocab tgt_vocab, Subwords subwords) {
    TranslationData d;
    d.pairs = std::move(pairs);
    d.src_vocab = std::move(src_vocab);
    d.tgt_vocab = std::move(tgt_vocab);
    d.subwords = std::move(subwords);
    restrict_to_vocabularies(d.subwords, d.src_vocab, d.tgt_vocab);  // a new word: pieces with an embedding
    d.train = encode_pairs(d.pairs.train, d.src_vocab, d.tgt_vocab, d.subwords);
    d.valid = encode_pairs(d.pairs.valid, d.src_vocab, d.tgt_vocab, d.subwords);
    d.test = encode_pairs(d.pairs.test, d.src_vocab, d.tgt_vocab, d.subwords);
    return d;
}

TranslationData prepare_translation(PairSplits pairs, int bpe_merges, int min_freq, int max_size) {
    Subwords subwords = learn_subwords(pairs.train, bpe_merges);  // the training split only
    std::vector<data::Tokens> src, tgt;
    sides(pairs.train, subwords, src, tgt);
    data::Vocab sv = data::Vocab::build(src, min_freq, max_size), tv = data::Vocab::build(tgt, min_freq, max_size);
    return prepare_translation(std::move(pairs), std::move(sv), std::move(tv), std::move(subwords));
}

LessonData load_lesson_data(const LessonOptions& opt, const std::string& shipped_corpus) {
    const bool own = !opt.data.empty();
    PairSplits pairs = load_translation_corpus(own ? opt.data : std::string(TINYATTN_SOURCE_DIR) + "/datasets/" + shipped_corpus,
                                               opt.seed, own ? kOwnDataMaxTokens : 0, opt.src_lang, opt.tgt_lang);
    LessonData d;
    if (opt.resume.empty()) {
        d.data = prepare_translation(std::move(pairs), opt.bpe, opt.min_freq, opt.max_vocab);
        if (d.data.subwords.on()) std::printf("%s\n", describe_subwords(d.data.subwords, d.data.pairs.train).c_str());
        std::printf("vocabulary: the training %s seen at least %d time(s)%s; the others are <unk>\n",
                    d.data.subwords.on() ? "pieces" : "words", opt.min_freq,
                    opt.max_vocab > 0 ? (", at most " + std::to_string(opt.max_vocab) + " a side").c_str() : "");
        print_unk_shares(d.data);
        return d;
    }
    ResumeInfo r = read_resume_info(opt.resume);  // keep the ids (and pieces) the checkpoint was trained with
    Subwords subwords = subwords_from_checkpoint(r.metadata, opt.resume, opt.bpe);
    d.first_epoch = r.epoch;
    d.step = r.step;
    d.resumed = r.metadata;
    d.data = prepare_translation(std::move(pairs), std::move(r.src_vocab), std::move(r.tgt_vocab), std::move(subwords));
    if (d.data.subwords.on())
        std::printf("%s (the checkpoint's merges)\n", describe_subwords(d.data.subwords, d.data.pairs.train).c_str());
    std::printf("vocabulary: the checkpoint's (--min-freq and --max-vocab do not apply to a resumed run)\n");
    print_unk_shares(d.data);
    return d;
}

void print_unk_shares(const TranslationData& data) {
    std::string line;
    const std::pair<const char*, const std::vector<data::SentencePair>*> splits[] = {
        {"train", &data.pairs.train}, {"valid", &data.pairs.valid}, {"test", &data.pairs.test}};
    for (const auto& [name, pairs] : splits) {
        std::vector<data::Tokens> src, tgt;  // what the model reads: words, or their --bpe pieces
        sides(*pairs, data.subwords, src, tgt);
        char part[128];
        std::snprintf(part, sizeof part, "%s%s %s %.1f%% %s %.1f%%", line.empty() ? "" : " · ", name,
                      data.pairs.src_lang.c_str(), 100.0 * data::unk_share(src, data.src_vocab), data.pairs.tgt_lang.c_str(),
                      100.0 * data::unk_share(tgt, data.tgt_vocab));
        line += part;
    }
    std::printf("<unk> share of tokens: %s\n", line.c_str());
}

std::string fingerprint(const TranslationData& data) {
    std::vector<std::string> lines;
    for (const data::SentencePair& p : data.pairs.train) lines.push_back(p.src_text + "\t" + p.tgt_text);
    return data_fingerprint(lines);
}

EncodedPairs head(const EncodedPairs& pairs, size_t n) {
    n = std::min(n, pairs.size());
    EncodedPairs h;
    h.src.assign(pairs.src.begin(), pairs.src.begin() + long(n));
    h.tgt.assign(pairs.tgt.begin(), pairs.tgt.begin() + long(n));
    h.src_lengths.assign(pairs.src_lengths.begin(), pairs.src_lengths.begin() + long(n));
    return h;
}

}  // namespace tinyattn::tasks
