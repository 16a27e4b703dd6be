// panel_grid.cpp — a multiplot of heatmap panels with one shared colour bar.
#include "tinyattn/plot/panel_grid.hpp"

#include <algorithm>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

static constexpr int kTitlePx = 44;        // figure title band at the top
static constexpr int kColorbarSpace = 90;  // shared colour bar at the right

static void draw_grid_png(const std::string& png, const std::vector<std::vector<Panel>>& grid,
                          const std::string& title, float vmax) {
    const int R = static_cast<int>(grid.size()), C = static_cast<int>(grid[0].size());
    // One geometry for every panel (they are the same size), with room for both axis
    // titles so the columns and rows line up.
    const PanelGeometry g = panel_geometry(grid[0][0], 1500 / C, 1100 / R, true, true);
    const int width = std::max(C * g.width() + kColorbarSpace, 10 * display_width(title) + 40);
    const int height = kTitlePx + R * g.height();

    GnuplotSession gp(png, width, height);
    gp << "set multiplot title " + gp_quote(title) + " font ',15'";
    for (int r = 0; r < R; ++r) {
        for (int c = 0; c < C; ++c) {
            const bool last = r == R - 1 && c == C - 1;
            if (last)  // one colour bar beside the whole grid
                set_colorbox(gp, C * g.width() + 14, kTitlePx + g.top,
                             18, R * g.height() - g.top - g.bottom, width, height);
            else
                gp << "unset colorbox";
            draw_panel(gp, grid[r][c], g, c * g.width() + g.left, kTitlePx + r * g.height() + g.top,
                       width, height, vmax, r == R - 1, c == 0);
        }
    }
    gp << "unset multiplot";
    gp.finish();
}

std::string panel_grid_figure(const std::string& path, const std::vector<std::vector<Panel>>& grid,
                              const std::string& title, float vmax, const std::string& where) {
    if (grid.empty() || grid[0].empty()) throw std::invalid_argument(where + ": no panels");
    for (const auto& row : grid) {
        if (row.size() != grid[0].size())
            throw std::invalid_argument(where + ": every row of panels needs " +
                                        std::to_string(grid[0].size()) + " panels, one has " +
                                        std::to_string(row.size()));
        for (const auto& panel : row) check_panel(panel, where);
    }
    const FigurePaths files = figure_paths(path);

    std::string table = "# " + title + "\n# each block: rows = output tokens (y), columns = "
                        "source tokens (x), colour scale [0, " + format_value(vmax) + "]\n";
    std::string text = title + "\n\n";
    for (const auto& row : grid)
        for (const auto& panel : row) {
            table += "\n" + panel_table(panel);
            text += terminal_heatmap(panel.weights, panel.x_labels, panel.y_labels, panel.title,
                                     vmax) + "\n";
        }
    write_text_file(files.data, table);
    if (png_enabled()) draw_grid_png(files.png, grid, title, vmax);
    return text;
}

}  // namespace tinyattn::plot
