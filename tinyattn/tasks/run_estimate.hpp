// run_estimate.hpp — what a training run will cost, said before it starts.
//
// A learner who points a lesson at a big file should know before waiting: how many parameters,
// how big each checkpoint will be, and how long one epoch takes. The epoch time is MEASURED, not
// computed from a formula: a few real training steps on the epoch's own batches are timed and
// then undone (the weights, the optimizer's state and the global RNG are put back bit for bit),
// so the run that follows is exactly the run without the estimate. The checkpoint size is the
// byte count of the file a save would write after those steps (weights, the optimizer's buffers,
// vocabularies, metadata), from the same encoder the save uses.
#pragma once
#include <cstddef>
#include <string>

#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/tasks/training_loop.hpp"

namespace tinyattn::tasks {

struct RunEstimate {
    size_t parameters = 0;        // floats in the model
    size_t optimizer_floats = 0;  // floats in the optimizer's saved state (Adam: 2 per parameter)
    size_t checkpoint_bytes = 0;  // the size of the file save_translation_checkpoint writes
    int timed_steps = 0;          // steps timed (after one untimed warm-up step)
    double timed_seconds = 0.0;   // their wall time
    int steps_per_epoch = 0;
    double epoch_seconds = 0.0;   // timed_seconds scaled by the epoch's token slots / the timed ones
};

// The epoch's estimate from its first batches (they are shuffled, so a sample of all lengths):
// at most kEstimateSteps timed steps, fewer once ~2 s have been spent. With 8 the estimate of an
// epoch on the 142k-pair file was 26% short (1:26 for 1:56): too few lengths, and the first
// seconds of a run are its fastest; with 64 it is 11% short (1:44).
inline constexpr int kEstimateSteps = 64;
RunEstimate estimate_run(Trainee& trainee, optim::Optimizer& optimizer, const TranslationData& data,
                         const EncodedPairs& train, const TrainConfig& config, const std::string& lesson, int epoch);

// Above this an epoch is "long": print_estimate warns and says what shrinks it.
inline constexpr double kLongEpochSeconds = 600.0;

// One line, e.g. (lesson 07 on a 142k-pair file, on a busy machine):
//   estimate: 1837216 parameters · checkpoint 22.1 MB (1837216 weights + 3674432 optimizer floats,
//   4 bytes each, + vocabularies) · one epoch ≈ 12:48 (4331 steps; 8 real steps timed at 0.184 s
//   each, then undone)
// and, past kLongEpochSeconds, a warning that says what shrinks the epoch.
void print_estimate(const RunEstimate& estimate, int epochs);

}  // namespace tinyattn::tasks
