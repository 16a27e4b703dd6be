// figure_files.hpp — where a figure's files go and how its raw numbers are written.
//
// Every figure function takes a path like "plots/attention_epoch3" (a trailing
// ".png" or ".txt" is dropped) and writes two files beside each other:
//   plots/attention_epoch3.png   the picture (skipped when gnuplot is missing)
//   plots/attention_epoch3.txt   the numbers behind it, tab-separated, '#' comments
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

struct FigurePaths {
    std::string png;   // <base>.png
    std::string data;  // <base>.txt
};

// Splits off a ".png"/".txt" extension, creates the parent directory and notes the figure in
// figures_written().
FigurePaths figure_paths(const std::string& path);

// Every figure this process has written, as <base> paths in order (a lesson lists these at the
// end, never a glob that would also match figures of earlier runs).
const std::vector<std::string>& figures_written();

// Writes `text` to `path`, throwing std::runtime_error naming the path on failure.
void write_text_file(const std::string& path, const std::string& text);

// A token as one tab-separated cell: tabs and newlines become spaces.
std::string tsv_cell(const std::string& label);

// A float with 6 significant digits ("0.25", "1e-05").
std::string format_value(float v);

// One matrix as a table: a header line "<corner>\t<x label>\t..." then one line per
// row "<y label>\t<v>\t<v>...". `corner` names the axes, e.g. "output\\source".
std::string matrix_table(const Matrix& m, const std::vector<std::string>& x_labels,
                         const std::vector<std::string>& y_labels, const std::string& corner);

}  // namespace tinyattn::plot
