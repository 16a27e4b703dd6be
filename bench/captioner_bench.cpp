// captioner_bench.cpp — W7: one training step of lesson 13's soft-attention captioner at batch 32
// (the model of lessons/13_show_attend_tell/captioner.hpp, unchanged): a conv encoder over
// 32 × 32 RGB images, then 16 decoder steps of additive attention over the 8 × 8 regions and an
// LSTM cell, cross-entropy plus the doubly stochastic penalty; backward; Adam. No clipping, like
// the other workloads. Random images and caption ids (vocab 17, the toy scenes' size).
#include "workloads.hpp"
#include "lessons/13_show_attend_tell/captioner.hpp"

using namespace tinyattn;

namespace bench {

namespace {
constexpr int kVocab = 17, kBatch = 32, kSteps = 16;
constexpr size_t kParams = 172177;
}  // namespace

void run_w7(const Options& opt) {
    manual_seed(1234);
    lesson13::Captioner model(lesson13::Look::soft, kVocab);
    check_params("W7", model.parameter_count(), kParams);
    Rng rng(1234);
    tasks::CaptionBatch batch;
    batch.batch = kBatch;
    batch.steps = kSteps;
    batch.images = uniform({kBatch, 3, 32, 32}, 0.0f, 1.0f, rng);
    batch.inputs = random_ids(rng, kBatch * kSteps, kVocab);
    batch.targets = random_ids(rng, kBatch * kSteps, kVocab);
    optim::Adam adam(model.parameters(), 1e-3);
    nn::ReinforceBaseline unused_baseline;  // soft attention draws nothing
    Rng unused_rng(1);
    const Timing t = time_steps([&] {
        model.zero_grad();
        lesson13::batch_loss(model, batch, unused_rng, unused_baseline).loss.backward();
        adam.step();
    }, opt);
    print_step_json("W7", opt, t, model.parameter_count());
}

}  // namespace bench
