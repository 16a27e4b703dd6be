// module.cpp — parameter registry and the recursive walks over submodules.
#include "tinyattn/nn/module.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace tinyattn::nn {

void Module::register_parameter(const std::string& name, Tensor& param) {
    check_defined(("register_parameter " + name).c_str(), param);
    param.requires_grad_(true);
    params_.push_back({name, &param});
}

void Module::register_module(const std::string& name, Module& child) { children_.push_back({name, &child}); }

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
    std::vector<std::pair<std::string, Tensor>> all;
    for (const auto& [name, param] : params_) all.push_back({name, *param});
    for (const auto& [prefix, child] : children_)
        for (auto& [name, param] : child->named_parameters()) all.push_back({prefix + "." + name, param});
    return all;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> all;
    for (auto& [name, param] : named_parameters()) all.push_back(param);
    return all;
}

size_t Module::parameter_count() const {
    size_t n = 0;
    for (const Tensor& p : parameters()) n += p.numel();
    return n;
}

StateDict Module::state_dict() const {
    StateDict state;
    for (const auto& [name, param] : named_parameters()) state[name] = tensor(param.to_vector(), param.shape());
    return state;
}

std::string state_dict_mismatch(const Module& model, const StateDict& state, bool strict, const std::string& source) {
    std::string first_mismatch, missing, unexpected;
    const auto wanted = model.named_parameters();
    std::set<std::string> model_names;
    for (const auto& [name, param] : wanted) {
        model_names.insert(name);
        auto it = state.find(name);
        if (it == state.end()) missing += (missing.empty() ? "" : ", ") + name;
        else if (it->second.shape() != param.shape() && first_mismatch.empty())
            first_mismatch = "parameter '" + name + "' has shape " + shape_str(it->second.shape()) + " in " + source +
                             " but " + shape_str(param.shape()) + " in the model";
    }
    for (const auto& [name, t] : state)
        if (!model_names.count(name)) unexpected += (unexpected.empty() ? "" : ", ") + name;
    std::string msg;
    if (!first_mismatch.empty()) msg += " " + first_mismatch + ";";
    if (strict && !missing.empty()) msg += " missing from " + source + ": " + missing + ";";
    if (strict && !unexpected.empty()) msg += " unexpected in " + source + ": " + unexpected + ";";
    if (!msg.empty()) msg.pop_back();
    return msg;
}

IncompatibleKeys Module::load_state_dict(const StateDict& state, bool strict) {
    const std::string mismatch = state_dict_mismatch(*this, state, strict, "the state dict");
    if (!mismatch.empty()) throw std::invalid_argument("load_state_dict: the state dict does not fit this model:" + mismatch);
    IncompatibleKeys skipped;
    std::set<std::string> model_names;
    for (auto& [name, param] : named_parameters()) {
        model_names.insert(name);
        auto it = state.find(name);
        if (it == state.end()) {
            skipped.missing_keys.push_back(name);
            continue;
        }
        std::copy(it->second.data(), it->second.data() + it->second.numel(), param.data());
    }
    for (const auto& [name, t] : state)
        if (!model_names.count(name)) skipped.unexpected_keys.push_back(name);
    return skipped;
}

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
    for (Tensor& p : parameters()) p.zero_grad();
}

}  // namespace tinyattn::nn
