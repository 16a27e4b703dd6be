// heatmap_panel.cpp — sizing and drawing one attention heatmap with gnuplot.
#include "tinyattn/plot/heatmap_panel.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

// Rough pixel width of one character of 11 pt DejaVu Sans on the pngcairo canvas.
static constexpr int kCharPx = 8;

static int widest(const std::vector<std::string>& labels) {
    int w = 0;
    for (const auto& s : labels) w = std::max(w, display_width(s));
    return w;
}

void check_panel(const Panel& panel, const std::string& where) {
    const int cols = check_rectangular(panel.weights, where);
    check_labels(panel.x_labels, cols, "column", where);
    check_labels(panel.y_labels, panel.weights.size(), "row", where);
}

Panel make_panel(const std::string& where, const Matrix& weights,
                 const std::vector<std::string>& src, const std::vector<std::string>& tgt, int rows,
                 int cols, const std::string& title) {
    Panel p;
    p.weights = trim(weights, rows, cols, where);
    const size_t n_rows = p.weights.size(), n_cols = p.weights[0].size();
    // Without explicit lengths the tokens must match the matrix exactly; with them,
    // longer (padded) token lists are cut to the same lengths.
    const bool src_ok = cols < 0 ? src.size() == n_cols : src.size() >= n_cols;
    const bool tgt_ok = rows < 0 ? tgt.size() == n_rows : tgt.size() >= n_rows;
    if (!src_ok || !tgt_ok)
        throw std::invalid_argument(where + ": " + std::to_string(src.size()) + " source and " +
                                    std::to_string(tgt.size()) + " output tokens for a " +
                                    std::to_string(n_rows) + "x" + std::to_string(n_cols) +
                                    " attention matrix");
    p.x_labels.assign(src.begin(), src.begin() + n_cols);
    p.y_labels.assign(tgt.begin(), tgt.begin() + n_rows);
    p.title = title;
    return p;
}

PanelGeometry panel_geometry(const Panel& panel, int max_plot_width, int max_plot_height,
                             bool x_title, bool y_title) {
    PanelGeometry g;
    g.rows = static_cast<int>(panel.weights.size());
    g.cols = static_cast<int>(panel.weights[0].size());
    g.cell = std::clamp(std::min({48, max_plot_width / g.cols, max_plot_height / g.rows}), 16, 48);

    // x tick labels: horizontal if they fit in a cell, else slanted, else vertical.
    const int x_chars = widest(panel.x_labels);
    g.x_rotate = x_chars * kCharPx <= g.cell - 8 ? 0 : (x_chars <= 10 ? 45 : 90);
    const int tick_height = g.x_rotate == 0    ? 24
                            : g.x_rotate == 45 ? x_chars * kCharPx * 3 / 4 + 16
                                               : x_chars * kCharPx + 12;
    g.bottom = tick_height + (x_title ? 36 : 8);
    g.left = widest(panel.y_labels) * kCharPx + 20 + (y_title ? 32 : 8);
    g.top = panel.title.empty() ? 12 : 44;
    g.right = 16;
    return g;
}

// gnuplot's tic list "('the' 0, 'red' 1, ...)" so that every position gets its token.
static std::string tic_list(const std::vector<std::string>& labels) {
    std::string out = "(";
    for (size_t i = 0; i < labels.size(); ++i)
        out += (i ? ", " : "") + gp_quote(labels[i]) + " " + std::to_string(i);
    return out + ")";
}

static std::string fraction(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.5f", v);
    return buf;
}

// "set lmargin at screen ..." x4: places the plot area at a pixel rectangle.
static std::string place_at(int x, int y, int w, int h, int canvas_w, int canvas_h) {
    return "set lmargin at screen " + fraction(double(x) / canvas_w) + "\n" +
           "set rmargin at screen " + fraction(double(x + w) / canvas_w) + "\n" +
           "set tmargin at screen " + fraction(1.0 - double(y) / canvas_h) + "\n" +
           "set bmargin at screen " + fraction(1.0 - double(y + h) / canvas_h);
}

void set_colorbox(GnuplotSession& gp, int x, int y, int width, int height, int canvas_width,
                  int canvas_height) {
    gp << "set colorbox user origin screen " + fraction(double(x) / canvas_width) + "," +
              fraction(1.0 - double(y + height) / canvas_height) + " size screen " +
              fraction(double(width) / canvas_width) + "," +
              fraction(double(height) / canvas_height) +
              "\nset cbtics scale 0.5 font ',9' tc rgb 'black'";
}

void draw_panel(GnuplotSession& gp, const Panel& panel, const PanelGeometry& g, int x, int y,
                int canvas_width, int canvas_height, float vmax, bool x_title, bool y_title) {
    const std::string rotate = g.x_rotate == 0    ? "norotate"
                               : g.x_rotate == 45 ? "rotate by 45 right"
                                                  : "rotate by 90 right";
    gp << place_at(x, y, g.plot_width(), g.plot_height(), canvas_width, canvas_height);
    gp << "set title " + gp_quote(panel.title) + " font ',13'";
    gp << "set xrange [-0.5:" + std::to_string(g.cols) + "-0.5]";
    gp << "set yrange [" + std::to_string(g.rows) + "-0.5:-0.5]";  // first output row on top
    gp << "set xtics " + tic_list(panel.x_labels) + " " + rotate + " scale 0 font ',11' tc rgb 'black'";
    gp << "set ytics " + tic_list(panel.y_labels) + " scale 0 font ',11' tc rgb 'black'";
    // Axis titles as labels at pixel positions: gnuplot's own xlabel placement
    // does not account for long rotated tick labels when the margins are fixed.
    gp << "unset label 901\nunset label 902";
    if (x_title)
        gp << "set label 901 " + gp_quote(panel.x_title) + " at screen " +
                  fraction(double(x + g.plot_width() / 2) / canvas_width) + "," +
                  fraction(1.0 - double(y + g.plot_height() + g.bottom - 16) / canvas_height) +
                  " center font ',10'";
    if (y_title)
        gp << "set label 902 " + gp_quote(panel.y_title) + " at screen " +
                  fraction(double(x - g.left + 14) / canvas_width) + "," +
                  fraction(1.0 - double(y + g.plot_height() / 2) / canvas_height) +
                  " center rotate by 90 font ',10'";
    gp << "set cbrange [0:" + format_value(vmax) + "]";
    gp << "set border lw 0.5 lc rgb '#888888'";

    std::string plot = "plot '-' matrix with image pixels notitle";
    const bool show_values = g.cell >= 34;
    if (show_values) {
        // Print each weight in its cell, white on dark cells and black on light ones.
        plot += ", '-' matrix using 1:2:(sprintf('%.2f', $3)):($3 > " + format_value(0.55f * vmax) +
                " ? 0xffffff : 0x202020) with labels tc rgb variable font ',8' notitle";
    }
    gp << plot;
    gp.send_rows(panel.weights);
    if (show_values) gp.send_rows(panel.weights);
}

std::string panel_table(const Panel& panel) {
    return "# " + panel.title + "\n" +
           matrix_table(panel.weights, panel.x_labels, panel.y_labels, "output\\source");
}

}  // namespace tinyattn::plot
