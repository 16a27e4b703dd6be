// module.hpp — nn::Module, the base of every layer and model (like torch.nn.Module).
//
// A module owns parameters (Tensors that require grad) and submodules, both registered
// under a name. named_parameters() walks the tree and joins names with dots, giving the
// same names PyTorch would: "encoder.rnn.weight_ih_l0". Optimizers take parameters(),
// checkpoints store named_parameters().
//
// Parameters and submodules are ordinary members of the derived class; the module keeps
// pointers to them, so a Module can be neither copied nor moved (PyTorch modules are
// reference objects too). Build them in place, or hold them by std::unique_ptr.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn::nn {

class Module {
public:
    Module() = default;
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    std::vector<std::pair<std::string, Tensor>> named_parameters() const;
    std::vector<Tensor> parameters() const;
    size_t parameter_count() const;                     // total number of floats

    void train(bool on = true);                         // training mode (dropout active), recursively
    void eval() { train(false); }
    bool is_training() const { return training_; }
    void zero_grad();                                   // every parameter's grad = 0

protected:
    // Registers `param` (a member of the derived class) and marks it requires_grad.
    void register_parameter(const std::string& name, Tensor& param);
    // Registers a member module; its parameters appear as "name.<its names>".
    void register_module(const std::string& name, Module& child);

private:
    std::vector<std::pair<std::string, Tensor*>> params_;
    std::vector<std::pair<std::string, Module*>> children_;
    bool training_ = true;
};

}  // namespace tinyattn::nn
