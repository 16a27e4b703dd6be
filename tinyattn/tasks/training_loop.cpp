// training_loop.cpp — the translation lessons' training loop (see training_loop.hpp).
#include "tinyattn/tasks/training_loop.hpp"

#include <cstdio>

#include "tinyattn/app/interrupt.hpp"
#include "tinyattn/autograd.hpp"
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

// The epoch the last train_epochs call ended at (before `epochs` when early stopping stopped it),
// for print_training_summary, whose callers only know the epochs they asked for.
static int g_last_epoch = -1;

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

EarlyStopping early_stopping(const LessonOptions& opt, const LessonData& loaded) {
    EarlyStopping s;
    s.patience = opt.patience;
    s.keep_last = opt.keep_last;
    s.score_name = "valid loss per token";
    if (!opt.resume.empty()) s.load_state(loaded.resumed, opt.resume);
    return s;
}

double validation_loss(Trainee& trainee, const EncodedPairs& pairs, int batch_size) {
    NoGrad no_grad;
    trainee.module.eval();  // dropout off
    data::BatchOptions o;
    o.batch_size = batch_size;
    o.shuffle = false;
    double sum = 0.0;
    long tokens = 0;
    for (const std::vector<int>& indices : data::make_batches(pairs.src_lengths, o, 0)) {
        const data::Batch batch = data::collate_pairs(pairs.src, pairs.tgt, indices);
        long n = 0;
        for (int len : batch.tgt_lengths) n += len;
        sum += double(trainee.loss(batch).item()) * double(n);  // the loss is the mean over the n tokens
        tokens += n;
    }
    trainee.module.train();
    return tokens > 0 ? sum / double(tokens) : 0.0;
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
    EarlyStopping stopping = config.stopping;
    const std::string last = stopping.on() && !checkpoint.empty() ? last_checkpoint_path(checkpoint) : checkpoint;
    auto save = [&](const std::string& path, int epochs_done) {
        io::Metadata state;
        if (stopping.on()) stopping.save_state(state);
        save_translation_checkpoint(path, trainee.module, trainee.config, optimizer, data, lesson, epochs_done, step,
                                    state);
    };
    double loss = 0.0;
    int epoch = first_epoch;
    for (; epoch < epochs; ++epoch) {
        loss = train_epoch(trainee, optimizer, train, config, epoch, progress, step);
        if (interrupted()) {  // saved as "epoch not done": --resume starts it again
            save(last, epoch);  // with early stopping to <checkpoint>.last: the best epoch's file stays
            exit_after_interrupt(last);
        }
        if (!stopping.on()) {
            save(checkpoint, epoch + 1);
        } else {
            const double score = validation_loss(trainee, data.valid, config.batch_size);
            const bool best = stopping.update(score, epoch + 1, trainee.module);
            std::printf("epoch %d: %s %s (%s)\n", epoch + 1, stopping.score_name.c_str(),
                        stopping.format_score(score).c_str(), stopping.note(!checkpoint.empty()).c_str());
            if (best) save(checkpoint, epoch + 1);
            if (stopping.keep_last) save(last, epoch + 1);
        }
        if (after_epoch) after_epoch(epoch + 1);
        if (stopping.should_stop()) {
            ++epoch;
            break;
        }
    }
    stopping.restore_best(trainee.module, epoch, checkpoint);
    g_last_epoch = epoch;
    return loss;
}

void print_training_summary(int first_epoch, int epochs, long steps, double seconds, double loss) {
    if (epochs <= first_epoch) return;  // train_epochs said "nothing to train"
    const int last = g_last_epoch > first_epoch && g_last_epoch < epochs ? g_last_epoch : epochs;
    std::printf("\ntrained epoch(s) %d to %d of %d%s (%ld steps in all) in %s; mean training loss of the last epoch %.4f\n",
                first_epoch + 1, last, epochs, last < epochs ? ", stopped early" : "", steps,
                format_duration(seconds).c_str(), loss);
}

}  // namespace tinyattn::tasks
