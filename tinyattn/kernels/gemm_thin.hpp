// gemm_thin.hpp — C = alpha·op(A)·op(B) + beta·C when A has fewer than 4 rows or C fewer than
// 8 columns (see gemm_thin.cpp). gemm() picks it and shares C among threads; this runs on one.
#pragma once

namespace tinyattn {

void gemm_thin(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace tinyattn
