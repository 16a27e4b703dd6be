// translation_checkpoint.hpp — a translation lesson's checkpoint: one self-contained file
// (tasks/lesson_checkpoint.hpp) with the model, the optimizer, both vocabularies, the counters,
// the model configuration and the data fingerprint; and the checks --resume makes.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/data/vocab.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/tasks/pair_data.hpp"

namespace tinyattn::tasks {

// ---- checkpoints ------------------------------------------------------------------------------

// The Seq2Seq configuration as checkpoint metadata: {"embedding_dim", "hidden_size", "attention"}.
io::Metadata seq2seq_config(const models::Seq2Seq& model);

// What such a checkpoint's metadata holds (everything but the weights and the optimizer state);
// `extra`: more keys (the early-stopping state).
io::Metadata translation_metadata(const io::Metadata& model_config, const TranslationData& data,
                                  const std::string& lesson, int epoch, long step, const io::Metadata& extra = {});

// Saves ONE self-contained file (tasks/lesson_checkpoint.hpp): model + optimizer, and in the
// metadata the lesson, `model_config`, the data fingerprint, epoch, step, both vocabularies and
// the global RNG, and every key of `extra` (the early-stopping state). An empty path saves nothing.
void save_translation_checkpoint(const std::string& path, const nn::Module& model, const io::Metadata& model_config,
                                 const optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::string& lesson, int epoch, long step, const io::Metadata& extra = {});
// Refuses (one line, nothing changed) a checkpoint of a lesson not in `lessons`, of another
// configuration or of other data; else loads the weights, the optimizer state and the global RNG.
void load_translation_checkpoint(const std::string& path, nn::Module& model, const io::Metadata& model_config,
                                 optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::vector<std::string>& lessons);

// What a checkpoint says before the model exists: its vocabularies and counters.
struct ResumeInfo {
    data::Vocab src_vocab, tgt_vocab;
    int epoch = 0;
    long step = 0;
    io::Metadata metadata;
};
ResumeInfo read_resume_info(const std::string& path);

}  // namespace tinyattn::tasks
