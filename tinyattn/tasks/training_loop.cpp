// training_loop.cpp — the translation lessons' training loop (see training_loop.hpp).
#include "tinyattn/tasks/training_loop.hpp"

#include <cstdio>

#include "tinyattn/app/interrupt.hpp"
#include "tinyattn/optim/clip_grad.hpp"
#include "tinyattn/tasks/run_estimate.hpp"
#include "tinyattn/tasks/translation_checkpoint.hpp"

namespace tinyattn::tasks {

data::BatchOptions batch_options(const TrainConfig& c) {
    data::BatchOptions o;
    o.batch_size = c.batch_size;
    o.seed = c.seed;
    return o;  // shuffled and length-bucketed
}

Trainee seq2seq_trainee(models::Seq2Seq& model) {
    return {model, [&model](const data::Batch& batch) { return model.loss(batch); }, seq2seq_config(model)};
}

int batches_per_epoch(const EncodedPairs& train, int batch_size) {
    TrainConfig c;
    c.batch_size = batch_size;
    return int(data::make_batches(train.src_lengths, batch_options(c), 0).size());
}

float train_step(Trainee& trainee, optim::Optimizer& optimizer, const data::Batch& batch, double clip_norm) {
    optimizer.zero_grad();                      // 1. clear old gradients
    const Tensor loss = trainee.loss(batch);    // 2. forward: mean over the real target tokens
    loss.backward();                            // 3. backward
    if (clip_norm > 0) optim::clip_grad_norm(optimizer.params(), clip_norm);
    optimizer.step();                           // 4. step
    return loss.item();
}

double train_epoch(Trainee& trainee, optim::Optimizer& optimizer, const EncodedPairs& train,
                   const TrainConfig& config, int epoch, Progress& progress, long& step) {
    trainee.module.train();  // dropout on
    const auto batches = data::make_batches(train.src_lengths, batch_options(config), epoch);
    double loss_sum = 0.0;
    long token_sum = 0;
    for (size_t k = 0; k < batches.size(); ++k) {
        const data::Batch batch = data::collate_pairs(train.src, train.tgt, batches[k]);
        long tokens = 0;
        for (int n : batch.tgt_lengths) tokens += n;
        const float l = train_step(trainee, optimizer, batch, config.clip_norm);
        ++step;
        if (config.after_step) config.after_step(step, l);
        loss_sum += double(l) * double(tokens);
        token_sum += tokens;
        progress.step(epoch, int(k), l, tokens);
        if (interrupted()) break;  // Ctrl-C: stop at this step boundary (train_epochs saves)
    }
    return token_sum > 0 ? loss_sum / double(token_sum) : 0.0;
}

double train_epochs(Trainee trainee, optim::Optimizer& optimizer, const TranslationData& data,
                    const EncodedPairs& train, const TrainConfig& config, const std::string& lesson,
                    const std::string& checkpoint, int first_epoch, int epochs, long& step,
                    const std::function<void(int)>& after_epoch) {
    if (nothing_to_train(first_epoch, epochs)) return 0.0;
    if (config.print_estimate)
        print_estimate(estimate_run(trainee, optimizer, data, train, config, lesson, first_epoch), epochs - first_epoch);
    Progress progress(first_epoch, epochs, batches_per_epoch(train, config.batch_size));
    install_interrupt_handler();  // Ctrl-C saves a checkpoint at the next step instead of killing
    double loss = 0.0;
    for (int epoch = first_epoch; epoch < epochs; ++epoch) {
        loss = train_epoch(trainee, optimizer, train, config, epoch, progress, step);
        if (interrupted()) {  // saved as "epoch not done": --resume starts it again
            save_translation_checkpoint(checkpoint, trainee.module, trainee.config, optimizer, data, lesson, epoch, step);
            exit_after_interrupt(checkpoint);
        }
        save_translation_checkpoint(checkpoint, trainee.module, trainee.config, optimizer, data, lesson, epoch + 1, step);
        if (after_epoch) after_epoch(epoch + 1);
    }
    return loss;
}

void print_training_summary(int first_epoch, int epochs, long steps, double seconds, double loss) {
    if (epochs <= first_epoch) return;  // train_epochs said "nothing to train"
    std::printf("\ntrained epoch(s) %d to %d of %d (%ld steps in all) in %s; mean training loss of the last epoch %.4f\n",
                first_epoch + 1, epochs, epochs, steps, format_duration(seconds).c_str(), loss);
}

}  // namespace tinyattn::tasks
