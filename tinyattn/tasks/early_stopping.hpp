// early_stopping.hpp — keep the epoch with the best validation score, and stop once `patience`
// epochs in a row have not beaten it.
//
// More epochs are not always better: past some point a model fits its training sentences ever
// more closely and gets worse on new ones. The validation split, never trained on, says when:
// after every epoch the loop scores it, and
//
//     a better score than any before  -> remember these weights (and save the checkpoint)
//     no better for `patience` epochs -> stop, and put the best weights back
//
// so the checkpoint and the test numbers are the best epoch's, not the last one's. The translation
// lessons score the validation loss per token (lower is better: teacher-forced, so one batched
// pass for any model, and smooth from epoch to epoch, where BLEU on a few hundred greedy outputs
// jumps by chance); the sentiment lessons the validation accuracy (higher is better).
// The state (best score, its epoch, epochs without improvement) travels in the checkpoint's
// metadata, so a resumed run goes on counting where it stopped.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/nn/module.hpp"

namespace tinyattn::tasks {

struct EarlyStopping {
    int patience = 0;               // 0: off (every epoch trains, the last is kept)
    bool keep_last = false;         // also save each epoch to <checkpoint>.last
    bool higher_is_better = false;  // accuracy: true; loss: false
    std::string score_name = "valid loss";
    bool percent = false;           // print the score as a percentage (accuracy)
    // The state.
    int best_epoch = 0;             // epochs done when the best score was reached (0: none yet)
    double best_score = 0.0;
    int bad_epochs = 0;             // epochs since then without a better score
    std::vector<std::vector<float>> best_weights;  // this run's best, one vector per parameter

    bool on() const { return patience > 0; }
    // After `epoch` epochs, the validation score was `score`: true when it is the best so far (then
    // the module's weights are copied into best_weights).
    bool update(double score, int epoch, const nn::Module& module);
    // What the last update means, for the epoch's line: "best, saved" (`saved`: a checkpoint file is
    // written), or "best 1.2345 at epoch 7; 1 of 3 epochs without improvement", ending in
    // "; no improvement for 3 epochs: stopping" when should_stop().
    std::string note(bool saved) const;
    std::string format_score(double score) const;  // "1.2345", or "92.7%" when `percent`
    bool should_stop() const { return on() && bad_epochs >= patience; }
    // After the last epoch trained (`last_epoch`): if the best epoch was an earlier one, copies its
    // weights back into `module` — from memory, or from `checkpoint` (the best epoch's file) when the
    // best came before a resume — and says so. Returns the epoch whose weights the module now holds.
    int restore_best(nn::Module& module, int last_epoch, const std::string& checkpoint);

    // "best_epoch", "best_score", "bad_epochs" in a checkpoint's metadata, and back (absent: no state).
    void save_state(io::Metadata& metadata) const;
    void load_state(const io::Metadata& metadata, const std::string& path);
};

// The checkpoint path that keeps the last epoch: "<checkpoint>.last".
std::string last_checkpoint_path(const std::string& checkpoint);

}  // namespace tinyattn::tasks
