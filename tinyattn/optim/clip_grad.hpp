// clip_grad.hpp — gradient clipping by total norm (torch.nn.utils.clip_grad_norm_).
//
// Recurrent models occasionally produce a huge gradient (an "exploding gradient") that
// would throw the weights far away in one step. Clipping rescales all gradients together,
// so their direction is kept and only the length is capped:
//
//     ‖g‖ = √(Σ over every parameter and element of g²)
//     if ‖g‖ > max_norm:  g ← g · max_norm / (‖g‖ + 1e-6)
#pragma once
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn::optim {

// Returns the total norm measured before clipping (log it: a rising norm is an early
// warning). Parameters without a gradient are ignored.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm);

// ‖g‖ as clip_grad_norm measures it (eight partial sums), and the plain definition beside it: one
// running sum, element after element. They differ only in the order of additions (tests/test_optim.cpp).
double total_grad_norm(const std::vector<Tensor>& params);
double total_grad_norm_reference(const std::vector<Tensor>& params);

}  // namespace tinyattn::optim
