// early_stopping.cpp — the best epoch's weights and the patience counter (see early_stopping.hpp).
#include "tinyattn/tasks/early_stopping.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

bool EarlyStopping::update(double score, int epoch, const nn::Module& module) {
    const bool better = best_epoch == 0 || (higher_is_better ? score > best_score : score < best_score);
    if (!better) {
        ++bad_epochs;
        return false;
    }
    best_epoch = epoch;
    best_score = score;
    bad_epochs = 0;
    best_weights.clear();
    for (const Tensor& p : module.parameters()) best_weights.emplace_back(p.data(), p.data() + p.numel());
    return true;
}

std::string EarlyStopping::format_score(double score) const {
    char buf[32];
    if (percent) std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * score);
    else std::snprintf(buf, sizeof buf, "%.4f", score);
    return buf;
}

std::string EarlyStopping::note(bool saved) const {
    if (bad_epochs == 0) return saved ? "best, saved" : "best";
    std::string s = "best " + format_score(best_score) + " at epoch " + std::to_string(best_epoch) + "; " +
                    std::to_string(bad_epochs) + " of " + std::to_string(patience) + " epoch(s) without improvement";
    if (should_stop()) s += "; no improvement for " + std::to_string(bad_epochs) + " epoch(s): stopping";
    return s;
}

int EarlyStopping::restore_best(nn::Module& module, int last_epoch, const std::string& checkpoint) {
    if (!on() || best_epoch == 0 || best_epoch == last_epoch) return last_epoch;
    if (!best_weights.empty()) {
        std::vector<Tensor> params = module.parameters();  // handles sharing the module's storage
        for (size_t i = 0; i < params.size(); ++i)
            std::memcpy(params[i].data(), best_weights[i].data(), best_weights[i].size() * sizeof(float));
    } else if (!checkpoint.empty()) {  // the best epoch came before --resume: its file holds it
        const io::Metadata meta = io::read_checkpoint(checkpoint).metadata;
        if (metadata_value(meta, "epoch", checkpoint) != std::to_string(best_epoch)) {
            std::printf("(the best epoch %d is not in %s any more: keeping epoch %d's weights)\n", best_epoch,
                        checkpoint.c_str(), last_epoch);
            return last_epoch;
        }
        io::load_checkpoint(checkpoint, module);
    } else {
        return last_epoch;
    }
    std::printf("best epoch %d restored (%s %s); the test numbers below are its\n", best_epoch, score_name.c_str(),
                format_score(best_score).c_str());
    return best_epoch;
}

void EarlyStopping::save_state(io::Metadata& metadata) const {
    metadata["best_epoch"] = std::to_string(best_epoch);
    char score[64];
    std::snprintf(score, sizeof score, "%.17g", best_score);
    metadata["best_score"] = score;
    metadata["bad_epochs"] = std::to_string(bad_epochs);
}

void EarlyStopping::load_state(const io::Metadata& metadata, const std::string& path) {
    if (!metadata.count("best_epoch")) return;  // saved without early stopping
    try {
        best_epoch = std::stoi(metadata.at("best_epoch"));
        best_score = std::stod(metadata_value(metadata, "best_score", path));
        bad_epochs = std::stoi(metadata_value(metadata, "bad_epochs", path));
    } catch (const std::logic_error&) {
        throw std::runtime_error(path + ": checkpoint's early-stopping state (best_epoch, best_score, bad_epochs) "
                                        "is not a number");
    }
}

std::string last_checkpoint_path(const std::string& checkpoint) { return checkpoint + ".last"; }

}  // namespace tinyattn::tasks
