// training_loop.hpp — the one training loop of the translation lessons (06, 07, 08, 10, 11).
//
// Every model they train is a module with a loss on a padded batch of pairs (the mean over the
// batch's real target tokens): the recurrent seq2seq with or without attention, the Luong
// variants, the Transformer. The loop is the four steps of lesson 03, batch after batch:
//
//     zero_grad → loss = model.loss(batch) → backward → clip → step
//
// and after each epoch a checkpoint. A lesson says what to train in one line:
//
//     tasks::Trainee trainee{model, [&](const data::Batch& b) { return model.loss(b); },
//                            tasks::seq2seq_config(model)};     // or tasks::seq2seq_trainee(model)
//     tasks::train_epochs(trainee, adam, data, train_set, {32, 1.0, opt.seed}, "07_attention",
//                         opt.checkpoint, first_epoch, opt.epochs, step);
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/data/batching.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/models/seq2seq.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/tasks/early_stopping.hpp"
#include "tinyattn/tasks/pair_data.hpp"

namespace tinyattn::tasks {

// What the loop trains.
struct Trainee {
    nn::Module& module;                                // train() at every epoch; saved in checkpoints
    std::function<Tensor(const data::Batch&)> loss;    // mean loss over the batch's real target tokens
    io::Metadata config;                               // what checkpoints record of the model (and --resume checks)
};

struct TrainConfig {
    int batch_size = 32;
    double clip_norm = 1.0;   // clip_grad_norm before every step (0: off)
    uint64_t seed = 1;        // batch order: make_batches(..., seed, epoch)
    // Called after every optimizer step with the step count and that step's loss (lesson 10:
    // its learning-rate schedule and loss curve). Empty: nothing.
    std::function<void(long step, float loss)> after_step = {};
    // Before the first epoch, time a few real steps (then undo them) and print what the run will
    // cost: parameters, checkpoint size, epoch time (tasks/run_estimate.hpp).
    bool print_estimate = false;
    // Early stopping on the validation loss per token (tasks/early_stopping.hpp); off by default.
    EarlyStopping stopping = {};
};

// The early stopping a lesson's command line asks for (--patience, --keep-last; on by default with
// --data), with the state a resumed checkpoint carried.
EarlyStopping early_stopping(const LessonOptions& opt, const LessonData& loaded);

// The batch order and bucketing of every epoch: make_batches(lengths, batch_options(c), epoch).
data::BatchOptions batch_options(const TrainConfig& config);

// One optimizer step on one batch: zero_grad, loss, backward, clip (clip_norm > 0), step.
// Returns the batch's loss.
float train_step(Trainee& trainee, optim::Optimizer& optimizer, const data::Batch& batch, double clip_norm);

// The recurrent seq2seq as a Trainee: its loss, and its configuration (seq2seq_config).
Trainee seq2seq_trainee(models::Seq2Seq& model);

int batches_per_epoch(const EncodedPairs& train, int batch_size);

// One pass over `train` in seeded, length-bucketed batches: zero_grad, loss, backward, clip,
// step. Reports every step to `progress` and counts `step`. Returns the mean loss per token.
double train_epoch(Trainee& trainee, optim::Optimizer& optimizer, const EncodedPairs& train,
                   const TrainConfig& config, int epoch, Progress& progress, long& step);

// The mean loss per target token over a split, teacher-forced, no graph, dropout off.
double validation_loss(Trainee& trainee, const EncodedPairs& pairs, int batch_size);

// Trains epochs first_epoch, first_epoch + 1, ..., epochs - 1: `epochs` is the TOTAL (a resumed
// run continues the numbering, so its batch order is what an uninterrupted run would have seen;
// at first_epoch >= epochs it says "nothing to train" and returns 0). After each epoch saves a
// checkpoint to `checkpoint` (if not empty) and calls after_epoch(epochs done so far). Ctrl-C
// saves and exits 130. Returns the last epoch's mean training loss per token.
// With config.stopping on, after each epoch it scores data.valid (validation_loss), saves the
// checkpoint only when that is the best so far (and <checkpoint>.last every epoch with keep_last;
// Ctrl-C saves there too, so the best stays), stops after `patience` epochs without a better one,
// and leaves the best epoch's weights in the model.
double train_epochs(Trainee trainee, optim::Optimizer& optimizer, const TranslationData& data,
                    const EncodedPairs& train, const TrainConfig& config, const std::string& lesson,
                    const std::string& checkpoint, int first_epoch, int epochs, long& step,
                    const std::function<void(int)>& after_epoch = {});

// Prints "trained epoch(s) F to E of E (S steps in all) in M:SS; mean training loss of the last
// epoch L" (nothing when no epoch was trained).
void print_training_summary(int first_epoch, int epochs, long steps, double seconds, double loss);

}  // namespace tinyattn::tasks
