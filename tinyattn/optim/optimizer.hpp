// optimizer.hpp — the base of every optimizer (like torch.optim.Optimizer).
//
// An optimizer holds handles to the parameters it updates (the same Tensors the model
// owns, so an update is visible to the model at once) and one learning rate, which LR
// schedulers change between steps. The training loop is the one PyTorch users know:
//
//     optimizer.zero_grad();  loss.backward();  optimizer.step();
//
// A parameter that has no gradient (it was not used in the forward pass) is skipped by
// step(), as in PyTorch.
//
// Checkpoints need the optimizer's memory too (momentum buffers, Adam's moments and step
// counts): without it a resumed run would restart Adam's bias correction and take
// different steps. state_dict() exports that memory as plain data, load_state_dict()
// puts it back. The layout follows torch's optimizer.state_dict(): per-parameter entries
// are keyed by the parameter's index in the list given to the constructor.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn::optim {

struct OptimizerState {
    std::string type;                                     // "SGD", "Adam", "AdamW"
    // Hyperparameters and counters as text ("lr" -> "0.001", "3.step" -> "5"); doubles
    // are written with 17 significant digits, so they come back bit-identical.
    std::map<std::string, std::string> scalars;
    // Per-parameter buffers named "<index>.<buffer>", e.g. "3.exp_avg", shaped like the parameter.
    std::vector<std::pair<std::string, Tensor>> tensors;
};

class Optimizer {
public:
    Optimizer(std::string type, std::vector<Tensor> params, double lr);
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    virtual void step() = 0;       // one update of every parameter that has a gradient
    void zero_grad();              // every parameter's grad = 0

    double lr() const { return lr_; }
    void set_lr(double lr);        // schedulers call this between steps
    const std::vector<Tensor>& params() const { return params_; }
    const std::string& type() const { return type_; }

    OptimizerState state_dict() const;
    // All or nothing: throws, changing nothing, if `state` was written by another optimizer
    // type, for a different number of parameters or other shapes, or lacks an entry.
    // Restores the hyperparameters (lr included) as torch's load_state_dict does.
    void load_state_dict(const OptimizerState& state);

protected:
    // Each optimizer writes/reads its own hyperparameters and buffers (type, lr and the
    // parameter count are handled here). load_state must read everything into locals
    // first and assign only at the end, so that a throw leaves the optimizer unchanged.
    virtual void save_state(OptimizerState& state) const = 0;
    virtual void load_state(const OptimizerState& state) = 0;
    virtual std::vector<std::string> buffer_names() const = 0;  // e.g. {"exp_avg", "exp_avg_sq"}

    // Helpers for save_state/load_state: a per-parameter buffer list (an empty buffer
    // means "no state yet", e.g. before the first step) <-> "<index>.<name>" tensors.
    void export_buffers(OptimizerState& state, const std::string& name,
                        const std::vector<std::vector<float>>& buffers) const;
    std::vector<std::vector<float>> import_buffers(const OptimizerState& state, const std::string& name) const;

    std::string type_;
    std::vector<Tensor> params_;
    double lr_;
};

// Text <-> number for OptimizerState::scalars (exact round trip).
std::string format_double(double value);
double scalar_value(const OptimizerState& state, const std::string& key);  // throws if missing/malformed

}  // namespace tinyattn::optim
