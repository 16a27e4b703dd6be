// heatmap_panel.hpp — one labelled attention heatmap drawn into a rectangle of a
// PNG. A single heatmap is one panel on its own canvas; a head grid or an
// "evolution over epochs" figure places several panels on one canvas.
//
// Layout is done in pixels so that every cell is a square of the same size and
// every tick label has room: the canvas grows with the token counts instead of
// squashing 20 tokens into a fixed-size picture.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

// What one panel shows: rows = output tokens (y, first at the top), columns =
// source tokens (x).
struct Panel {
    Matrix weights;
    std::vector<std::string> x_labels;  // source tokens
    std::vector<std::string> y_labels;  // output tokens
    std::string title;
    std::string x_title = "source tokens";  // axis titles
    std::string y_title = "output tokens";
};

// A panel from a possibly padded attention matrix: trims it to rows x cols
// (-1 = keep) and cuts the token lists to the same lengths. Throws
// std::invalid_argument naming `where` when the token counts do not fit (they must
// equal the matrix sizes where no length is given).
Panel make_panel(const std::string& where, const Matrix& weights,
                 const std::vector<std::string>& src, const std::vector<std::string>& tgt, int rows,
                 int cols, const std::string& title);

// Pixel sizes of a panel: the square cell and the margins around the cells that
// hold tick labels, axis titles and the panel title.
struct PanelGeometry {
    int cell = 48;
    int left = 0, right = 0, top = 0, bottom = 0;
    int x_rotate = 0;  // x tick label rotation in degrees: 0, 45 or 90
    int rows = 0, cols = 0;
    int plot_width() const { return cols * cell; }
    int plot_height() const { return rows * cell; }
    int width() const { return left + plot_width() + right; }
    int height() const { return top + plot_height() + bottom; }
};

// Chooses the cell size (48 px, shrinking to >= 16 px so the cells fit in about
// max_plot_width x max_plot_height) and the margins the labels need.
PanelGeometry panel_geometry(const Panel& panel, int max_plot_width, int max_plot_height,
                             bool x_title, bool y_title);

// Checks a panel: rectangular weights, one label per column and per row.
void check_panel(const Panel& panel, const std::string& where);

// Draws `panel` with the top-left corner of its cell area at pixel (x, y) of a
// canvas_width x canvas_height canvas, colours on the fixed scale [0, vmax].
// Cells get their value printed when they are large enough to hold it.
void draw_panel(GnuplotSession& gp, const Panel& panel, const PanelGeometry& geometry, int x,
                int y, int canvas_width, int canvas_height, float vmax, bool x_title,
                bool y_title);

// Draws the colour bar for [0, vmax] as a vertical strip at pixel rectangle
// (x, y, width, height); call before the draw_panel() whose plot should show it.
void set_colorbox(GnuplotSession& gp, int x, int y, int width, int height, int canvas_width,
                  int canvas_height);

// The data-file block for one panel: "# <title>" then its matrix table.
std::string panel_table(const Panel& panel);

}  // namespace tinyattn::plot
