// curves.cpp — line charts of series and clustered bar charts of buckets.
#include "tinyattn/plot/curves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/palette.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {


static float x_at(const Series& s, size_t i) {
    return s.x.empty() ? static_cast<float>(i + 1) : s.x[i];
}

// Axis titles, legend, light grid: shared by both chart kinds.
static void set_axes(GnuplotSession& gp, const CurveOptions& opt) {
    gp << "set title " + gp_quote(opt.title) + " font ',15'";
    gp << "set xlabel " + gp_quote(opt.x_label) + " font ',12'";
    gp << "set ylabel " + gp_quote(opt.y_label) + " font ',12'";
    gp << "set key top right box opaque font ',11' spacing 1.3";
    gp << "set grid ytics lc rgb '#dddddd' lw 1";
    gp << "set border 3 lc rgb '#444444'\nset tics nomirror tc rgb 'black' font ',11'";
}

std::string line_curves(const std::string& path, const std::vector<Series>& series,
                        const CurveOptions& opt) {
    if (series.empty()) throw std::invalid_argument("line_curves: no series");
    for (const auto& s : series)
        if (s.y.empty() || (!s.x.empty() && s.x.size() != s.y.size()))
            throw std::invalid_argument("line_curves: series '" + s.name + "' has " +
                                        std::to_string(s.x.size()) + " x and " +
                                        std::to_string(s.y.size()) + " y values");
    const FigurePaths files = figure_paths(path);

    std::string table = "# " + opt.title + "\nseries\t" + tsv_cell(opt.x_label) + "\t" +
                        tsv_cell(opt.y_label) + "\n";
    std::string text = opt.title + "\n";
    int name_width = 0;
    float lo = series[0].y[0], hi = lo;  // one scale for every sparkline
    for (const auto& s : series) {
        name_width = std::max(name_width, display_width(s.name));
        for (float v : s.y) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    for (const auto& s : series) {
        for (size_t i = 0; i < s.y.size(); ++i)
            table += tsv_cell(s.name) + "\t" + format_value(x_at(s, i)) + "\t" +
                     format_value(s.y[i]) + "\n";
        const auto best = opt.higher_is_better ? std::max_element(s.y.begin(), s.y.end())
                                               : std::min_element(s.y.begin(), s.y.end());
        text += pad_right(s.name, name_width) + "  " + sparkline(s.y, lo, hi) + "  " +
                format_value(s.y.front()) + " → " + format_value(s.y.back()) +
                (opt.higher_is_better ? "  (highest " : "  (lowest ") +
                format_value(*best) + " at " + opt.x_label + " " +
                format_value(x_at(s, best - s.y.begin())) + ")\n";
    }
    write_text_file(files.data, table);

    if (png_enabled()) {
        GnuplotSession gp(files.png, 900, 540);
        set_axes(gp, opt);
        if (opt.log_y) gp << "set logscale y";
        if (opt.log_x) gp << "set logscale x 2";
        if (opt.key_above) gp << "set key outside top center horizontal";
        std::string plot = "plot ";
        size_t longest = 0;
        for (const auto& s : series) longest = std::max(longest, s.y.size());
        const std::string style = longest <= 30 ? "linespoints pt 7 ps 0.8" : "lines";
        for (size_t k = 0; k < series.size(); ++k)
            plot += std::string(k ? ", " : "") + "'-' using 1:2 with " + style + " lw 2.5 lc rgb '" +
                    series_colour(k) + "' title " + gp_quote(series[k].name);
        gp << plot;
        for (const auto& s : series) {
            Matrix rows(s.y.size());
            for (size_t i = 0; i < s.y.size(); ++i) rows[i] = {x_at(s, i), s.y[i]};
            gp.send_rows(rows);
        }
        gp.finish();
    }
    return text;
}

std::string bucket_bars(const std::string& path, const std::vector<std::string>& buckets,
                        const std::vector<Series>& series, const CurveOptions& opt) {
    if (buckets.empty() || series.empty())
        throw std::invalid_argument("bucket_bars: need at least one bucket and one series");
    for (const auto& s : series)
        if (s.y.size() != buckets.size())
            throw std::invalid_argument("bucket_bars: series '" + s.name + "' has " +
                                        std::to_string(s.y.size()) + " values for " +
                                        std::to_string(buckets.size()) + " buckets");
    const FigurePaths files = figure_paths(path);

    std::string table = "# " + opt.title + "\n" + tsv_cell(opt.x_label);
    for (const auto& s : series) table += "\t" + tsv_cell(s.name);
    table += "\n";
    float vmax = 0.0f;
    int name_width = 0, bucket_width = 0;
    for (const auto& s : series) {
        name_width = std::max(name_width, display_width(s.name));
        for (float v : s.y) vmax = std::max(vmax, v);
    }
    if (vmax <= 0.0f) vmax = 1.0f;  // all zeros (a model that learned nothing): still a valid axis
    for (const auto& b : buckets) bucket_width = std::max(bucket_width, display_width(b));
    std::string text = opt.title + "\n";
    for (size_t b = 0; b < buckets.size(); ++b) {
        table += tsv_cell(buckets[b]);
        for (size_t m = 0; m < series.size(); ++m) {
            const float v = series[m].y[b];
            table += "\t" + format_value(v);
            text += pad_right(m == 0 ? buckets[b] : "", bucket_width) + "  " +
                    pad_right(series[m].name, name_width) + " │" + hbar(v, vmax, 40) + " " +
                    format_value(v) + "\n";
        }
        table += "\n";
    }
    write_text_file(files.data, table);

    if (png_enabled()) {
        const int n_bars = static_cast<int>(buckets.size() * (series.size() + 1));
        GnuplotSession gp(files.png, std::clamp(160 + 34 * n_bars, 700, 2000), 540);
        set_axes(gp, opt);
        gp << "set style data histogram\nset style histogram clustered gap 1";
        gp << "set style fill solid 0.9 border lc rgb '#333333'\nset boxwidth 0.9";
        gp << "set yrange [0:" + format_value(vmax * 1.08f) + "]";
        gp << "set key outside top center horizontal";  // between title and bars: it never covers one
        std::string tics = "set xtics (";
        for (size_t b = 0; b < buckets.size(); ++b)
            tics += (b ? ", " : "") + gp_quote(buckets[b]) + " " + std::to_string(b);
        gp << tics + ") scale 0";
        std::string plot = "plot ";
        for (size_t k = 0; k < series.size(); ++k)
            plot += std::string(k ? ", " : "") + "'-' using 2 lc rgb '" + series_colour(k) +
                    "' title " + gp_quote(series[k].name);
        gp << plot;
        for (const auto& s : series) {
            Matrix rows(s.y.size());
            for (size_t b = 0; b < s.y.size(); ++b) rows[b] = {static_cast<float>(b), s.y[b]};
            gp.send_rows(rows);
        }
        gp.finish();
    }
    return text;
}

}  // namespace tinyattn::plot
