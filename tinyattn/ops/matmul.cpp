// matmul.cpp — matrix products, all on the one gemm kernel (kernels/gemm.hpp).
//
// For C = A·B with upstream gradient G = dL/dC:
//   dL/dA = G · Bᵀ      dL/dB = Aᵀ · G
// gemm's transpose flags read Bᵀ and Aᵀ straight from the stored matrices.
#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
std::string pair_str(const Tensor& a, const Tensor& b) {
    return shape_str(a.shape()) + " x " + shape_str(b.shape());
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    check_defined("matmul", a);
    check_defined("matmul", b);
    const int ra = a.dim(), rb = b.dim();
    if (!((ra == 2 && rb == 2) || (ra == 3 && rb == 3) || (ra == 3 && rb == 2)))
        throw std::invalid_argument("matmul: expects [M,K]x[K,N], [B,M,K]x[B,K,N] or [B,M,K]x[K,N], got " +
                                    pair_str(a, b));
    const int M = a.size(-2), K = a.size(-1), N = b.size(-1);
    if (b.size(-2) != K) throw std::invalid_argument("matmul: inner dimensions differ: " + pair_str(a, b));
    // Batch sizes; a batch of 1 (or a 2-D operand) is shared by every product in the batch.
    const int batch_a = ra == 3 ? a.size(0) : 1;
    const int batch_b = rb == 3 ? b.size(0) : 1;
    if (batch_a != batch_b && batch_a != 1 && batch_b != 1)
        throw std::invalid_argument("matmul: batch dimensions differ: " + pair_str(a, b));
    const int batch = std::max(batch_a, batch_b);
    if (ra == 3 && rb == 2 && batch_a > 1) {
        // [B,M,K]x[K,N] is one big [B·M,K]x[K,N] product: fold the batch into the rows.
        return reshape(matmul(reshape(a, {batch_a * M, K}), b), {batch_a, M, N});
    }
    const Shape shape = (ra == 2 && rb == 2) ? Shape{M, N} : Shape{batch, M, N};
    Tensor out = make_empty_result(shape, "matmul", {a, b});
    const size_t sa = batch_a == 1 ? 0 : size_t(M) * K, sb = batch_b == 1 ? 0 : size_t(K) * N;
    const size_t sc = size_t(M) * N;
    const size_t work = size_t(batch) * M * N * K;  // multiply-adds of the whole batch
    const float *A = a.data(), *B = b.data();
    float* C = out.data();
    // One product per batch item. A batch of small products (e.g. per-head attention, 12×32 · 32×12)
    // is shared out whole among the threads: each product is too small to split (parallel.hpp).
    parallel_for_each(batch, work, kParallelWork, [=](int i) {
        gemm(false, false, M, N, K, 1.0f, A + i * sa, K, B + i * sb, N, 0.0f, C + i * sc, N);
    });
    if (out.requires_grad())
        set_backward(out, [a, b, batch, M, N, K, sa, sb, sc, work](const Node& node) {
            const float* G = node.grad.data();
            const float *A = a.data(), *B = b.data();
            // dL/dA = G · Bᵀ   (accumulate: beta = 1; a shared batch-1 operand sums over the batch,
            // in order, on one thread — two threads adding into one buffer would race)
            // A fresh gradient buffer is overwritten (beta = 0) by the first product that reaches
            // each part of it instead of being zero-filled first.
            if (a.requires_grad()) {
                bool fresh;
                float* dA = grad_data_fresh(a, fresh);
                parallel_for_each(batch, sa == 0 ? 0 : work, kParallelWork, [=](int i) {
                    const float beta = fresh && (sa != 0 || i == 0) ? 0.0f : 1.0f;
                    gemm(false, true, M, K, N, 1.0f, G + i * sc, N, B + i * sb, N, beta, dA + i * sa, K);
                });
            }
            // dL/dB = Aᵀ · G
            if (b.requires_grad()) {
                bool fresh;
                float* dB = grad_data_fresh(b, fresh);
                parallel_for_each(batch, sb == 0 ? 0 : work, kParallelWork, [=](int i) {
                    const float beta = fresh && (sb != 0 || i == 0) ? 0.0f : 1.0f;
                    gemm(true, false, K, N, M, 1.0f, A + i * sa, K, G + i * sc, N, beta, dB + i * sb, N);
                });
            }
        });
    return out;
}

}  // namespace tinyattn
