// scaled_dot_product.cpp — attention as two batched matrix products and a masked softmax.
//
// Why divide by √d: for random q, k with unit-variance entries, q·k has variance d, so
// without scaling the scores grow with d and the softmax saturates (tiny gradients).
//
// The backward pass needs no code here: it is the chain of the ops used (matmul, transpose,
// mul, masked_fill, softmax), each of which carries its own rule.
#include "tinyattn/nn/scaled_dot_product.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

AttentionOutput scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                             const Tensor& mask, float dropout_p, bool training, Rng& rng) {
    check_defined("scaled_dot_product_attention", query);
    check_defined("scaled_dot_product_attention", key);
    check_defined("scaled_dot_product_attention", value);
    const int rank = query.dim();
    bool ok = (rank == 3 || rank == 4) && key.dim() == rank && value.dim() == rank &&
              key.size(-1) == query.size(-1) && value.size(-2) == key.size(-2);
    for (int k = 0; ok && k < rank - 2; ++k) ok = key.size(k) == query.size(k) && value.size(k) == query.size(k);
    if (!ok)
        throw std::invalid_argument("scaled_dot_product_attention: needs Q [..., Tq, d], K [..., Tk, d], "
                                    "V [..., Tk, dv] with the same 1 or 2 leading dims, got Q " +
                                    shape_str(query.shape()) + ", K " + shape_str(key.shape()) + ", V " +
                                    shape_str(value.shape()));
    const int Tq = query.size(-2), Tk = key.size(-2), d = query.size(-1), dv = value.size(-1);
    // Fold the leading dims (B, or B·H) into one batch for the 3-D matmul.
    const int n = int(query.numel() / size_t(Tq * d));
    Shape scores_shape = query.shape();
    scores_shape.back() = Tk;
    Shape context_shape = query.shape();
    context_shape.back() = dv;

    // scores = Q·Kᵀ / √d
    const Tensor q = reshape(query, {n, Tq, d});
    const Tensor kt = transpose(reshape(key, {n, Tk, d}), 1, 2);
    const Tensor scores = reshape(mul(matmul(q, kt), 1.0f / std::sqrt(float(d))), scores_shape);
    if (mask.defined() && broadcast_shapes("scaled_dot_product_attention", scores.shape(), mask.shape()) != scores_shape)
        throw std::invalid_argument("scaled_dot_product_attention: mask " + shape_str(mask.shape()) +
                                    " does not broadcast to the scores " + shape_str(scores_shape));
    const Tensor weights = masked_softmax(scores, mask);
    const Tensor dropped = dropout(weights, dropout_p, training, rng);
    const Tensor context = matmul(reshape(dropped, {n, Tq, Tk}), reshape(value, {n, Tk, dv}));
    return {reshape(context, context_shape), weights};
}

Tensor causal_mask(int size) {
    if (size <= 0) throw std::invalid_argument("causal_mask: size must be positive, got " + std::to_string(size));
    Tensor m = zeros({size, size});
    for (int i = 0; i < size; ++i)
        for (int j = i + 1; j < size; ++j) m.data()[size_t(i) * size_t(size) + size_t(j)] = 1.0f;
    return m;
}

}  // namespace tinyattn::nn
