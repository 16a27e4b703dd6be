// heatmap.cpp — one attention heatmap: PNG + data file + terminal view.
#include "tinyattn/plot/heatmap.hpp"

#include <algorithm>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/heatmap_panel.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

static constexpr int kColorbarSpace = 90;  // gap + strip + its tick labels, in pixels

// Canvas size and the pixel position of the cell area for one heatmap.
struct HeatmapCanvas {
    PanelGeometry g;
    int width = 0, height = 0, x = 0, y = 0;
};

static HeatmapCanvas heatmap_canvas(const Panel& panel) {
    HeatmapCanvas c;
    c.g = panel_geometry(panel, 1400, 1100, true, true);
    const int title_px = 10 * display_width(panel.title) + 40;
    c.width = std::clamp(std::max(c.g.width() + kColorbarSpace, title_px), 360, 2400);
    c.height = std::clamp(c.g.height(), 260, 2000);
    // Centre the cells (plus colour bar) when the minimum canvas is larger.
    c.x = c.g.left + std::max(0, (c.width - c.g.width() - kColorbarSpace) / 2);
    c.y = c.g.top + std::max(0, (c.height - c.g.height()) / 2);
    return c;
}

PixelSize heatmap_png_size(const std::vector<std::string>& src_tokens,
                           const std::vector<std::string>& tgt_tokens, const std::string& title) {
    Panel p;
    p.weights.assign(tgt_tokens.size(), std::vector<float>(src_tokens.size(), 0.0f));
    p.x_labels = src_tokens;
    p.y_labels = tgt_tokens;
    p.title = title;
    check_panel(p, "heatmap_png_size");
    const HeatmapCanvas c = heatmap_canvas(p);
    return {c.width, c.height};
}

std::string attention_heatmap(const std::string& path, const Matrix& weights,
                              const std::vector<std::string>& src_tokens,
                              const std::vector<std::string>& tgt_tokens,
                              const HeatmapOptions& options) {
    Panel panel = make_panel("attention_heatmap", weights, src_tokens, tgt_tokens, options.rows,
                             options.cols, options.title);
    panel.x_title = options.x_label;
    panel.y_title = options.y_label;
    const float vmax = options.vmax > 0.0f ? options.vmax : max_value(panel.weights);
    const FigurePaths files = figure_paths(path);

    write_text_file(files.data, "# attention heatmap: rows = " + options.y_label + " (y), columns = " +
                                    options.x_label + " (x), colour scale [0, " + format_value(vmax) +
                                    "]\n" + panel_table(panel));
    if (png_enabled()) {
        const HeatmapCanvas c = heatmap_canvas(panel);
        GnuplotSession gp(files.png, c.width, c.height);
        set_colorbox(gp, c.x + c.g.plot_width() + 14, c.y, 18, c.g.plot_height(), c.width,
                     c.height);
        draw_panel(gp, panel, c.g, c.x, c.y, c.width, c.height, vmax, true, true);
        gp.finish();
    }
    return terminal_heatmap(panel.weights, panel.x_labels, panel.y_labels, panel.title, vmax);
}

}  // namespace tinyattn::plot
