// translation_checkpoint.cpp — saving, checking and loading a translation lesson's checkpoint.
#include "tinyattn/tasks/translation_checkpoint.hpp"

#include <charconv>
#include <filesystem>
#include <stdexcept>

#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// A counter from a checkpoint's metadata ("epoch", "step"), or an error naming the file.
static int parse_count(const std::string& text, const std::string& path) {
    int n = -1;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size() || n < 0)
        throw std::runtime_error(path + ": checkpoint counter '" + text + "' is not a whole number");
    return n;
}

// ---- checkpoints ------------------------------------------------------------------------------

io::Metadata seq2seq_config(const models::Seq2Seq& model) {
    return {{"embedding_dim", std::to_string(model.config.embedding_dim)},
            {"hidden_size", std::to_string(model.config.hidden_size)},
            {"attention", model.decoder->attention_name()}};
}

io::Metadata translation_metadata(const io::Metadata& model_config, const TranslationData& data,
                                  const std::string& lesson, int epoch, long step, const io::Metadata& extra) {
    io::Metadata meta = model_config;
    meta.insert(extra.begin(), extra.end());
    meta["lesson"] = lesson;
    meta["corpus"] = data.pairs.name;
    meta["data"] = fingerprint(data);
    meta["epoch"] = std::to_string(epoch);
    meta["step"] = std::to_string(step);
    meta["src_tokens"] = data.src_vocab.to_text();  // inside the one file: a moved copy still loads
    meta["tgt_tokens"] = data.tgt_vocab.to_text();
    save_subwords(meta, data.subwords);  // --bpe: both sides' merges, so a resumed run cuts words the same way
    save_global_rng(meta);
    return meta;
}

void save_translation_checkpoint(const std::string& path, const nn::Module& model, const io::Metadata& model_config,
                                 const optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::string& lesson, int epoch, long step, const io::Metadata& extra) {
    if (path.empty()) return;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    io::save_checkpoint(path, model, &optimizer, translation_metadata(model_config, data, lesson, epoch, step, extra));
}

void load_translation_checkpoint(const std::string& path, nn::Module& model, const io::Metadata& model_config,
                                 optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::vector<std::string>& lessons) {
    const io::Metadata meta = io::read_checkpoint(path).metadata;
    check_resume(meta, path, lessons, model_config, fingerprint(data));
    io::load_checkpoint(path, model, &optimizer);
    restore_global_rng(meta);
}

ResumeInfo read_resume_info(const std::string& path) {
    ResumeInfo r;
    r.metadata = io::read_checkpoint(path).metadata;
    r.epoch = parse_count(metadata_value(r.metadata, "epoch", path), path);
    r.step = parse_count(metadata_value(r.metadata, "step", path), path);
    r.src_vocab = vocab_from_metadata(r.metadata, "src_tokens", path);
    r.tgt_vocab = vocab_from_metadata(r.metadata, "tgt_tokens", path);
    return r;
}

}  // namespace tinyattn::tasks
