// dropout.cpp — nn::Dropout; the op itself (mask, scale, backward) is in ops/dropout.cpp.
#include "tinyattn/nn/dropout.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Dropout::Dropout(float prob, Rng& rng) : p(prob), rng_(&rng) {
    if (prob < 0.0f || prob >= 1.0f)
        throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(prob));
}

Tensor Dropout::forward(const Tensor& x) const { return dropout(x, p, is_training(), *rng_); }

}  // namespace tinyattn::nn
