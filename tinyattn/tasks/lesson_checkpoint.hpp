// lesson_checkpoint.hpp — what makes a lesson's checkpoint self-contained, and how --resume
// refuses one that does not belong to this run.
//
// A lesson checkpoint is ONE file (io/checkpoint.hpp, written with one atomic rename): the
// weights and the optimizer state, and in its metadata everything else a resumed run needs —
// the vocabularies and label list (as text), the epoch and step counters, the global RNG, the
// lesson's name, the model's configuration and a fingerprint of the training data. A renamed
// or moved copy therefore loads, and nothing beside it can be damaged or go missing.
//
// Before a single weight is copied, check_resume compares the checkpoint with this run and
// refuses, in one line, a checkpoint of another lesson, of another model configuration, or of
// other data (a model trained on dates resumed on English→French would train to all-<unk>).
#pragma once
#include <string>
#include <vector>

#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"

namespace tinyattn::tasks {

// "2417 lines, crc32 9a3c01fe": the count and checksum of a split's text, line by line.
// Same file, same --seed (which shuffles a single file before it is split) -> same fingerprint.
std::string data_fingerprint(const std::vector<std::string>& lines);

// The metadata value for `key`, or an error naming the checkpoint and the key.
std::string metadata_value(const io::Metadata& metadata, const std::string& key, const std::string& path);

// A vocabulary stored in the metadata under `key` (Vocab::to_text), and back.
data::Vocab vocab_from_metadata(const io::Metadata& metadata, const std::string& key, const std::string& path);

// Throws, naming the checkpoint and the first difference, unless the checkpoint's "lesson" is
// one of `lessons` (lesson 11 also decodes lesson 07's model), every key of `config` has the same value in it, and its "data" fingerprint is
// `fingerprint`.
void check_resume(const io::Metadata& metadata, const std::string& path, const std::vector<std::string>& lessons,
                  const io::Metadata& config, const std::string& fingerprint);

// The global RNG (dropout) into the metadata under "rng", and back from it when present.
void save_global_rng(io::Metadata& metadata);
void restore_global_rng(const io::Metadata& metadata);

}  // namespace tinyattn::tasks
