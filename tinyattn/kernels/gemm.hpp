// gemm.hpp — general matrix multiply, the one hot loop behind matmul, Linear, LSTM and attention.
//
//   C = alpha · op(A) · op(B) + beta · C      op(X) = X or Xᵀ
//
// op(A) is M×K, op(B) is K×N, C is M×N, all row-major. lda/ldb/ldc are the row strides of
// A, B and C as stored. The transpose flags let backward compute dA = dC·Bᵀ and dB = Aᵀ·dC
// straight from the stored matrices — no transposed copy is ever made by the caller.
#pragma once
#include <cstddef>

namespace tinyattn {

// Products of fewer multiply-adds than this run on one thread: starting the threads costs a few
// microseconds, about what 64k multiply-adds take on one core (measured on W1/W6, bench/README.md).
constexpr std::size_t kParallelWork = std::size_t(1) << 16;

void gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
          const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc);

// The textbook triple loop, kept as the definition the fast kernel is tested against.
void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                    const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace tinyattn
