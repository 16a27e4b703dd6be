// gemm.cpp — C = alpha · op(A) · op(B) + beta · C.
//
// The fast path orders the loops so the innermost loop walks contiguous memory in both
// its input and its output (the compiler turns it into SIMD), and splits the rows of C
// across OpenMP threads when the product is big enough to pay for waking them.
#include "tinyattn/kernels/gemm.hpp"

#include <cstddef>
#include <vector>

namespace tinyattn {

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                    const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            double acc = 0.0;
            for (int k = 0; k < K; ++k) {
                const float a = trans_a ? A[k * lda + i] : A[i * lda + k];
                const float b = trans_b ? B[j * ldb + k] : B[k * ldb + j];
                acc += double(a) * double(b);
            }
            float& c = C[i * ldc + j];
            c = alpha * float(acc) + (beta == 0.0f ? 0.0f : beta * c);
        }
}

// Below this many multiply-adds one thread is faster than waking the team.
static const long kParallelThreshold = 64L * 64L * 64L;

void gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
          const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    // op(B) is read row by row (row k of op(B) = N contiguous floats). When B is stored
    // transposed we pack op(B) once into a contiguous K×N panel — this is part of the
    // kernel, like every BLAS packs its operands, not a transposed tensor in the graph.
    std::vector<float> packed;
    const float* Bk = B;
    int ldbk = ldb;
    if (trans_b) {
        packed.resize(std::size_t(K) * std::size_t(N));
        for (int j = 0; j < N; ++j)
            for (int k = 0; k < K; ++k) packed[std::size_t(k) * std::size_t(N) + std::size_t(j)] = B[j * ldb + k];
        Bk = packed.data();
        ldbk = N;
    }
    const bool parallel = long(M) * long(N) * long(K) >= kParallelThreshold;
#pragma omp parallel for schedule(static) if (parallel)
    for (int i = 0; i < M; ++i) {
        float* c = C + std::size_t(i) * std::size_t(ldc);
        if (beta == 0.0f) for (int j = 0; j < N; ++j) c[j] = 0.0f;
        else if (beta != 1.0f) for (int j = 0; j < N; ++j) c[j] *= beta;
        for (int k = 0; k < K; ++k) {
            // C[i, :] += alpha · op(A)[i, k] · op(B)[k, :]   — the contiguous inner loop
            const float a = alpha * (trans_a ? A[std::size_t(k) * std::size_t(lda) + std::size_t(i)]
                                             : A[std::size_t(i) * std::size_t(lda) + std::size_t(k)]);
            const float* b = Bk + std::size_t(k) * std::size_t(ldbk);
            for (int j = 0; j < N; ++j) c[j] += a * b[j];
        }
    }
}

}  // namespace tinyattn
