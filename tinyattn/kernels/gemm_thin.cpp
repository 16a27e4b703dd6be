// gemm_thin.cpp — products with fewer than 4 rows or 8 columns: plain dot products, no packing.
//
// A batch of one (greedy decoding: x·Wᵀ with x a single row) or a score vector v·x would fill
// only one or two rows of the 6×16 tile gemm.cpp's micro-kernel computes, so these products
// are written as what they are: dot products of A's row with B's rows (B transposed, the
// Linear weight), or a row of C updated once per k. They read every weight once and do one
// multiply-add per weight, so they are limited by how fast the weights stream from the cache,
// and the code's job is to keep enough independent sums in flight to reach that speed.
#include "tinyattn/kernels/gemm_thin.hpp"

#include <cstddef>

#include "tinyattn/kernels/avx_transpose.hpp"

namespace tinyattn {

namespace {

// c = alpha·acc + beta·c (beta = 0 overwrites).
inline void finish(float& c, float acc, float alpha, float beta) { c = alpha * acc + (beta == 0.0f ? 0.0f : beta * c); }

#if defined(__AVX2__) && defined(__FMA__)
// Eight dot products at once: c[r] = alpha·dot(a, b row r) + beta·c[r] for rows r = 0..7 of
// b (row stride ldb), each of length K. Why eight: a running sum waits 4 cycles for its FMA,
// and the core can start two FMAs per cycle, so 8 independent sums keep it busy (the
// four-at-a-time loop below reaches half that); a[k..k+8) is loaded once for all eight rows.
//
// The order of the additions: lane l of row r's vector sum holds the terms k ≡ l (mod 8);
// leftover terms (K mod 8) are added to lane 0; then the lanes are added in order, 0 + lane 0 +
// lane 1 + … + lane 7. That is the order GCC -O3 gives the portable loop below, so the Release
// build's results did not change when this kernel came in (checked bit for bit on 45,696
// products). One 8×8 transpose turns the eight rows' lanes into eight vectors, so those last
// additions run for all rows at once. (Which loop a column goes through depends only on N,
// never on how C is shared among threads: shares are cut at multiples of 16 columns.)
void dot8(const float* a, const float* b, std::size_t ldb, int K, float alpha, float beta, float* c) {
    const float* row[8];
    for (int r = 0; r < 8; ++r) row[r] = b + r * ldb;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    int k = 0;
    for (; k + 8 <= K; k += 8) {
        const __m256 x = _mm256_loadu_ps(a + k);
        s0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[0] + k), s0);
        s1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[1] + k), s1);
        s2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[2] + k), s2);
        s3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[3] + k), s3);
        s4 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[4] + k), s4);
        s5 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[5] + k), s5);
        s6 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[6] + k), s6);
        s7 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row[7] + k), s7);
    }
    __m256 lane[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    transpose_in_registers(lane);  // lane[l][r] = lane l of row r's sum
    for (; k < K; ++k) {           // the leftover terms, into lane 0
        const __m256 bk = _mm256_setr_ps(row[0][k], row[1][k], row[2][k], row[3][k], row[4][k], row[5][k],
                                         row[6][k], row[7][k]);
        lane[0] = _mm256_fmadd_ps(_mm256_set1_ps(a[k]), bk, lane[0]);
    }
    __m256 acc = _mm256_setzero_ps();
    for (int l = 0; l < 8; ++l) acc = _mm256_add_ps(acc, lane[l]);
    const __m256 scaled = _mm256_mul_ps(_mm256_set1_ps(alpha), acc);  // then as finish(): + 0 or + beta·c
    const __m256 result = beta == 0.0f ? _mm256_add_ps(scaled, _mm256_setzero_ps())
                                       : _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_loadu_ps(c), scaled);
    _mm256_storeu_ps(c, result);
}
#endif

}  // namespace

void gemm_thin(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc) {
    for (int i = 0; i < M; ++i) {
        float* c = C + std::size_t(i) * ldc;
        if (trans_b && !trans_a) {
            // C[i, j] = dot(A row i, B row j), both contiguous in k. Several dot products at a
            // time: one running sum alone waits for each add to finish (4 cycles) before the
            // next can start. Eight at a time with AVX2 (dot8), then four (or all, without
            // AVX2) in the portable loop, then the last N mod 4 one by one.
            const float* a = A + std::size_t(i) * lda;
            int j = 0;
#if defined(__AVX2__) && defined(__FMA__)
            for (; j + 8 <= N; j += 8) dot8(a, B + std::size_t(j) * ldb, std::size_t(ldb), K, alpha, beta, c + j);
#endif
            for (; j + 4 <= N; j += 4) {
                const float* b0 = B + std::size_t(j) * ldb;
                const float *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
                float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
                for (int k = 0; k < K; ++k) {
                    s0 += a[k] * b0[k];
                    s1 += a[k] * b1[k];
                    s2 += a[k] * b2[k];
                    s3 += a[k] * b3[k];
                }
                finish(c[j], s0, alpha, beta);
                finish(c[j + 1], s1, alpha, beta);
                finish(c[j + 2], s2, alpha, beta);
                finish(c[j + 3], s3, alpha, beta);
            }
            for (; j < N; ++j) {  // the last N mod 4 columns, one at a time
                const float* b = B + std::size_t(j) * ldb;
                float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
                for (int k = 0; k < K; ++k) acc += a[k] * b[k];
                finish(c[j], acc, alpha, beta);
            }
        } else if (trans_b) {  // C[i, j] = dot(op(A) row i, B row j), op(A) row i strided
            for (int j = 0; j < N; ++j) {
                const float* b = B + std::size_t(j) * ldb;
                float acc = 0.0f;
                for (int k = 0; k < K; ++k) acc += A[std::size_t(k) * lda + i] * b[k];
                finish(c[j], acc, alpha, beta);
            }
        } else {
            // C[i, :] += alpha·op(A)[i, k] · B[k, :] — the contiguous inner loop
            scale_row(c, N, beta);
            for (int k = 0; k < K; ++k) {
                const float a = alpha * (trans_a ? A[std::size_t(k) * lda + i] : A[std::size_t(i) * lda + k]);
                const float* b = B + std::size_t(k) * ldb;
#pragma omp simd
                for (int j = 0; j < N; ++j) c[j] += a * b[j];
            }
        }
    }
}

}  // namespace tinyattn
