// positional_encoding.cpp — the sinusoid table, computed once in double precision.
#include "tinyattn/nn/positional_encoding.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

PositionalEncoding::PositionalEncoding(int d, int len, float p, Rng& rng) : d_model(d), max_len(len), drop(p, rng) {
    if (d <= 0 || len <= 0)
        throw std::invalid_argument("PositionalEncoding: d_model and max_len must be positive, got " +
                                    std::to_string(d) + " and " + std::to_string(len));
    pe = zeros({len, d});
    for (int pos = 0; pos < len; ++pos)
        for (int j = 0; j < d; ++j) {
            const int i2 = j - j % 2;  // the even index 2i shared by the pair (sin, cos)
            const double angle = double(pos) / std::pow(10000.0, double(i2) / double(d));
            pe.data()[size_t(pos) * size_t(d) + size_t(j)] = float(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    register_module("drop", drop);
}

Tensor PositionalEncoding::forward(const Tensor& x, int start) const {
    check_defined("PositionalEncoding", x);
    if (x.dim() != 3 || x.size(2) != d_model || start < 0 || start + x.size(1) > max_len)
        throw std::invalid_argument("PositionalEncoding: input must be [B, start + T <= " + std::to_string(max_len) +
                                    ", " + std::to_string(d_model) + "], got " + shape_str(x.shape()) +
                                    " at start " + std::to_string(start));
    return drop.forward(add(x, narrow(pe, 0, start, x.size(1))));  // [T, d] broadcasts over the batch
}

}  // namespace tinyattn::nn
