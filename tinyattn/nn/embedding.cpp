// embedding.cpp — nn::Embedding.
#include "tinyattn/nn/embedding.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Embedding::Embedding(int num, int dim, int pad, Rng& rng) : num_embeddings(num), embedding_dim(dim), padding_idx(pad) {
    if (pad >= num)
        throw std::invalid_argument("Embedding: padding_idx " + std::to_string(pad) + " out of range for " +
                                    std::to_string(num) + " embeddings");
    weight = randn({num, dim}, rng);
    if (pad >= 0)
        for (int j = 0; j < dim; ++j) weight.data()[size_t(pad) * size_t(dim) + size_t(j)] = 0.0f;
    register_parameter("weight", weight);
}

Tensor Embedding::forward(const std::vector<int>& ids, const Shape& ids_shape) const {
    return embedding(weight, ids, ids_shape, padding_idx);
}

}  // namespace tinyattn::nn
