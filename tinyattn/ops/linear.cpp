// linear.cpp — the affine map y = x·Wᵀ + b of nn::Linear, as one op (PyTorch's F.linear).
//
// x is [..., in], W is [out, in] (PyTorch's layout: one row per output feature), b is [out].
// One op instead of matmul(x, transpose(W)) + b: gemm reads Wᵀ through its transpose flag,
// so neither forward nor backward copies W.
#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    check_defined("linear", x);
    check_defined("linear", weight);
    if (weight.dim() != 2 || x.dim() < 1 || x.size(-1) != weight.size(1))
        throw std::invalid_argument("linear: input " + shape_str(x.shape()) + " does not fit weight " +
                                    shape_str(weight.shape()) + " (needs [..., in] and [out, in])");
    const int out_features = weight.size(0), in_features = weight.size(1);
    if (bias.defined() && bias.shape() != Shape{out_features})
        throw std::invalid_argument("linear: bias " + shape_str(bias.shape()) + " does not fit weight " +
                                    shape_str(weight.shape()));
    const int rows = int(x.numel() / size_t(in_features));
    Shape shape = x.shape();
    shape.back() = out_features;
    std::vector<Tensor> parents{x, weight};
    if (bias.defined()) parents.push_back(bias);
    Tensor out = make_empty_result(shape, "linear", parents);
    float* y = out.data();
    if (bias.defined())  // start every row from b, then add x·Wᵀ (gemm with beta = 1)
        for (int r = 0; r < rows; ++r) std::copy(bias.data(), bias.data() + out_features, y + size_t(r) * out_features);
    gemm(false, true, rows, out_features, in_features, 1.0f, x.data(), in_features, weight.data(), in_features,
         bias.defined() ? 1.0f : 0.0f, y, out_features);
    if (out.requires_grad())
        set_backward(out, [x, weight, bias, rows, in_features, out_features](const Node& node) {
            const float* g = node.grad.data();
            // dL/dx = G · W          ([rows, out] x [out, in])
            if (x.requires_grad()) {
                bool fresh;  // a fresh buffer: overwrite (beta = 0), else accumulate (beta = 1)
                float* gx = grad_data_fresh(x, fresh);
                gemm(false, false, rows, in_features, out_features, 1.0f, g, out_features, weight.data(),
                     in_features, fresh ? 0.0f : 1.0f, gx, in_features);
            }
            // dL/dW = Gᵀ · x         ([out, rows] x [rows, in])
            if (weight.requires_grad())
                gemm(true, false, out_features, in_features, rows, 1.0f, g, out_features, x.data(), in_features,
                     1.0f, weight.grad_data(), in_features);
            // dL/db = Σ_rows G
            if (bias.defined() && bias.requires_grad()) {
                float* gb = bias.grad_data();
                for (int r = 0; r < rows; ++r)
                    for (int j = 0; j < out_features; ++j) gb[j] += g[size_t(r) * out_features + j];
            }
        });
    return out;
}

}  // namespace tinyattn
