// run_estimate.cpp — a training run's cost, measured before it starts (see run_estimate.hpp).
#include "tinyattn/tasks/run_estimate.hpp"

#include <algorithm>
#include <cstdio>

#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tasks/translation_checkpoint.hpp"

namespace tinyattn::tasks {

// The token slots a batch fills, padding included: B × (longest source + longest target + 1).
// A step's work grows with them (every op runs over the padded [B, S] and [B, T] grids).
static double token_slots(const EncodedPairs& train, const std::vector<int>& batch) {
    size_t s = 0, t = 0;
    for (const int i : batch) {
        s = std::max(s, train.src[size_t(i)].size());
        t = std::max(t, train.tgt[size_t(i)].size() + 1);
    }
    return double(batch.size() * (s + t));
}

RunEstimate estimate_run(Trainee& trainee, optim::Optimizer& optimizer, const TranslationData& data,
                         const EncodedPairs& train, const TrainConfig& config, const std::string& lesson, int epoch) {
    RunEstimate e;
    e.parameters = trainee.module.parameter_count();
    const auto batches = data::make_batches(train.src_lengths, batch_options(config), epoch);
    e.steps_per_epoch = int(batches.size());

    // What the timed steps change, kept to be put back: weights, optimizer state, global RNG.
    std::vector<Tensor> params = trainee.module.parameters();
    std::vector<std::vector<float>> weights;
    for (const Tensor& p : params) weights.push_back(p.to_vector());
    const optim::OptimizerState optimizer_state = optimizer.state_dict();
    const Rng rng = global_rng();

    trainee.module.train();
    double timed_slots = 0.0;
    for (size_t k = 0; k < batches.size() && e.timed_steps < kEstimateSteps; ++k) {
        const data::Batch batch = data::collate_pairs(train.src, train.tgt, batches[k]);
        Timer timer;
        train_step(trainee, optimizer, batch, config.clip_norm);
        if (k == 0) continue;  // warm-up: first-touch allocations, caches
        e.timed_seconds += timer.seconds();
        timed_slots += token_slots(train, batches[k]);
        ++e.timed_steps;
        if (e.timed_steps >= 3 && e.timed_seconds > 2.0) break;
    }
    double all_slots = 0.0;
    for (const auto& b : batches) all_slots += token_slots(train, b);
    // The ratio estimator: seconds per token slot of the timed steps × all the epoch's slots.
    // (One batch only, or none timed: the warm-up's own slots are all there is.)
    e.epoch_seconds = timed_slots > 0 ? e.timed_seconds / timed_slots * all_slots : 0.0;

    // The checkpoint a save would write now: after a step, so the optimizer's buffers exist.
    io::Checkpoint ckpt;
    ckpt.metadata = translation_metadata(trainee.config, data, lesson, epoch + 1, 0);
    ckpt.parameters = trainee.module.named_parameters();
    ckpt.has_optimizer = true;
    ckpt.optimizer = optimizer.state_dict();
    for (const auto& [name, t] : ckpt.optimizer.tensors) e.optimizer_floats += t.numel();
    e.checkpoint_bytes = io::encode_checkpoint(ckpt).size();

    // Undo the timed steps.
    for (size_t i = 0; i < params.size(); ++i) std::copy(weights[i].begin(), weights[i].end(), params[i].data());
    optimizer.load_state_dict(optimizer_state);
    optimizer.zero_grad();
    global_rng() = rng;
    return e;
}

void print_estimate(const RunEstimate& e, int epochs) {
    const double megabytes = double(e.checkpoint_bytes) / 1e6;
    std::printf("estimate: %zu parameters · checkpoint %.1f MB (%zu weights + %zu optimizer floats, 4 bytes each, "
                "+ vocabularies) · one epoch ≈ %s (%d steps; %d real steps timed at %.3f s each, then undone)\n",
                e.parameters, megabytes, e.parameters, e.optimizer_floats, format_duration(e.epoch_seconds).c_str(),
                e.steps_per_epoch, e.timed_steps, e.timed_steps ? e.timed_seconds / e.timed_steps : 0.0);
    if (e.epoch_seconds > kLongEpochSeconds)
        std::printf("warning: one epoch will take about %s (%d epoch(s): %s). Most of a step is the output layer and its "
                    "softmax, which grow with the target vocabulary: --max-vocab N or a higher --min-freq shrink it; "
                    "so does a shorter file\n",
                    format_duration(e.epoch_seconds).c_str(), epochs, format_duration(e.epoch_seconds * epochs).c_str());
}

}  // namespace tinyattn::tasks
