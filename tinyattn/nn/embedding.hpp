// embedding.hpp — nn::Embedding: a learned vector per token id (torch.nn.Embedding).
#pragma once
#include <vector>

#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

class Embedding : public Module {
public:
    // weight [num_embeddings, dim] ~ N(0, 1) as in PyTorch; the padding_idx row (if >= 0)
    // starts at zero and never receives gradient, so <pad> stays a zero vector.
    Embedding(int num_embeddings, int embedding_dim, int padding_idx = -1, Rng& rng = global_rng());
    // ids laid out as ids_shape (e.g. [batch, time]) -> ids_shape + [dim]
    Tensor forward(const std::vector<int>& ids, const Shape& ids_shape) const;

    int num_embeddings, embedding_dim, padding_idx;
    Tensor weight;
};

}  // namespace tinyattn::nn
