// conv2d.cpp — convolution and max pooling over NCHW images (PyTorch's F.conv2d, F.max_pool2d).
//
// conv2d runs as one matrix product per batch (kernels/conv2d.hpp: im2col + gemm); the 7-loop
// definition beside it there is what tests/test_conv.cpp holds it equal to. With y = W·cols + b
// (W viewed as [O, C·kh·kw], cols = im2col(x)) and G = dL/dy:
//   dL/dW = G·colsᵀ      dL/dcols = Wᵀ·G → dL/dx by col2im      dL/db = Σ G over images and positions
#include <memory>
#include <stdexcept>
#include <vector>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result
#include "tinyattn/kernels/conv2d.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, int stride, int padding) {
    check_defined("conv2d", input);
    check_defined("conv2d", weight);
    if (input.dim() != 4 || weight.dim() != 4 || weight.size(1) != input.size(1) ||
        (bias.defined() && bias.shape() != Shape{weight.size(0)}))
        throw std::invalid_argument("conv2d: needs input [N, C, H, W], weight [O, C, kh, kw], bias [O], got " +
                                    shape_str(input.shape()) + ", " + shape_str(weight.shape()) +
                                    (bias.defined() ? ", " + shape_str(bias.shape()) : std::string()));
    const Conv2dGeometry g = conv2d_geometry("conv2d", input.size(0), input.size(1), input.size(2), input.size(3),
                                             weight.size(0), weight.size(2), weight.size(3), stride, padding);
    Tensor out = bias.defined() ? make_empty_result({g.N, g.O, g.Ho, g.Wo}, "conv2d", {input, weight, bias})
                                : make_empty_result({g.N, g.O, g.Ho, g.Wo}, "conv2d", {input, weight});
    const size_t columns = size_t(g.N) * g.Ho * g.Wo, K = size_t(g.C) * g.kh * g.kw;
    auto cols = std::make_shared<std::vector<float>>(K * columns);  // kept for dL/dW
    im2col(g, input.data(), cols->data());
    std::vector<float> tmp(size_t(g.O) * columns);
    conv2d_forward_gemm(g, cols->data(), weight.data(), bias.defined() ? bias.data() : nullptr, out.data(), tmp.data());
    if (out.requires_grad())
        set_backward(out, [input, weight, bias, g, cols, K, columns](const Node& node) {
            std::vector<float> tmp(K * columns);
            conv2d_backward_gemm(g, cols->data(), weight.data(), node.grad.data(),
                                 input.requires_grad() ? input.grad_data() : nullptr,
                                 weight.requires_grad() ? weight.grad_data() : nullptr,
                                 bias.defined() && bias.requires_grad() ? bias.grad_data() : nullptr, tmp.data());
        });
    return out;
}

// y[n,c,i,j] = max over the window x[n, c, i·s .. i·s+k−1, j·s .. j·s+k−1]:
// dL/dx = dL/dy at the (first) maximum of each window, 0 elsewhere (summed where windows overlap)
Tensor max_pool2d(const Tensor& input, int kernel_size, int stride) {
    check_defined("max_pool2d", input);
    if (stride == 0) stride = kernel_size;  // PyTorch's default: windows side by side
    if (input.dim() != 4)
        throw std::invalid_argument("max_pool2d: needs input [N, C, H, W], got " + shape_str(input.shape()));
    // A pooling window is a convolution's window with one channel in and out and no padding.
    const Conv2dGeometry g = conv2d_geometry("max_pool2d", input.size(0), input.size(1), input.size(2),
                                             input.size(3), input.size(1), kernel_size, kernel_size, stride, 0);
    Tensor out = make_empty_result({g.N, g.C, g.Ho, g.Wo}, "max_pool2d", {input});
    std::vector<size_t> where(out.numel());  // the input index each output was taken from
    const float* x = input.data();
    for (size_t nc = 0; nc < size_t(g.N) * g.C; ++nc)
        for (int i = 0; i < g.Ho; ++i)
            for (int j = 0; j < g.Wo; ++j) {
                size_t best = (nc * g.H + size_t(i * stride)) * g.W + size_t(j * stride);
                for (int p = 0; p < kernel_size; ++p)
                    for (int q = 0; q < kernel_size; ++q) {
                        const size_t at = (nc * g.H + size_t(i * stride + p)) * g.W + size_t(j * stride + q);
                        if (x[at] > x[best]) best = at;
                    }
                const size_t o = (nc * g.Ho + size_t(i)) * g.Wo + size_t(j);
                where[o] = best;
                out.data()[o] = x[best];
            }
    if (out.requires_grad())
        set_backward(out, [input, where](const Node& node) {
            float* gx = input.grad_data();
            for (size_t o = 0; o < where.size(); ++o) gx[where[o]] += node.grad[o];
        });
    return out;
}

}  // namespace tinyattn
