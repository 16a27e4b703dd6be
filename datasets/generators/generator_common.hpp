// generator_common.hpp — the plumbing shared by the three dataset generators.
//
// Every generator follows the same recipe:
//   1. draw random examples from a small grammar with the project's Rng (seeded by --seed);
//   2. keep only the first example of each source sentence (UniqueExamples), so a sentence
//      can never be in train and test at once, and check that a source always gets the same
//      target/label (the corpus is a deterministic function: no label noise);
//   3. shuffle, cut into test / valid / train and write three TSV files (UTF-8, LF, no header);
//   4. print statistics (sizes, vocabulary, length histogram) used in datasets/README.md.
// This header is for the generators only; it is not part of the tinyattn library.
#pragma once

#include "tinyattn/rng.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gen {

using tinyattn::Rng;
using Tokens = std::vector<std::string>;

// ---- command line --------------------------------------------------------------------------

struct Options {
    uint64_t seed = 1;
    std::string out;  // output directory
};

// Parses `--seed N` and `--out DIR`; the default output is the committed corpus directory.
// `--help` prints the usage and exits. Errors name the program as it was called (gen_toy_scenes).
inline Options parse_args(int argc, char** argv, const std::string& corpus_name) {
    Options opt;
    opt.out = std::string(TINYATTN_SOURCE_DIR) + "/datasets/" + corpus_name;
    const std::string program = std::filesystem::path(argv[0]).filename().string();
    const std::string usage = "usage: " + program + " [--seed N] [--out DIR]   (default: --seed 1 --out " + opt.out + ")";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf("%s\n", usage.c_str());
            std::exit(0);
        } else if ((arg == "--seed" || arg == "--out") && i + 1 < argc) {
            const std::string value = argv[++i];
            if (arg == "--out") {
                opt.out = value;
            } else {
                try {
                    opt.seed = std::stoull(value);
                } catch (const std::exception&) {
                    throw std::invalid_argument(program + ": --seed needs a number, got '" + value + "'");
                }
            }
        } else {
            throw std::invalid_argument(program + ": unknown or incomplete argument '" + arg + "' (" + usage + ")");
        }
    }
    return opt;
}

// ---- small random helpers -------------------------------------------------------------------

template <class T>
const T& pick(Rng& rng, const std::vector<T>& items) {
    return items[size_t(rng.randint(0, int(items.size())))];
}

// True with probability percent / 100 (integer draws keep it exact and portable).
inline bool chance(Rng& rng, int percent) { return rng.randint(0, 100) < percent; }

// Appends tokens to a sentence.
inline void append(Tokens& sentence, const Tokens& more) { sentence.insert(sentence.end(), more.begin(), more.end()); }

inline std::string join(const Tokens& tokens) {
    std::string s;
    for (size_t i = 0; i < tokens.size(); ++i) s += (i ? " " : "") + tokens[i];
    return s;
}

inline Tokens split(const std::string& text) {
    Tokens tokens;
    std::istringstream in(text);
    for (std::string t; in >> t;) tokens.push_back(t);
    return tokens;
}

// ---- unique examples --------------------------------------------------------------------------

// One TSV line: columns[0] is the source side (what must not leak from test into train).
struct Example {
    std::vector<std::string> columns;
};

struct UniqueExamples {
    std::vector<Example> items;
    std::map<std::string, std::string> rest_of;  // source -> the other columns, joined

    // Adds e if its source is new; returns whether it was added. Throws if the grammar ever
    // produced the same source with a different target/label: that would be label noise.
    bool add(const Example& e) {
        std::string rest;
        for (size_t i = 1; i < e.columns.size(); ++i) rest += e.columns[i] + "\t";
        auto [it, inserted] = rest_of.emplace(e.columns[0], rest);
        if (!inserted && it->second != rest)
            throw std::logic_error("generator: source '" + e.columns[0] + "' produced two different outputs: '" +
                                   it->second + "' and '" + rest + "'");
        if (inserted) items.push_back(e);
        return inserted;
    }
};

// Calls make(rng) until `count` examples with sources not yet in `seen` were added; returns them.
template <class MakeExample>
std::vector<Example> generate_unique(Rng& rng, int count, MakeExample make, UniqueExamples& seen) {
    const size_t first = seen.items.size();
    long attempts = 0;
    while (seen.items.size() - first < size_t(count)) {
        seen.add(make(rng));
        if (++attempts > 100L * count)
            throw std::runtime_error("generator: grammar too small for " + std::to_string(count) + " unique examples");
    }
    return std::vector<Example>(seen.items.begin() + long(first), seen.items.end());
}

// ---- splitting and writing -------------------------------------------------------------------

struct Splits {
    std::vector<Example> train, valid, test;
};

// Shuffles the unique examples and cuts off test, then valid; the rest is train.
inline Splits split_examples(const std::vector<Example>& examples, int n_valid, int n_test, Rng& rng) {
    std::vector<int> order(examples.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    rng.shuffle(order);
    Splits s;
    for (size_t k = 0; k < order.size(); ++k) {
        const Example& e = examples[size_t(order[k])];
        if (int(k) < n_test) s.test.push_back(e);
        else if (int(k) < n_test + n_valid) s.valid.push_back(e);
        else s.train.push_back(e);
    }
    return s;
}

// Adds the examples of `more` to the end of every split of `s`.
inline void append_splits(Splits& s, const Splits& more) {
    s.train.insert(s.train.end(), more.train.begin(), more.train.end());
    s.valid.insert(s.valid.end(), more.valid.begin(), more.valid.end());
    s.test.insert(s.test.end(), more.test.begin(), more.test.end());
}

// The usual recipe: `n_train + n_valid + n_test` unique examples, shuffled and cut.
template <class MakeExample>
Splits generate_splits(Rng& rng, int n_train, int n_valid, int n_test, MakeExample make) {
    UniqueExamples seen;
    return split_examples(generate_unique(rng, n_train + n_valid + n_test, make, seen), n_valid, n_test, rng);
}

inline void write_tsv(const std::string& path, const std::vector<Example>& examples) {
    std::ofstream out(path, std::ios::binary);  // binary: LF line endings on every platform
    if (!out) throw std::runtime_error("generator: cannot write " + path);
    for (const Example& e : examples) {
        for (size_t i = 0; i < e.columns.size(); ++i) out << (i ? "\t" : "") << e.columns[i];
        out << '\n';
    }
}

inline void write_splits(const Splits& s, const std::string& dir) {
    std::filesystem::create_directories(dir);
    write_tsv(dir + "/train.tsv", s.train);
    write_tsv(dir + "/valid.tsv", s.valid);
    write_tsv(dir + "/test.tsv", s.test);
}

// ---- statistics for the README ---------------------------------------------------------------

// Prints, as Markdown: split sizes, vocabulary size and token-length histogram of every text
// column, and value counts of every categorical column (labels, phenomena).
inline void print_stats(const std::string& name, const Splits& s, const std::vector<std::string>& column_names,
                        int n_text_columns) {
    const std::vector<std::pair<std::string, const std::vector<Example>*>> parts = {
        {"train", &s.train}, {"valid", &s.valid}, {"test", &s.test}};
    std::cout << "## " << name << "\n\nsizes: train " << s.train.size() << ", valid " << s.valid.size() << ", test "
              << s.test.size() << "\n";
    for (int c = 0; c < int(column_names.size()); ++c) {
        std::cout << "\n### column " << c + 1 << ": " << column_names[size_t(c)] << "\n";
        if (c < n_text_columns) {
            std::set<std::string> vocab_all, vocab_train;
            std::map<size_t, int> lengths;
            for (const auto& [part, examples] : parts)
                for (const Example& e : *examples) {
                    const Tokens t = split(e.columns[size_t(c)]);
                    lengths[t.size()]++;
                    vocab_all.insert(t.begin(), t.end());
                    if (part == "train") vocab_train.insert(t.begin(), t.end());
                }
            std::cout << "vocabulary: " << vocab_all.size() << " token types (train alone: " << vocab_train.size()
                      << ")\n\n| tokens | sentences |\n|---:|---:|\n";
            for (const auto& [len, n] : lengths) std::cout << "| " << len << " | " << n << " |\n";
        } else {
            std::cout << "\n| value | train | valid | test |\n|---|---:|---:|---:|\n";
            std::map<std::string, std::map<std::string, int>> counts;
            for (const auto& [part, examples] : parts)
                for (const Example& e : *examples) counts[e.columns[size_t(c)]][part]++;
            for (auto& [value, per] : counts)
                std::cout << "| " << value << " | " << per["train"] << " | " << per["valid"] << " | " << per["test"]
                          << " |\n";
        }
    }
    std::cout << "\nfirst ten training examples:\n\n";
    for (size_t i = 0; i < 10 && i < s.train.size(); ++i) {
        std::cout << "    ";
        for (size_t j = 0; j < s.train[i].columns.size(); ++j) std::cout << (j ? " | " : "") << s.train[i].columns[j];
        std::cout << "\n";
    }
}

// Shuffles the lines of each split (generators that build their splits cell by cell call this
// so the files do not list one cell after the other).
inline void shuffle_splits(Splits& all, Rng& rng) {
    for (std::vector<Example>* part : {&all.train, &all.valid, &all.test}) {
        std::vector<int> order(part->size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
        rng.shuffle(order);
        std::vector<Example> mixed;
        for (const int i : order) mixed.push_back((*part)[size_t(i)]);
        *part = mixed;
    }
}

// parse arguments -> make_splits(rng) -> write -> report, the same for every corpus.
template <class MakeSplits>
int run_generator(int argc, char** argv, const std::string& name, const std::vector<std::string>& column_names,
                  int n_text_columns, MakeSplits make_splits) {
    try {
        const Options opt = parse_args(argc, argv, name);
        Rng rng(opt.seed);
        const Splits s = make_splits(rng);
        write_splits(s, opt.out);
        print_stats(name, s, column_names, n_text_columns);
        std::cout << "\nwrote " << opt.out << "/{train,valid,test}.tsv\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}

}  // namespace gen
