// head_matrices.hpp — attention weight tensors as the plain matrices the figures take.
//
// A Transformer returns, per layer, the weights of every head as one tensor [B, H, rows, cols].
// The figures (plot::head_grid, plot::head_view, plot::attention_page) take plain matrices and
// never see a Tensor, so this is the one place that copies one batch row out.
#pragma once
#include <vector>

#include "tinyattn/plot/attention_page.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn::tasks {

// weights[l] [B, H, R, C] -> heads[l][h], the R×C matrix of batch row b; rows and cols (when
// >= 0) keep only the top-left block, dropping padding.
plot::LayerHeads head_matrices(const std::vector<Tensor>& weights, int b = 0, int rows = -1, int cols = -1);

}  // namespace tinyattn::tasks
