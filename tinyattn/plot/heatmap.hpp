// heatmap.hpp — the attention heatmap: which source token each output token looked at.
//
//   std::cout << plot::attention_heatmap("plots/copy_attention", weights,
//                                        {"the", "red", "car", "<eos>"},
//                                        {"la", "voiture", "rouge", "<eos>"});
// writes plots/copy_attention.png (source tokens on x, output tokens on y, first
// output at the top, colour bar) and plots/copy_attention.txt (the numbers), and
// returns the same heatmap drawn with shade blocks for the terminal.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

struct HeatmapOptions {
    std::string title = "attention";
    int rows = -1;        // true output length: drop padding rows below it (-1 = keep all)
    int cols = -1;        // true source length: drop padding columns (-1 = keep all)
    float vmax = 1.0f;    // colour scale [0, vmax]; attention weights live in [0, 1].
                          // vmax <= 0 uses the largest weight in the matrix.
    std::string x_label = "source tokens";  // axis titles, for matrices that are not
    std::string y_label = "output tokens";  // source x output (e.g. hops x words)
};

// weights[i][j] = how much output token i attends to source token j.
// One token per column / row; when options.rows / cols are given the token lists
// may be padded too and are cut to the same lengths. Returns the terminal view.
std::string attention_heatmap(const std::string& path, const Matrix& weights,
                              const std::vector<std::string>& src_tokens,
                              const std::vector<std::string>& tgt_tokens,
                              const HeatmapOptions& options = {});

// The pixel size attention_heatmap() gives the PNG for these tokens: grows with
// the token counts (square cells of 16..48 px) within [360, 2400] x [260, 2000].
struct PixelSize {
    int width = 0, height = 0;
};
PixelSize heatmap_png_size(const std::vector<std::string>& src_tokens,
                           const std::vector<std::string>& tgt_tokens,
                           const std::string& title = "attention");

}  // namespace tinyattn::plot
