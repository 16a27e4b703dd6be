// terminal_view.cpp — shade blocks, sparklines and bars for text-only figures.
#include "tinyattn/plot/terminal_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tinyattn/plot/figure_files.hpp"

namespace tinyattn::plot {

static const char* const kShades[5] = {" ", "░", "▒", "▓", "█"};

int shade_level(float v, float vmax) {
    if (!(vmax > 0.0f) || !(v > 0.0f)) return 0;  // also catches NaN
    return std::min(4, static_cast<int>(std::floor(5.0f * v / vmax)));
}

std::string shade_char(float v, float vmax) { return kShades[shade_level(v, vmax)]; }

int display_width(const std::string& utf8) {
    int n = 0;
    for (unsigned char c : utf8)
        if ((c & 0xC0) != 0x80) ++n;  // count every byte that is not a continuation byte
    return n;
}

std::string pad_left(const std::string& s, int width) {
    return std::string(std::max(0, width - display_width(s)), ' ') + s;
}

std::string pad_right(const std::string& s, int width) {
    return s + std::string(std::max(0, width - display_width(s)), ' ');
}

static std::string rstrip(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

static std::string fixed2(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(v));
    return buf;
}

std::string shade_legend(float vmax) {
    std::string out = "scale: ' ' <" + format_value(0.2f * vmax);
    for (int level = 1; level < 4; ++level)
        out += " · " + std::string(kShades[level]) + " <" + format_value(0.2f * (level + 1) * vmax);
    return out + " · █ ≤" + format_value(vmax);
}

// "x: 0 the · 1 red · 2 car", wrapped before `width` columns, each line indented.
static std::string column_legend(const std::vector<std::string>& labels, int indent, int width) {
    std::string out = std::string(indent, ' ') + "x:";
    int used = indent + 2;
    for (size_t j = 0; j < labels.size(); ++j) {
        const std::string item =
            " " + std::to_string(j) + " " + labels[j] + (j + 1 < labels.size() ? " ·" : "");
        if (j > 0 && used + display_width(item) > width) {
            out += "\n" + std::string(indent + 2, ' ');
            used = indent + 2;
        }
        out += item;
        used += display_width(item);
    }
    return out + "\n";
}

std::string terminal_heatmap(const Matrix& m, const std::vector<std::string>& x_labels,
                             const std::vector<std::string>& y_labels, const std::string& title,
                             float vmax) {
    const int cols = check_rectangular(m, "terminal_heatmap");
    check_labels(x_labels, cols, "column", "terminal_heatmap");
    check_labels(y_labels, m.size(), "row", "terminal_heatmap");
    int label_width = 0;
    for (const auto& y : y_labels) label_width = std::max(label_width, display_width(y));

    std::string out = title.empty() ? "" : title + "\n";
    // Column indices above the cells; past 10 columns, tens digits on a line of their own.
    const std::string indent(label_width + 2, ' ');  // under "<label> │"
    if (cols > 10) {
        out += indent;
        for (int j = 0; j < cols; ++j) out += j >= 10 ? " " + std::to_string(j / 10 % 10) : "  ";
        out += "\n";
    }
    out += indent;
    for (int j = 0; j < cols; ++j) out += " " + std::to_string(cols > 10 ? j % 10 : j);
    out += "\n";
    for (size_t r = 0; r < m.size(); ++r) {
        out += pad_left(y_labels[r], label_width) + " │";
        for (float v : m[r]) out += shade_char(v, vmax) + shade_char(v, vmax);
        out += "│\n";
    }
    out += column_legend(x_labels, label_width + 2, 78);
    out += indent + shade_legend(vmax) + "\n";
    return out;
}

std::string terminal_words(const std::vector<std::string>& words,
                           const std::vector<float>& weights, float vmax) {
    check_labels(words, weights.size(), "word", "terminal_words");
    std::string line_words, line_bars, line_values;
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string value = fixed2(weights[i]);
        const int width = std::max(display_width(words[i]), display_width(value)) + 2;
        line_words += pad_right(words[i], width);
        std::string bar;
        for (int k = 0; k < width - 2; ++k) bar += shade_char(weights[i], vmax);
        line_bars += pad_right(bar, width);
        line_values += pad_right(value, width);
    }
    return rstrip(line_words) + "\n" + rstrip(line_bars) + "\n" + rstrip(line_values) + "\n";
}

std::string sparkline(const std::vector<float>& values, float lo, float hi, int width) {
    static const char* const kTicks[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (values.empty() || width <= 0) return "";
    // Average consecutive runs down to at most `width` points.
    const size_t n = std::min(values.size(), static_cast<size_t>(width));
    std::vector<float> points(n);
    for (size_t i = 0; i < n; ++i) {
        const size_t lo = i * values.size() / n, hi = (i + 1) * values.size() / n;
        float sum = 0.0f;
        for (size_t k = lo; k < hi; ++k) sum += values[k];
        points[i] = sum / static_cast<float>(hi - lo);
    }
    const float range = hi - lo;
    std::string out;
    for (float p : points) {
        const int level = range > 0.0f ? static_cast<int>(std::lround(7.0f * (p - lo) / range)) : 3;
        out += kTicks[std::clamp(level, 0, 7)];
    }
    return out;
}

std::string hbar(float value, float vmax, int width) {
    static const char* const kEighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (!(vmax > 0.0f) || !(value > 0.0f)) return "";
    const int eighths = static_cast<int>(std::lround(std::min(value / vmax, 1.0f) * width * 8.0f));
    std::string out;
    for (int k = 0; k < eighths / 8; ++k) out += "█";
    return out + kEighths[eighths % 8];
}

}  // namespace tinyattn::plot
