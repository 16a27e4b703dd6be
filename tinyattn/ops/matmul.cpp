// matmul.cpp — matrix products, all on the one gemm kernel (kernels/gemm.hpp).
//
// For C = A·B with upstream gradient G = dL/dC:
//   dL/dA = G · Bᵀ      dL/dB = Aᵀ · G
// gemm's transpose flags read Bᵀ and Aᵀ straight from the stored matrices.
#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/gemm.hpp"
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
    for (int i = 0; i < batch; ++i)
        gemm(false, false, M, N, K, 1.0f, a.data() + i * sa, K, b.data() + i * sb, N, 0.0f,
             out.data() + i * sc, N);
    if (out.requires_grad())
        set_backward(out, [a, b, batch, M, N, K, sa, sb, sc](const Node& node) {
            const float* g = node.grad.data();
            for (int i = 0; i < batch; ++i) {
                // dL/dA = G · Bᵀ   (accumulate: beta = 1; a shared batch-1 operand sums over the batch)
                if (a.requires_grad())
                    gemm(false, true, M, K, N, 1.0f, g + i * sc, N, b.data() + i * sb, N, 1.0f,
                         a.grad_data() + i * sa, K);
                // dL/dB = Aᵀ · G
                if (b.requires_grad())
                    gemm(true, false, K, N, M, 1.0f, a.data() + i * sa, K, g + i * sc, N, 1.0f,
                         b.grad_data() + i * sb, N);
            }
        });
    return out;
}

}  // namespace tinyattn
