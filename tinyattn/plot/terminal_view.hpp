// terminal_view.hpp — figures drawn with Unicode block characters, for a learner
// on a remote shell with no image viewer.
//
// The shade rule used everywhere: a value v, scaled by the figure's maximum vmax,
// falls in one of five levels
//     level = min(4, floor(5 * v / vmax))   (v < 0 counts as 0)
//     level:   0     1     2     3     4
//     shade:  ' '   '░'   '▒'   '▓'   '█'
// so ' ' is below 20% of vmax and '█' is 80% or more.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

// The shade level 0..4 and its character for v on a [0, vmax] scale.
int shade_level(float v, float vmax);
std::string shade_char(float v, float vmax);

// Number of characters a terminal shows for a UTF-8 string (counts code points,
// so "é" and "«" are 1 wide).
int display_width(const std::string& utf8);
std::string pad_left(const std::string& s, int width);   // right-aligns s
std::string pad_right(const std::string& s, int width);  // left-aligns s

// A heatmap as text: one line per row, the row label right-aligned on the left,
// each cell two shade characters wide under its column index; below, the column
// legend "x: 0 the · 1 red · ..." and the shade scale. Example (vmax 1):
//      0 1 2
//   a │  ▒▒██│
//  bb │░░▓▓  │
std::string terminal_heatmap(const Matrix& m, const std::vector<std::string>& x_labels,
                             const std::vector<std::string>& y_labels, const std::string& title,
                             float vmax);

// Words in a row, each with a shade bar and its weight underneath:
//   the   food  was   not   good
//   ░░░   ▓▓▓▓        ████  ▒▒▒▒
//   0.10  0.30  0.05  0.40  0.20
std::string terminal_words(const std::vector<std::string>& words,
                           const std::vector<float>& weights, float vmax);

// A series as a sparkline of at most `width` characters from ▁ (value lo) to █
// (value hi); longer series are averaged down to `width` points. Give several
// series the same lo / hi so their heights compare.
std::string sparkline(const std::vector<float>& values, float lo, float hi, int width = 60);

// A horizontal bar of `value / vmax * width` full blocks (eighth blocks for the rest).
std::string hbar(float value, float vmax, int width);

// The legend line "scale: ' ' <0.2 · ░ <0.4 · ▒ <0.6 · ▓ <0.8 · █ ≤1" for vmax.
std::string shade_legend(float vmax);

}  // namespace tinyattn::plot
