// checkpoint.hpp — save and restore a training run: the model's named parameters, the
// optimizer's state and a small text metadata map (lesson, vocab files, step, RNG state).
//
// File format, version 1 (every integer little-endian, floats as IEEE-754 float32 bits):
//
//     "TATN"                     4-byte magic: "this is a tinyattn checkpoint"
//     u32 version                1
//     u64 payload_size           bytes between this header and the checksum
//     payload:
//       u32 n, n × (str key, str value)                 metadata
//       u32 n, n × tensor                               model parameters (dotted names)
//       u8 has_optimizer; if 1:
//         str type, u32 n, n × (str key, str value)     optimizer scalars ("lr", "0.step", ...)
//         u32 n, n × tensor                             optimizer buffers ("0.exp_avg", ...)
//     u32 crc32                  CRC-32 of every byte before it
//
//     str    = u32 length, bytes (UTF-8)
//     tensor = str name, u32 rank, rank × u32 dims, numel × f32
//
// Reading checks, in order: the magic, the version, the length (truncation), the checksum
// (corruption) and only then parses, so each failure gets its own message naming the file.
// Loading into a model checks every name and shape (and the optimizer state) before
// copying a single number: a checkpoint is loaded completely or not at all.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tinyattn/nn/module.hpp"
#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::io {

using Metadata = std::map<std::string, std::string>;

constexpr uint32_t kCheckpointVersion = 1;

// A checkpoint in memory, checked and parsed.
struct Checkpoint {
    Metadata metadata;
    std::vector<std::pair<std::string, Tensor>> parameters;  // as Module::named_parameters()
    bool has_optimizer = false;
    optim::OptimizerState optimizer;
};

// Writes atomically (see atomic_file.hpp): an interrupted save never destroys `path`.
void save_checkpoint(const std::string& path, const nn::Module& model, const optim::Optimizer* optimizer = nullptr,
                     const Metadata& metadata = {});
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads and verifies a file (throws std::runtime_error naming the file on any problem).
Checkpoint read_checkpoint(const std::string& path);

// Copies the parameters into `model` and the state into `optimizer` (if given) and returns
// the metadata. Throws, changing nothing, if the names or shapes differ from the model's
// (naming the first mismatched parameter and both shapes, and any missing or unexpected
// names), or if an optimizer is given and the checkpoint has no (or other) optimizer state.
Metadata load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer* optimizer = nullptr);

// The byte encoding on its own (used by the functions above, by tests and by fuzzers).
// `name` is what error messages call the bytes, normally the file path.
std::string encode_checkpoint(const Checkpoint& checkpoint);
Checkpoint decode_checkpoint(const std::string& bytes, const std::string& name);

// An Rng's full state as text for the metadata map ("pcg32 <state> <inc>"), and back.
std::string rng_to_text(const Rng& rng);
Rng rng_from_text(const std::string& text);

}  // namespace tinyattn::io
