// image_attention.hpp — the Show-Attend-Tell figure: an image, then one panel per generated
// word with that word's attention over the image (Xu et al. 2015, Fig. 2–3).
//
//   plot::image_attention("plots/13_panel", pixels, 32, {{"soft", words, alphas, 8}, {"hard", ...}},
//                         {.title = "where each word looks"});
//
// α for a word is a grid × grid map over image regions; it is upsampled to the image's pixels
// (bilinear between region centres) and blended over the picture: bright where the word looks,
// dark elsewhere. Each row (a model) may have its own words. Writes <path>.png (gnuplot, `with
// rgbimage`) and <path>.txt (every α grid); returns a terminal view (each word's grid in shades).
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

struct AttentionRow {
    std::string label;               // "soft", "hard"
    std::vector<std::string> words;  // the generated words (one panel each)
    std::vector<std::vector<float>> alphas;  // per word: grid·grid weights, row-major (top row first)
    int grid = 0;                    // regions per side
};

struct ImageAttentionOptions {
    std::string title = "where each word looks";
    int scale = 4;                   // canvas pixels per image pixel
    int panels_per_line = 9;         // longer captions wrap
};

// pixels: [3, size, size] in [0, 1] (channels first).
std::string image_attention(const std::string& path, const std::vector<float>& pixels, int size,
                            const std::vector<AttentionRow>& rows, const ImageAttentionOptions& options = {});

// α (grid × grid) upsampled to size × size by bilinear interpolation between region centres.
std::vector<float> upsample_attention(const std::vector<float>& alpha, int grid, int size);

}  // namespace tinyattn::plot
