// head_grid.cpp — layers x heads grid and the epoch-by-epoch evolution figure.
#include "tinyattn/plot/head_grid.hpp"

#include <stdexcept>

#include "tinyattn/plot/panel_grid.hpp"

namespace tinyattn::plot {

// The shared colour scale: options.vmax, or the largest weight of all panels.
static float shared_vmax(const std::vector<std::vector<Panel>>& grid, float vmax) {
    if (vmax > 0.0f) return vmax;
    float best = 0.0f;
    for (const auto& row : grid)
        for (const auto& panel : row) best = std::max(best, max_value(panel.weights));
    return best;
}

std::string head_grid(const std::string& path, const std::vector<std::vector<Matrix>>& heads,
                      const std::vector<std::string>& src_tokens,
                      const std::vector<std::string>& tgt_tokens, const GridOptions& options) {
    std::vector<std::vector<Panel>> grid(heads.size());
    for (size_t l = 0; l < heads.size(); ++l)
        for (size_t h = 0; h < heads[l].size(); ++h)
            grid[l].push_back(make_panel("head_grid", heads[l][h], src_tokens, tgt_tokens,
                                         options.rows, options.cols,
                                         "layer " + std::to_string(l + 1) + " · head " +
                                             std::to_string(h + 1)));
    return panel_grid_figure(path, grid, options.title, shared_vmax(grid, options.vmax),
                             "head_grid");
}

std::string attention_evolution(const std::string& path, const std::vector<Matrix>& snapshots,
                                const std::vector<int>& epochs,
                                const std::vector<std::string>& src_tokens,
                                const std::vector<std::string>& tgt_tokens,
                                const GridOptions& options) {
    if (snapshots.size() != epochs.size())
        throw std::invalid_argument("attention_evolution: " + std::to_string(snapshots.size()) +
                                    " snapshots but " + std::to_string(epochs.size()) + " epochs");
    std::vector<std::vector<Panel>> grid(1);
    for (size_t k = 0; k < snapshots.size(); ++k)
        grid[0].push_back(make_panel("attention_evolution", snapshots[k], src_tokens, tgt_tokens,
                                     options.rows, options.cols,
                                     "epoch " + std::to_string(epochs[k])));
    return panel_grid_figure(path, grid, options.title, shared_vmax(grid, options.vmax),
                             "attention_evolution");
}

}  // namespace tinyattn::plot
