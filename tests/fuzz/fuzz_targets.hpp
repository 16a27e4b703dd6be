// fuzz_targets.hpp — what each fuzz target does with one input, shared by the libFuzzer
// programs (fuzz_*.cpp, built by build.sh with clang) and by tests/test_regressions_fuzz.cpp,
// which replays the seed corpus and every input that once crashed through the same code
// in the normal (and the sanitizer) test run.
//
// The only acceptable failure of a reader is the std::runtime_error it documents ("path:line:
// ..." or "checkpoint '...' is ..."). Any other exception escapes (the fuzzer reports it as a
// crash, the test as a failure), and so does a broken promise of a successful load, thrown
// as std::logic_error.
#pragma once
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/io/crc32.hpp"

namespace fuzz_targets {

using namespace tinyattn;

inline void expect(bool ok, const char* promise) {
    if (!ok) throw std::logic_error(std::string("fuzz check failed: ") + promise);
}

// The loaders read files: each input goes to one temporary file per process first.
inline std::string write_input(const char* name, const uint8_t* data, size_t size) {
    const std::string path = "/tmp/tinyattn-fuzz-" + std::to_string(::getpid()) + "-" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw std::logic_error("cannot write " + path);
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

// data::load_pairs, plain and with swap + max_length + the tutorial's prefix filter.
inline void pairs(const uint8_t* data, size_t size) {
    const std::string path = write_input("pairs.tsv", data, size);
    data::PairOptions filtered;
    filtered.swap = true;
    filtered.max_length = 4;
    filtered.english_prefixes = data::tutorial_english_prefixes();
    for (const data::PairOptions& options : {data::PairOptions(), filtered}) {
        try {
            for (const data::SentencePair& p : data::load_pairs(path, options))
                expect(!p.src.empty() && !p.tgt.empty() && p.line >= 1, "a loaded pair has tokens and a line");
        } catch (const std::runtime_error&) {
        }
    }
}

// data::load_labelled with the label column found automatically, first and second.
inline void labelled(const uint8_t* data, size_t size) {
    const std::string path = write_input("labelled.tsv", data, size);
    for (data::LabelColumn column : {data::LabelColumn::Auto, data::LabelColumn::First, data::LabelColumn::Second}) {
        data::LabelledOptions options;
        options.label_column = column;
        try {
            const data::LabelledData d = data::load_labelled(path, options);
            for (const data::LabelledExample& e : d.examples) {
                expect(e.label_id >= 0 && size_t(e.label_id) < d.labels.size(), "label_id indexes the labels");
                expect(d.labels[size_t(e.label_id)] == e.label && !e.tokens.empty(), "label_id names the label");
            }
        } catch (const std::runtime_error&) {
        }
    }
}

// data::Vocab::load; a vocabulary that loads must save and load back unchanged.
inline void vocab(const uint8_t* data, size_t size) {
    const std::string path = write_input("vocab.txt", data, size);
    data::Vocab v;
    try {
        v = data::Vocab::load(path);
    } catch (const std::runtime_error&) {
        return;
    }
    expect(v.id("<pad>") == data::Vocab::pad_id && v.id("<unk>") == data::Vocab::unk_id, "specials at their ids");
    for (int i = 0; i < v.size(); ++i) expect(v.id(v.token(i)) == i, "id(token(i)) == i");
    v.save(path);
    expect(data::Vocab::load(path).itos == v.itos, "save + load round trip");
}

// io::decode_checkpoint. The first byte picks what the rest is — even: a whole file as read
// from disk; odd: only the payload, wrapped here in a correct header and CRC-32 (else the
// fuzzer would almost never get past the checksum into the parser). A checkpoint that
// decodes must encode and decode again to the same names and shapes.
inline std::string with_header(const std::string& payload) {
    std::string bytes = "TATN";
    for (int i = 0; i < 4; ++i) bytes.push_back(char((io::kCheckpointVersion >> (8 * i)) & 0xFF));
    for (int i = 0; i < 8; ++i) bytes.push_back(char((uint64_t(payload.size()) >> (8 * i)) & 0xFF));
    bytes += payload;
    const uint32_t crc = io::crc32(bytes);
    for (int i = 0; i < 4; ++i) bytes.push_back(char((crc >> (8 * i)) & 0xFF));
    return bytes;
}

inline void checkpoint(const uint8_t* data, size_t size) {
    if (size == 0) return;
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    io::Checkpoint ckpt;
    try {
        ckpt = io::decode_checkpoint((data[0] & 1) ? with_header(rest) : rest, "fuzz");
    } catch (const std::runtime_error&) {
        return;
    }
    const io::Checkpoint again = io::decode_checkpoint(io::encode_checkpoint(ckpt), "re-encoded");
    expect(again.metadata == ckpt.metadata && again.has_optimizer == ckpt.has_optimizer &&
               again.parameters.size() == ckpt.parameters.size(),
           "re-encoded checkpoint has the same contents");
    for (size_t i = 0; i < ckpt.parameters.size(); ++i)
        expect(again.parameters[i].first == ckpt.parameters[i].first &&
                   again.parameters[i].second.shape() == ckpt.parameters[i].second.shape(),
               "re-encoded parameter has the same name and shape");
}

}  // namespace fuzz_targets
