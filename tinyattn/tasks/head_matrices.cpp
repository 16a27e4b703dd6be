// head_matrices.cpp — copy each head's weights out of [B, H, R, C] tensors.
#include "tinyattn/tasks/head_matrices.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tinyattn::tasks {

plot::LayerHeads head_matrices(const std::vector<Tensor>& weights, int b, int rows, int cols) {
    plot::LayerHeads layers;
    for (const Tensor& w : weights) {
        if (w.dim() != 4 || b < 0 || b >= w.size(0))
            throw std::invalid_argument("head_matrices: weights " + shape_str(w.shape()) +
                                        " are not [B, H, R, C] with a batch row " + std::to_string(b));
        const int H = w.size(1), R = w.size(2), C = w.size(3);
        const int keep_r = rows < 0 ? R : std::min(rows, R), keep_c = cols < 0 ? C : std::min(cols, C);
        layers.emplace_back();
        for (int h = 0; h < H; ++h) {
            plot::Matrix m(static_cast<size_t>(keep_r), std::vector<float>(static_cast<size_t>(keep_c)));
            for (int r = 0; r < keep_r; ++r)
                for (int c = 0; c < keep_c; ++c) m[size_t(r)][size_t(c)] = w.data()[((size_t(b) * H + h) * R + r) * C + c];
            layers.back().push_back(std::move(m));
        }
    }
    return layers;
}

}  // namespace tinyattn::tasks
