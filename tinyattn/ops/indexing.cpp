// indexing.cpp — picking rows by integer ids (embedding lookup) and masking.
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/ops.hpp"
#include "tinyattn/kernels/elementwise_loops.hpp"  // BinaryLayout

namespace tinyattn {

static void check_index(const char* op, int index, int n, const Shape& shape) {
    if (index < 0 || index >= n)
        throw std::out_of_range(std::string(op) + ": index " + std::to_string(index) + " out of range [0, " +
                                std::to_string(n) + ") for shape " + shape_str(shape));
}

// out[o, k, i] = a[o, indices[k], i]:  dL/da[o, indices[k], i] += dL/dout[o, k, i]  (scatter-add)
Tensor index_select(const Tensor& a, int dim, const std::vector<int>& indices) {
    check_defined("index_select", a);
    const int d = normalize_dim("index_select", dim, a.dim(), a.shape());
    const int n = a.shape()[size_t(d)];
    for (int index : indices) check_index("index_select", index, n, a.shape());
    Shape shape = a.shape();
    shape[size_t(d)] = int(indices.size());
    size_t outer = 1, inner = 1;
    for (int k = 0; k < d; ++k) outer *= size_t(shape[size_t(k)]);
    for (size_t k = size_t(d) + 1; k < shape.size(); ++k) inner *= size_t(shape[k]);
    Tensor out = make_empty_result(shape, "index_select", {a});
    for (size_t o = 0; o < outer; ++o)
        for (size_t k = 0; k < indices.size(); ++k) {
            const float* from = a.data() + (o * size_t(n) + size_t(indices[k])) * inner;
            std::copy(from, from + inner, out.data() + (o * indices.size() + k) * inner);
        }
    if (out.requires_grad())
        set_backward(out, [a, indices, outer, inner, n](const Node& node) {
            float* ga = a.grad_data();
            for (size_t o = 0; o < outer; ++o)
                for (size_t k = 0; k < indices.size(); ++k)
                    for (size_t i = 0; i < inner; ++i)
                        ga[(o * size_t(n) + size_t(indices[k])) * inner + i] +=
                            node.grad[(o * indices.size() + k) * inner + i];
        });
    return out;
}

// out[t, :] = weight[ids[t], :]:  dL/dweight[ids[t], :] += dL/dout[t, :]  (not for ids[t] == padding_idx)
Tensor embedding(const Tensor& weight, const std::vector<int>& ids, const Shape& ids_shape, int padding_idx) {
    check_defined("embedding", weight);
    if (weight.dim() != 2)
        throw std::invalid_argument("embedding: weight must be [num_embeddings, dim], got " + shape_str(weight.shape()));
    if (shape_numel(ids_shape) != ids.size())
        throw std::invalid_argument("embedding: " + std::to_string(ids.size()) + " ids do not fill shape " +
                                    shape_str(ids_shape));
    const int vocab = weight.size(0);
    const size_t D = size_t(weight.size(1));
    for (int id : ids) check_index("embedding", id, vocab, weight.shape());
    Shape shape = ids_shape;
    shape.push_back(int(D));
    Tensor out = make_empty_result(shape, "embedding", {weight});
    for (size_t t = 0; t < ids.size(); ++t)
        std::copy(weight.data() + size_t(ids[t]) * D, weight.data() + size_t(ids[t] + 1) * D, out.data() + t * D);
    if (out.requires_grad())
        set_backward(out, [weight, ids, D, padding_idx](const Node& node) {
            float* gw = weight.grad_data();
            for (size_t t = 0; t < ids.size(); ++t) {
                if (ids[t] == padding_idx) continue;  // the padding row stays fixed
                for (size_t j = 0; j < D; ++j) gw[size_t(ids[t]) * D + j] += node.grad[t * D + j];
            }
        });
    return out;
}

// out = value where mask, else a:  dL/da = dL/dout where the mask is 0, and 0 where it is set
Tensor masked_fill(const Tensor& a, const Tensor& mask, float value) {
    check_defined("masked_fill", a);
    check_defined("masked_fill", mask);
    if (broadcast_shapes("masked_fill", a.shape(), mask.shape()) != a.shape())
        throw std::invalid_argument("masked_fill: mask of shape " + shape_str(mask.shape()) +
                                    " does not broadcast to input shape " + shape_str(a.shape()));
    Tensor out = make_empty_result(a.shape(), "masked_fill", {a});
    // a has the output's shape; a [T, T] mask over [B, H, T, T] scores is the fast "repeated row" case
    auto layout = std::make_shared<const kernels::BinaryLayout>(a.shape(), mask.shape(), a.shape());
    const float* x = a.data();
    const float* m = mask.data();
    float* y = out.data();
    layout->for_each(a.numel(), [=](size_t i, size_t, size_t im) { y[i] = m[im] != 0.0f ? value : x[i]; });
    if (out.requires_grad())
        set_backward(out, [a, mask, layout](const Node& node) {
            float* ga = a.grad_data();
            const float* m = mask.data();
            const float* g = node.grad.data();
            layout->for_each(node.grad.size(), [=](size_t i, size_t, size_t im) {
                if (m[im] == 0.0f) ga[i] += g[i];
            });
        });
    return out;
}

}  // namespace tinyattn
