// gemm_thin.hpp — C = alpha·op(A)·op(B) + beta·C when A has fewer than 4 rows or C fewer than
// 8 columns (see gemm_thin.cpp). gemm() picks it and shares C among threads; this runs on one.
#pragma once
#include <algorithm>

namespace tinyattn {

// C row = beta·C row, N floats (beta = 0 overwrites, so garbage or NaN in C never leaks).
// Shared with gemm.cpp, which needs it when there is nothing to multiply.
inline void scale_row(float* c, int N, float beta) {
    if (beta == 0.0f) std::fill(c, c + N, 0.0f);
    else if (beta != 1.0f) for (int j = 0; j < N; ++j) c[j] *= beta;
}

void gemm_thin(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace tinyattn
