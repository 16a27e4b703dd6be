// module.hpp — nn::Module, the base of every layer and model (like torch.nn.Module).
//
// A module owns parameters (Tensors that require grad) and submodules, both registered
// under a name. named_parameters() walks the tree and joins names with dots, giving the
// same names PyTorch would: "encoder.rnn.weight_ih_l0". Optimizers take parameters(),
// checkpoints store named_parameters().
//
// state_dict() / load_state_dict() move the numbers in memory, by the same names: to keep the
// best weights seen so far, to copy weights between two models of one design, or to load
// weights that PyTorch printed. Unlike PyTorch's, state_dict() returns COPIES (a snapshot:
// PyTorch's shares storage with the model, so `best = model.state_dict()` there keeps changing
// as training goes on, and needs copy.deepcopy).
//
// Parameters and submodules are ordinary members of the derived class; the module keeps
// pointers to them, so a Module can be neither copied nor moved (PyTorch modules are
// reference objects too). Build them in place, or hold them by std::unique_ptr.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn::nn {

using StateDict = std::map<std::string, Tensor>;  // dotted parameter name -> values

// What load_state_dict(strict = false) skipped: torch's _IncompatibleKeys.
struct IncompatibleKeys {
    std::vector<std::string> missing_keys;     // the model's names the state dict lacks
    std::vector<std::string> unexpected_keys;  // the state dict's names the model lacks
};

class Module {
public:
    Module() = default;
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    std::vector<std::pair<std::string, Tensor>> named_parameters() const;
    std::vector<Tensor> parameters() const;
    size_t parameter_count() const;                     // total number of floats

    StateDict state_dict() const;                       // a copy of every parameter, by name
    // Copies the values into the parameters (in place: an optimizer holding them keeps working).
    // Throws, changing nothing, if a shape differs, or (strict) if a name is missing or unexpected;
    // with strict = false those names are skipped and returned.
    IncompatibleKeys load_state_dict(const StateDict& state, bool strict = true);

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

// Why `state` does not fit `model` ("" when it does), as " parameter 'x' has shape [..] in
// <source> but [..] in the model; missing from <source>: a, b; unexpected in <source>: c" (the
// first shape that differs; the names only if strict). `source`: "the checkpoint", ...
std::string state_dict_mismatch(const Module& model, const StateDict& state, bool strict, const std::string& source);

}  // namespace tinyattn::nn
