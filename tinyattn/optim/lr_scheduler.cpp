// lr_scheduler.cpp — the schedules' formulas (see lr_scheduler.hpp).
#include "tinyattn/optim/lr_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tinyattn::optim {

void LRScheduler::step() { set_step_count(step_count_ + 1); }

void LRScheduler::set_step_count(int n) {
    if (n < 0) throw std::invalid_argument("LRScheduler::set_step_count: negative count " + std::to_string(n));
    step_count_ = n;
    optimizer_.set_lr(lr_after(n));
}

StepLR::StepLR(Optimizer& optimizer, int step_size, double gamma)
    : LRScheduler(optimizer), base_lr(optimizer.lr()), step_size(step_size), gamma(gamma) {
    if (step_size < 1) throw std::invalid_argument("StepLR: step_size must be >= 1, got " + std::to_string(step_size));
    if (!(gamma >= 0.0)) throw std::invalid_argument("StepLR: gamma must be >= 0");
}

double StepLR::lr_after(int n) const {
    return base_lr * std::pow(gamma, double(n / step_size));  // base_lr · γ^⌊n / step_size⌋
}

WarmupInverseSqrtLR::WarmupInverseSqrtLR(Optimizer& optimizer, double scale, int warmup_steps)
    : LRScheduler(optimizer), scale(scale), warmup_steps(warmup_steps) {
    if (warmup_steps < 1)
        throw std::invalid_argument("WarmupInverseSqrtLR: warmup_steps must be >= 1, got " + std::to_string(warmup_steps));
    if (!(scale > 0.0 && std::isfinite(scale)))
        throw std::invalid_argument("WarmupInverseSqrtLR: needs d_model >= 1 and factor > 0 (or peak_lr > 0), got scale " +
                                    std::to_string(scale));
    set_step_count(0);  // the lr for the first step
}

WarmupInverseSqrtLR::WarmupInverseSqrtLR(Optimizer& optimizer, int d_model, int warmup_steps, double factor)
    : WarmupInverseSqrtLR(optimizer, factor / std::sqrt(double(d_model)), warmup_steps) {}  // factor · d_model^-0.5

WarmupInverseSqrtLR WarmupInverseSqrtLR::with_peak_lr(Optimizer& optimizer, double peak_lr, int warmup_steps) {
    // At s = warmup both arms of the min equal warmup^-0.5, so scale = peak_lr · √warmup.
    return WarmupInverseSqrtLR(optimizer, peak_lr * std::sqrt(double(warmup_steps)), warmup_steps);
}

double WarmupInverseSqrtLR::lr_after(int n) const {
    const double s = n + 1;  // the optimizer step this lr is for, counted from 1
    const double w = warmup_steps;
    return scale * std::min(1.0 / std::sqrt(s), s * std::pow(w, -1.5));  // scale · min(s^-0.5, s·w^-1.5)
}

}  // namespace tinyattn::optim
