// module.cpp — parameter registry and the recursive walks over submodules.
#include "tinyattn/nn/module.hpp"

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

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
    for (Tensor& p : parameters()) p.zero_grad();
}

}  // namespace tinyattn::nn
