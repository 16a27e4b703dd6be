// conv2d.hpp — 2-D convolution on raw NCHW arrays: the 7-loop definition, and the same product
// as one matrix multiply (im2col + gemm), which ops/conv2d.cpp uses.
//
//   y[n, o, i, j] = b[o] + Σ_c Σ_p Σ_q w[o, c, p, q] · x[n, c, i·stride + p − pad, j·stride + q − pad]
//
// (zero outside the image). PyTorch calls this conv2d too; strictly it is a cross-correlation:
// the kernel is not flipped. im2col copies every receptive field into one column of a matrix
// `cols` [C·kh·kw, N·Ho·Wo]; then y = W·cols with W viewed as [O, C·kh·kw], one large gemm
// instead of N·O·Ho·Wo short dot products. tests/test_conv.cpp holds the two paths equal.
#pragma once
#include <string>

namespace tinyattn {

struct Conv2dGeometry {
    int N, C, H, W;        // input [N, C, H, W]
    int O, kh, kw;         // weight [O, C, kh, kw]
    int stride, padding;
    int Ho, Wo;            // output [N, O, Ho, Wo]: Ho = (H + 2·padding − kh) / stride + 1
};
// The output size, or an error naming `op` and the sizes when the kernel does not fit.
Conv2dGeometry conv2d_geometry(const char* op, int N, int C, int H, int W, int O, int kh, int kw, int stride,
                               int padding);

// ---- the definition: seven nested loops (n, o, i, j, c, p, q) ---------------------------------
// y = conv(x, w) + b; b may be null.
void conv2d_forward_reference(const Conv2dGeometry& g, const float* x, const float* w, const float* b, float* y);
// Adds the gradients for an upstream gy into gx, gw, gb (any may be null):
//   dL/dx[n,c,i·s+p−pad, j·s+q−pad] += Σ_o w[o,c,p,q]·gy[n,o,i,j]
//   dL/dw[o,c,p,q] += Σ_n Σ_i Σ_j x[n,c,i·s+p−pad, j·s+q−pad]·gy[n,o,i,j]
//   dL/db[o] += Σ_n Σ_i Σ_j gy[n,o,i,j]
void conv2d_backward_reference(const Conv2dGeometry& g, const float* x, const float* w, const float* gy, float* gx,
                               float* gw, float* gb);

// ---- the fast path: im2col + gemm --------------------------------------------------------------
// cols [C·kh·kw, N·Ho·Wo]: row (c, p, q), column (n, i, j) holds x[n, c, i·s+p−pad, j·s+q−pad].
void im2col(const Conv2dGeometry& g, const float* x, float* cols);
// The reverse scatter: adds each column entry back into the input position it was copied from.
void col2im_add(const Conv2dGeometry& g, const float* cols, float* gx);
// y = W·cols (+ b), written as [N, O, Ho, Wo]. `cols` is im2col(x); `tmp` holds O·N·Ho·Wo floats.
void conv2d_forward_gemm(const Conv2dGeometry& g, const float* cols, const float* w, const float* b, float* y,
                         float* tmp);
// The gradients from an upstream gy [N, O, Ho, Wo], with Gᵀ = gy viewed as [O, N·Ho·Wo]:
//   dL/dW = Gᵀ·colsᵀ     dL/dcols = Wᵀ·Gᵀ, scattered back by col2im     dL/db[o] = Σ of row o of Gᵀ
// Adds into gx, gw, gb (any may be null). `tmp` holds C·kh·kw·N·Ho·Wo floats.
void conv2d_backward_gemm(const Conv2dGeometry& g, const float* cols, const float* w, const float* gy, float* gx,
                          float* gw, float* gb, float* tmp);

}  // namespace tinyattn
