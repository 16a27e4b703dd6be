// autograd.hpp — reverse-mode automatic differentiation.
//
// Every op builds its output with make_result(), which links the output to its parents
// when gradients are wanted. loss.backward() then:
//   1. sorts the graph so every node comes after all nodes computed from it (reverse topo order),
//   2. seeds dL/dL = 1,
//   3. calls each node's backward rule once, which adds its contribution to its parents' grads.
// Step 3 *adds*: a tensor used twice receives both contributions (b = a + a gives dL/da = 2·dL/db).
#pragma once
#include <initializer_list>
#include <memory>
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn {

// Is graph recording on? Off inside a NoGrad scope.
bool grad_enabled();

// RAII guard, like `with torch.no_grad():` — ops inside record no graph (evaluation, decoding).
struct NoGrad {
    NoGrad();
    ~NoGrad();
    NoGrad(const NoGrad&) = delete;
    NoGrad& operator=(const NoGrad&) = delete;
private:
    bool previous_;
};

// A fresh output tensor of the given shape (zero-filled) made by `op` from `parents`.
// It requires grad when recording is on and any parent requires grad; only then are the
// parents remembered. The op then fills data() and, if out.requires_grad(), attaches its rule.
Tensor make_result(const Shape& shape, const char* op, std::initializer_list<Tensor> parents);
Tensor make_result(const Shape& shape, const char* op, const std::vector<Tensor>& parents);

// make_result's second half on its own, for a node whose data is already sized (kernels/memory.cpp
// makes results without zero-filling them): names the op and links the node to its parents.
Tensor link_result(std::shared_ptr<Node> node, const char* op, const std::vector<Tensor>& parents);

// Attach the backward rule to a result made by make_result.
void set_backward(Tensor& out, BackwardFn rule);

// Run backpropagation from `root`, whose upstream gradient is `grad_output`
// (same number of elements as root). Tensor::backward() calls this.
void run_backward(const Tensor& root, const std::vector<float>& grad_output);

}  // namespace tinyattn
