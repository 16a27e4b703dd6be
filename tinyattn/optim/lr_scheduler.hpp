// lr_scheduler.hpp — learning-rate schedules (torch.optim.lr_scheduler).
//
// A scheduler owns no parameters; it only rewrites its optimizer's learning rate. Call
// scheduler.step() once after each optimizer.step() (or once per epoch for StepLR used
// per epoch), exactly as in PyTorch:
//
//     optimizer.step();  scheduler.step();
//
// Every schedule here is a closed-form function of the number of step() calls so far, so a
// resumed run only needs that one number (save step_count(), restore with set_step_count()).
#pragma once
#include "tinyattn/optim/optimizer.hpp"

namespace tinyattn::optim {

class LRScheduler {
public:
    explicit LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {}
    virtual ~LRScheduler() = default;

    void step();                           // one more step done: set the lr for the next one
    double get_lr() const { return optimizer_.lr(); }  // the lr the next optimizer.step() will use
    int step_count() const { return step_count_; }    // step() calls so far (torch: last_epoch)
    void set_step_count(int n);            // jump to n calls (for resuming) and set the lr

protected:
    virtual double lr_after(int n) const = 0;  // the lr after n calls of step()
    Optimizer& optimizer_;
    int step_count_ = 0;
};

// Step decay: lr = base_lr · γ^⌊n / step_size⌋ (torch.optim.lr_scheduler.StepLR).
// base_lr is the optimizer's lr when the scheduler is made.
class StepLR : public LRScheduler {
public:
    StepLR(Optimizer& optimizer, int step_size, double gamma = 0.1);
    double base_lr;
    int step_size;
    double gamma;

protected:
    double lr_after(int n) const override;
};

// Linear warmup then inverse-square-root decay (Vaswani et al. 2017, "Attention Is All
// You Need", eq. 3). For optimizer step s = 1, 2, 3, ...
//
//     lr(s) = factor · d_model^-0.5 · min(s^-0.5, s · warmup^-1.5)
//
// rises linearly for `warmup` steps, peaks at s = warmup, then decays as 1/√s. The lr is
// set absolutely (the optimizer's own lr is overwritten), so the first step uses lr(1),
// never the lr(0) = 0 that a 0-based count would give.
class WarmupInverseSqrtLR : public LRScheduler {
public:
    WarmupInverseSqrtLR(Optimizer& optimizer, int d_model, int warmup_steps, double factor = 1.0);
    // The same curve named by its peak, which is easier to tune:
    //     lr(s) = peak_lr · min(s / warmup, √(warmup / s))
    static WarmupInverseSqrtLR with_peak_lr(Optimizer& optimizer, double peak_lr, int warmup_steps);

    double scale;        // factor · d_model^-0.5 (equivalently peak_lr · √warmup)
    int warmup_steps;

protected:
    double lr_after(int n) const override;

private:
    WarmupInverseSqrtLR(Optimizer& optimizer, double scale, int warmup_steps);
};

}  // namespace tinyattn::optim
