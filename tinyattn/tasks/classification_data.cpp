// classification_data.cpp — the sentiment lessons' data (classification.hpp, "data"): labelled
// files loaded, checked and split, turned into ids and padded batches.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tasks/classification.hpp"
#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// ---- data ------------------------------------------------------------------------------------

static TextSplit make_split(std::vector<data::LabelledExample> examples, const data::Vocab& vocab) {
    TextSplit s;
    for (auto& e : examples) {
        s.ids.push_back(vocab.encode(e.tokens));
        s.labels.push_back(e.label_id);
        s.phenomena.push_back(e.extra.empty() ? "all" : e.extra[0]);
    }
    s.examples = std::move(examples);
    return s;
}

static std::vector<data::LabelledExample> take(const std::vector<data::LabelledExample>& all,
                                               const std::vector<int>& order, size_t begin, size_t end) {
    std::vector<data::LabelledExample> out;
    for (size_t i = begin; i < end; ++i) out.push_back(all[size_t(order[i])]);
    return out;
}

// The label list a learner's file gives, checked before anything trains on it: at least 2 classes,
// none that differs from another only in case ("Pos" / "pos"), none with fewer than
// max(2, 1 % of the lines) examples (a typo such as "l", or a header line nobody recognised).
// Each is an error naming a line of the file.
void check_labels(const data::LabelledData& data, const std::string& path) {
    std::map<std::string, int> counts, first_line;
    for (const data::LabelledExample& e : data.examples) {
        ++counts[e.label];
        first_line.emplace(e.label, e.line);
    }
    if (counts.size() < 2)
        throw std::runtime_error(path + ": only one class ('" + counts.begin()->first +
                                 "'): a classifier needs examples of at least 2 labels");
    std::map<std::string, std::string> by_lower;
    for (const auto& [label, n] : counts) {
        std::string lower = label;
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        const auto [it, fresh] = by_lower.emplace(lower, label);
        if (fresh) continue;
        const bool later = first_line.at(label) > first_line.at(it->second);
        const std::string& shown = later ? label : it->second;
        const std::string& other = later ? it->second : label;
        throw std::runtime_error(data::where(path, first_line.at(shown), "label '" + shown + "' differs from '" + other +
                                                                             "' only in case: use one spelling"));
    }
    const int min_count = std::max(2, int(data.examples.size() / 100));
    for (const auto& [label, n] : counts) {
        if (n >= min_count) continue;
        const int line = first_line.at(label);
        throw std::runtime_error(data::where(
            path, line,
            line == 1 && n == 1
                ? "'" + label + "' looks like a header line, but no column is named label (or sentiment, class, "
                                "polarity, ...): rename the label column, or remove the line"
                : "label '" + label + "' has only " + std::to_string(n) + " example(s), fewer than " +
                      std::to_string(min_count) + ": a typo? (each class needs max(2, 1 % of the lines))"));
    }
}

TextData load_text_data(const std::string& data_path, uint64_t seed, const std::string& resume, int min_freq,
                        int max_size) {
    TextData d;
    std::vector<data::LabelledExample> train, valid, test;
    const bool shipped = data_path.empty();
    const std::string dir = shipped ? std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-sentiment" : data_path;
    if (shipped || fs::is_directory(dir)) {
        // Three files: the training file fixes the label list, the others must use it.
        data::LabelledOptions cut;
        cut.max_tokens = kMaxTextTokens;
        const data::LabelledData tr = data::load_labelled(dir + "/train.tsv", cut);
        check_labels(tr, dir + "/train.tsv");
        data::LabelledOptions same_labels = cut;
        same_labels.labels = tr.labels;
        train = tr.examples;
        const data::LabelledData va = data::load_labelled(dir + "/valid.tsv", same_labels);
        const data::LabelledData te = data::load_labelled(dir + "/test.tsv", same_labels);
        valid = va.examples;
        test = te.examples;
        d.cut = tr.cut + va.cut + te.cut;
        d.labels = tr.labels;
        d.source = shipped ? "datasets/toy-sentiment" : dir;
    } else {
        // One file: shuffle with the seeded Rng, then 80% train, 10% valid, 10% test.
        data::LabelledOptions cut;
        cut.max_tokens = kMaxTextTokens;
        const data::LabelledData all = data::load_labelled(data_path, cut);
        check_labels(all, data_path);
        d.cut = all.cut;
        if (all.examples.size() < 10)
            throw std::runtime_error(data_path + ": need at least 10 labelled lines to split, got " +
                                     std::to_string(all.examples.size()));
        std::vector<int> order(all.examples.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
        Rng rng(seed, 7);
        rng.shuffle(order);
        const size_t n = order.size(), n_train = n * 8 / 10, n_valid = n / 10;
        train = take(all.examples, order, 0, n_train);
        valid = take(all.examples, order, n_train, n_train + n_valid);
        test = take(all.examples, order, n_train + n_valid, n);
        d.labels = all.labels;
        d.source = data_path;
    }
    std::vector<std::string> lines;
    for (const auto& e : train) lines.push_back(e.text + "\t" + e.label);
    d.fingerprint = data_fingerprint(lines);
    if (!resume.empty()) {
        d.vocab = vocab_from_metadata(io::read_checkpoint(resume).metadata, "vocab_tokens", resume);
        std::printf("vocabulary: the checkpoint's (--min-freq and --max-vocab do not apply to a resumed run)\n");
    } else {
        std::vector<std::vector<std::string>> sentences;
        for (const auto& e : train) sentences.push_back(e.tokens);
        d.vocab = data::Vocab::build(sentences, min_freq, max_size);
        std::printf("vocabulary: %d tokens, the training words seen at least %d time(s)%s; the others are <unk>\n",
                    d.vocab.size(), min_freq,
                    max_size > 0 ? (", at most " + std::to_string(max_size)).c_str() : "");
    }
    d.train = make_split(std::move(train), d.vocab);
    d.valid = make_split(std::move(valid), d.vocab);
    d.test = make_split(std::move(test), d.vocab);
    print_data_summary(d);
    return d;
}

void print_data_summary(const TextData& d) {
    std::vector<int> counts(d.labels.size(), 0);
    for (int label : d.train.labels) ++counts[size_t(label)];
    std::string line;
    for (size_t c = 0; c < d.labels.size(); ++c)
        line += (c ? " · " : "") + d.labels[c] + " " + std::to_string(counts[c]);
    std::printf("classes (training split): %s\n", line.c_str());
    std::string shares;
    for (const TextSplit* split : {&d.train, &d.valid, &d.test}) {
        std::vector<std::vector<std::string>> texts;
        for (const data::LabelledExample& e : split->examples) texts.push_back(e.tokens);
        char part[64];
        std::snprintf(part, sizeof part, "%s%s %.1f%%", shares.empty() ? "" : " · ",
                      split == &d.train ? "train" : split == &d.valid ? "valid" : "test", 100.0 * data::unk_share(texts, d.vocab));
        shares += part;
    }
    std::printf("<unk> share of tokens: %s\n", shares.c_str());
    if (d.cut > 0) std::printf("%d text(s) longer than %d tokens were cut to their first %d\n", d.cut, kMaxTextTokens,
                               kMaxTextTokens);
    if (d.test.size() < kFewTestExamples)
        std::printf("warning: only %d test sentences: one more right answer moves the accuracy by %.1f points, "
                    "too coarse to compare models\n", d.test.size(), 100.0 / std::max(1, d.test.size()));
}

void keep_first(TextSplit& split, int n) {
    if (n <= 0 || n >= split.size()) return;
    split.examples.resize(size_t(n));
    split.ids.resize(size_t(n));
    split.labels.resize(size_t(n));
    split.phenomena.resize(size_t(n));
}

std::vector<data::ClassBatch> make_class_batches(const TextSplit& split, int batch_size, bool shuffle, uint64_t seed,
                                                 int epoch) {
    std::vector<int> lengths;
    for (const auto& ids : split.ids) lengths.push_back(int(ids.size()));
    data::BatchOptions options;
    options.batch_size = batch_size;
    options.shuffle = shuffle;
    options.seed = seed;
    std::vector<data::ClassBatch> batches;
    for (const auto& indices : data::make_batches(lengths, options, epoch))
        batches.push_back(data::collate_labelled(split.ids, split.labels, indices));
    return batches;
}

data::ClassBatch single_example(const TextSplit& split, int index) {
    return data::collate_labelled(split.ids, split.labels, {index});
}

Tensor padding_mask(const data::ClassBatch& batch) {
    return tensor(std::vector<float>(batch.key_padding_mask.begin(), batch.key_padding_mask.end()), {batch.B, batch.S});
}

}  // namespace tinyattn::tasks
