// head_grid.hpp — every head of every layer at once: what multi-head attention learned.
//
// heads[l][h] is the attention matrix of head h in layer l (rows = output tokens,
// columns = source tokens). One heatmap per head, titled "layer L · head H"
// (counting from 1), layers top to bottom, heads left to right, one colour scale.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

struct GridOptions {
    std::string title = "attention heads";
    int rows = -1;      // true output length (drops padding rows; -1 = keep all)
    int cols = -1;      // true source length (drops padding columns; -1 = keep all)
    float vmax = 1.0f;  // shared colour scale [0, vmax]; <= 0 = largest weight of all panels
};

// Writes <path>.png and <path>.txt; returns the terminal view.
std::string head_grid(const std::string& path, const std::vector<std::vector<Matrix>>& heads,
                      const std::vector<std::string>& src_tokens,
                      const std::vector<std::string>& tgt_tokens, const GridOptions& options = {});

// One sentence's alignment after several epochs, side by side, titled "epoch N":
// snapshots[k] is the attention matrix saved after epochs[k].
std::string attention_evolution(const std::string& path, const std::vector<Matrix>& snapshots,
                                const std::vector<int>& epochs,
                                const std::vector<std::string>& src_tokens,
                                const std::vector<std::string>& tgt_tokens,
                                const GridOptions& options = {.title = "attention during training"});

}  // namespace tinyattn::plot
