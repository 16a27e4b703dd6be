// curves.hpp — training curves and per-bucket metrics.
//
//   plot::line_curves("plots/loss", {{"train", {}, train_loss}, {"valid", {}, valid_loss}},
//                     {.title = "loss", .x_label = "epoch", .y_label = "cross-entropy"});
//   plot::bucket_bars("plots/bleu_by_length", {"1-5", "6-10", "11-15"},
//                     {{"no attention", {}, {30, 18, 7}}, {"attention", {}, {33, 28, 22}}},
//                     {.title = "BLEU by source length", .x_label = "source length", .y_label = "BLEU"});
#pragma once
#include <string>
#include <vector>

namespace tinyattn::plot {

// One named series. x may be empty: then the points are at x = 1, 2, 3, ...
struct Series {
    std::string name;
    std::vector<float> x;
    std::vector<float> y;
};

struct CurveOptions {
    std::string title = "loss";
    std::string x_label = "epoch";
    std::string y_label = "loss";
    bool log_y = false;  // logarithmic y axis (losses spanning several decades)
    bool log_x = false;  // logarithmic x axis (with log_y: a power law n^k is a line of slope k)
    bool key_above = false;  // the legend in a row above the plot, for curves that fill the top right
    bool higher_is_better = false;  // accuracies: the terminal view names the highest value, not the lowest
};

// Every series as a line (with points when short), a legend with the names.
// Writes <path>.png and <path>.txt (series, x, y per line); returns the terminal
// view: one sparkline per series with its first, last and best value (the lowest, or the highest when higher_is_better).
std::string line_curves(const std::string& path, const std::vector<Series>& series,
                        const CurveOptions& options = {});

// Clustered bars: one group per bucket, one bar per model (series[m].y[b] is model
// m's value in bucket b; x is ignored), a legend with the model names. Writes
// <path>.png and <path>.txt (a bucket x model table); returns horizontal text bars.
std::string bucket_bars(const std::string& path, const std::vector<std::string>& buckets,
                        const std::vector<Series>& series, const CurveOptions& options = {});

}  // namespace tinyattn::plot
