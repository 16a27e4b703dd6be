// gemm_threads.hpp — one product shared among the threads of a parallel region (see
// gemm_threads.cpp). gemm() calls it for products big enough to pay for the threads.
#pragma once

namespace tinyattn {

// gemm_thin or gemm_packed: C = alpha·op(A)·op(B) + beta·C on one thread.
using GemmKernel = void (*)(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
                            const float* B, int ldb, float beta, float* C, int ldc);

// The same product as kernel(...), computed by all threads of a parallel region (call only after
// use_threads()); every element of C gets exactly the bits the kernel alone would give it.
void gemm_on_threads(GemmKernel kernel, bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                     const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace tinyattn
