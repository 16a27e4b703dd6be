// panel_grid.hpp — several attention heatmaps on one canvas (gnuplot multiplot),
// in rows and columns, all on one shared colour scale [0, vmax] with one colour bar.
// Used by head_grid (layers x heads) and attention_evolution (epochs side by side).
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/heatmap_panel.hpp"

namespace tinyattn::plot {

// grid[r][c] is the panel in row r, column c (every row the same length).
// Writes <path>.png and <path>.txt (every panel's table, with the panel titles)
// and returns the terminal view (every panel, one after the other).
std::string panel_grid_figure(const std::string& path, const std::vector<std::vector<Panel>>& grid,
                              const std::string& title, float vmax, const std::string& where);

}  // namespace tinyattn::plot
