// figure_files.cpp — figure paths and the plain-text data files next to the PNGs.
#include "tinyattn/plot/figure_files.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tinyattn::plot {

static bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static std::vector<std::string>& written() {
    static std::vector<std::string> figures;
    return figures;
}

const std::vector<std::string>& figures_written() { return written(); }

FigurePaths figure_paths(const std::string& path) {
    if (path.empty()) throw std::invalid_argument("plot: empty figure path");
    std::string base = path;
    if (ends_with(base, ".png") || ends_with(base, ".txt")) base.resize(base.size() - 4);
    written().push_back(base);
    const std::filesystem::path parent = std::filesystem::path(base).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    return {base + ".png", base + ".txt"};
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("plot: cannot open " + path + " for writing");
    out << text;
    out.close();
    if (!out) throw std::runtime_error("plot: failed writing " + path);
}

std::string tsv_cell(const std::string& label) {
    std::string out = label;
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

std::string format_value(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(v));
    return buf;
}

std::string matrix_table(const Matrix& m, const std::vector<std::string>& x_labels,
                         const std::vector<std::string>& y_labels, const std::string& corner) {
    std::string out = tsv_cell(corner);
    for (const auto& x : x_labels) out += "\t" + tsv_cell(x);
    out += "\n";
    for (size_t r = 0; r < m.size(); ++r) {
        out += tsv_cell(y_labels[r]);
        for (float v : m[r]) out += "\t" + format_value(v);
        out += "\n";
    }
    return out;
}

}  // namespace tinyattn::plot
