// head_view.cpp — the head view (lines between two token columns) and the neuron view (one
// query·key product, dimension by dimension), drawn with gnuplot.
#include "tinyattn/plot/head_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/palette.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

static std::string fixed(double v, int decimals = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// gnuplot's colour with transparency: "#AARRGGBB", AA = 00 opaque … FF invisible.
static std::string with_opacity(const std::string& rgb, float opacity) {
    char alpha[4];
    std::snprintf(alpha, sizeof alpha, "%02x", int(std::lround(255.0f * (1.0f - std::clamp(opacity, 0.0f, 1.0f)))));
    return "#" + std::string(alpha) + rgb.substr(1);
}

std::string head_view(const std::string& path, const std::vector<Matrix>& heads,
                      const std::vector<std::string>& query_tokens, const std::vector<std::string>& key_tokens,
                      const HeadViewOptions& options) {
    if (heads.empty()) throw std::invalid_argument("head_view: no heads");
    for (size_t h = 0; h < heads.size(); ++h) {
        const std::string where = "head_view: head " + std::to_string(h + 1);
        check_rectangular(heads[h], where);
        check_labels(query_tokens, heads[h].size(), "query", where);
        check_labels(key_tokens, heads[h][0].size(), "key", where);
    }
    std::vector<int> shown = options.heads;
    if (shown.empty())
        for (int h = 0; h < int(heads.size()); ++h) shown.push_back(h);
    for (int h : shown)
        if (h < 0 || h >= int(heads.size()))
            throw std::invalid_argument("head_view: head " + std::to_string(h) + " of " + std::to_string(heads.size()));

    // The numbers, and the terminal view: for each query, each head's strongest key.
    const FigurePaths files = figure_paths(path);
    std::string table = "# " + options.title + "\nhead\tquery\tkey\tweight\n";
    std::string text = options.title + "\n";
    int width = 0;
    for (const auto& t : query_tokens) width = std::max(width, display_width(t));
    for (size_t i = 0; i < query_tokens.size(); ++i) {
        text += "  " + pad_right(query_tokens[i], width) + " →";
        for (int h : shown) {
            const auto& row = heads[size_t(h)][i];
            const size_t j = size_t(std::max_element(row.begin(), row.end()) - row.begin());
            text += "  h" + std::to_string(h + 1) + " " + key_tokens[j] + " " + fixed(row[j]);
            for (size_t k = 0; k < row.size(); ++k)
                table += std::to_string(h + 1) + "\t" + tsv_cell(query_tokens[i]) + "\t" + tsv_cell(key_tokens[k]) +
                         "\t" + format_value(row[k]) + "\n";
        }
        text += "\n";
    }
    write_text_file(files.data, table);

    if (png_enabled()) {
        // One panel per head, side by side (bertviz overlays them; side by side stays readable).
        // x is in pixels: a panel is [query labels | 150 px of lines | key labels] + a 30 px gap;
        // row r is at y = -r, the first row on top.
        int label_px = 0;
        for (const auto& t : query_tokens) label_px = std::max(label_px, 8 * display_width(t) + 10);
        for (const auto& t : key_tokens) label_px = std::max(label_px, 8 * display_width(t) + 10);
        const int n = int(std::max(query_tokens.size(), key_tokens.size())), panels = int(shown.size());
        const int panel_px = 2 * label_px + 150 + 30, width = 20 + panels * panel_px;
        GnuplotSession gp(files.png, std::max(width, 10 * display_width(options.title) + 40), 110 + 26 * n);
        gp << "set title " + gp_quote(options.title) + " font ',13'";
        gp << "unset border\nunset tics\nunset key\nset lmargin 0\nset rmargin 0\nset bmargin 0\nset tmargin 3";
        gp << "set xrange [0:" + std::to_string(width) + "]\nset yrange [" + std::to_string(-n) + ".5:1.2]";
        for (int k = 0; k < panels; ++k) {
            const int h = shown[size_t(k)], left = 10 + k * panel_px + label_px, right = left + 150;
            const std::string colour = series_colour(size_t(h));
            gp << "set label " + gp_quote("head " + std::to_string(h + 1)) + " at " + std::to_string(left + 75) +
                      ",0.8 center tc rgb '" + colour + "' font ',12'";
            for (size_t i = 0; i < query_tokens.size(); ++i)
                gp << "set label " + gp_quote(query_tokens[i]) + " at " + std::to_string(left - 6) + "," +
                          std::to_string(-int(i)) + " right font ',11'";
            for (size_t j = 0; j < key_tokens.size(); ++j)
                gp << "set label " + gp_quote(key_tokens[j]) + " at " + std::to_string(right + 6) + "," +
                          std::to_string(-int(j)) + " left font ',11'";
            for (size_t i = 0; i < query_tokens.size(); ++i)
                for (size_t j = 0; j < key_tokens.size(); ++j) {
                    const float w = heads[size_t(h)][i][j];
                    if (w < 0.01f) continue;  // invisible anyway
                    gp << "set arrow from " + std::to_string(left) + "," + std::to_string(-int(i)) + " to " +
                              std::to_string(right) + "," + std::to_string(-int(j)) + " nohead lw 2.5 lc rgb '" +
                              with_opacity(colour, w) + "'";
                }
        }
        gp << "plot NaN notitle";
        gp.finish();
    }
    return text;
}

NeuronView neuron_view(const std::string& path, const std::vector<float>& query, const Matrix& keys,
                       const std::vector<std::string>& key_tokens, const std::string& query_token, int key) {
    const size_t d = query.size();
    const int cols = check_rectangular(keys, "neuron_view");
    check_labels(key_tokens, keys.size(), "key", "neuron_view");
    if (size_t(cols) != d || key < 0 || key >= int(keys.size()))
        throw std::invalid_argument("neuron_view: a query of " + std::to_string(d) + " dims, keys of " +
                                    std::to_string(cols) + " dims, key " + std::to_string(key) + " of " +
                                    std::to_string(keys.size()));
    // The arithmetic, exactly as a row of softmax(q Kᵀ / √d).
    NeuronView v;
    std::vector<float> scaled(keys.size());
    for (size_t j = 0; j < keys.size(); ++j) {
        float dot = 0.0f;
        for (size_t c = 0; c < d; ++c) dot += query[c] * keys[j][c];
        scaled[j] = dot / std::sqrt(float(d));
    }
    for (size_t c = 0; c < d; ++c) v.product.push_back(query[c] * keys[size_t(key)][c]);
    for (float p : v.product) v.dot += p;
    v.scaled = scaled[size_t(key)];
    const float top = *std::max_element(scaled.begin(), scaled.end());
    float total = 0.0f;
    for (float s : scaled) total += std::exp(s - top);
    for (float s : scaled) v.weights.push_back(std::exp(s - top) / total);

    const std::string& k_token = key_tokens[size_t(key)];
    const std::string title = "how " + query_token + " → " + k_token + " is made: q·k = " + fixed(v.dot, 3) +
                              ", ÷√" + std::to_string(d) + " = " + fixed(v.scaled, 3) + ", softmax → " +
                              fixed(v.weights[size_t(key)], 3);
    const FigurePaths files = figure_paths(path);
    std::string table = "# " + title + "\ndim\tq\tk\tq*k\n";
    v.terminal = title + "\n  dim      q        k        q⊙k\n";
    for (size_t c = 0; c < d; ++c) {
        const float k = keys[size_t(key)][c];
        table += std::to_string(c) + "\t" + format_value(query[c]) + "\t" + format_value(k) + "\t" +
                 format_value(v.product[c]) + "\n";
        v.terminal += "  " + pad_right(std::to_string(c), 4) + " " + pad_right(fixed(query[c], 3), 8) + " " +
                      pad_right(fixed(k, 3), 8) + " " + fixed(v.product[c], 3) + "\n";
    }
    table += "key\tweight\n";
    v.terminal += "  softmax over the keys:";
    for (size_t j = 0; j < keys.size(); ++j) {
        table += tsv_cell(key_tokens[j]) + "\t" + format_value(v.weights[j]) + "\n";
        v.terminal += " " + key_tokens[j] + " " + fixed(v.weights[j], 3) + (int(j) == key ? " ←" : "");
    }
    v.terminal += "\n";
    write_text_file(files.data, table);

    if (png_enabled()) {
        GnuplotSession gp(files.png, std::clamp(300 + 60 * int(std::max(d, keys.size())), 760, 1800), 680);
        gp << "set multiplot layout 2,1 title " + gp_quote(title) + " font ',13'";
        gp << "set style fill solid 0.9 border lc rgb '#333333'\nset grid ytics lc rgb '#dddddd'";
        gp << "set border 3 lc rgb '#444444'\nset tics nomirror tc rgb 'black' font ',10'";
        gp << "set key outside right top font ',11'\nset xzeroaxis lt -1";
        gp << "set xlabel 'dimension of the head' font ',11'\nset xrange [-0.6:" + std::to_string(d) + "-0.4]";
        gp << "set xtics 1\nset boxwidth 0.26";
        gp << "plot '-' using ($1-0.28):2 with boxes lc rgb '" + series_colour(0) + "' title 'q (" + query_token +
                  ")', '-' using 1:2 with boxes lc rgb '" + series_colour(1) + "' title 'k (" + k_token +
                  ")', '-' using ($1+0.28):2 with boxes lc rgb '" + series_colour(2) + "' title 'q⊙k'";
        Matrix q_rows, k_rows, p_rows;
        for (size_t c = 0; c < d; ++c) {
            q_rows.push_back({float(c), query[c]});
            k_rows.push_back({float(c), keys[size_t(key)][c]});
            p_rows.push_back({float(c), v.product[c]});
        }
        gp.send_rows(q_rows);
        gp.send_rows(k_rows);
        gp.send_rows(p_rows);
        std::string tics = "set xtics (";
        for (size_t j = 0; j < keys.size(); ++j) tics += (j ? ", " : "") + gp_quote(key_tokens[j]) + " " + std::to_string(j);
        gp << tics + ") font ',11'";
        gp << "set xlabel 'softmax(q·k_j / √d) over the keys j' font ',11'\nset xrange [-0.6:" +
                  std::to_string(keys.size()) + "-0.4]\nset yrange [0:1.05]\nset boxwidth 0.6";
        gp << "plot '-' using 1:2 with boxes lc rgb '#9ecae1' title 'weight', '-' using 1:2 with boxes lc rgb '" +
                  series_colour(3) + "' title 'the key above'";
        Matrix others, chosen;
        for (size_t j = 0; j < keys.size(); ++j)
            (int(j) == key ? chosen : others).push_back({float(j), v.weights[j]});
        if (others.empty()) others.push_back({0.0f, 0.0f});
        gp.send_rows(others);
        gp.send_rows(chosen);
        gp << "unset multiplot";
        gp.finish();
    }
    return v;
}

}  // namespace tinyattn::plot
