// optimizer.cpp — what every optimizer shares: zero_grad, the learning rate, and the
// export/import of its state for checkpoints.
#include "tinyattn/optim/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace tinyattn::optim {

Optimizer::Optimizer(std::string type, std::vector<Tensor> params, double lr)
    : type_(std::move(type)), params_(std::move(params)), lr_(lr) {
    for (size_t i = 0; i < params_.size(); ++i)
        if (!params_[i].defined())
            throw std::invalid_argument(type_ + ": parameter " + std::to_string(i) + " is an undefined tensor");
    set_lr(lr);
}

void Optimizer::zero_grad() {
    for (Tensor& p : params_) p.zero_grad();
}

void Optimizer::set_lr(double lr) {
    if (!(lr >= 0.0) || !std::isfinite(lr))
        throw std::invalid_argument(type_ + ": invalid learning rate " + std::to_string(lr) + " (must be >= 0)");
    lr_ = lr;
}

std::string format_double(double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);  // 17 digits: every double round-trips
    return text;
}

double scalar_value(const OptimizerState& state, const std::string& key) {
    auto it = state.scalars.find(key);
    if (it == state.scalars.end()) throw std::runtime_error(state.type + " state: missing entry '" + key + "'");
    try {
        size_t used = 0;
        const double value = std::stod(it->second, &used);
        if (used == it->second.size()) return value;
    } catch (const std::exception&) {
    }
    throw std::runtime_error(state.type + " state: entry '" + key + "' is not a number: '" + it->second + "'");
}

OptimizerState Optimizer::state_dict() const {
    OptimizerState state;
    state.type = type_;
    state.scalars["lr"] = format_double(lr_);
    state.scalars["num_params"] = std::to_string(params_.size());
    save_state(state);
    return state;
}

void Optimizer::load_state_dict(const OptimizerState& state) {
    const std::string where = type_ + ".load_state_dict: ";
    if (state.type != type_)
        throw std::runtime_error(where + "the state was saved by a " + state.type + " optimizer");
    const double n = scalar_value(state, "num_params");
    if (n != double(params_.size()))
        throw std::runtime_error(where + "the state is for " + format_double(n) + " parameters, this optimizer has " +
                                 std::to_string(params_.size()));
    const double lr = scalar_value(state, "lr");
    // Every buffer must be called "<index>.<known name>" (shapes are checked by import_buffers).
    const std::vector<std::string> known = buffer_names();
    for (const auto& [name, t] : state.tensors) {
        const size_t dot = name.find('.');
        bool ok = dot != std::string::npos && dot > 0 &&
                  std::find(known.begin(), known.end(), name.substr(dot + 1)) != known.end();
        for (size_t i = 0; ok && i < dot; ++i) ok = name[i] >= '0' && name[i] <= '9';
        if (ok) ok = dot < 10 && std::stoul(name.substr(0, dot)) < params_.size();
        if (!ok) throw std::runtime_error(where + "unexpected state entry '" + name + "'");
    }
    load_state(state);  // all or nothing (see the header)
    lr_ = lr;
}

void Optimizer::export_buffers(OptimizerState& state, const std::string& name,
                               const std::vector<std::vector<float>>& buffers) const {
    for (size_t i = 0; i < buffers.size(); ++i)
        if (!buffers[i].empty())
            state.tensors.push_back({std::to_string(i) + "." + name, tensor(buffers[i], params_[i].shape())});
}

std::vector<std::vector<float>> Optimizer::import_buffers(const OptimizerState& state, const std::string& name) const {
    std::vector<std::vector<float>> buffers(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
        const std::string key = std::to_string(i) + "." + name;
        for (const auto& [entry, t] : state.tensors) {
            if (entry != key) continue;
            if (t.shape() != params_[i].shape())
                throw std::runtime_error(type_ + ".load_state_dict: '" + key + "' has shape " + shape_str(t.shape()) +
                                         " but parameter " + std::to_string(i) + " has shape " +
                                         shape_str(params_[i].shape()));
            buffers[i] = t.to_vector();
        }
    }
    return buffers;
}

}  // namespace tinyattn::optim
