// gemm.cpp — C = alpha · op(A) · op(B) + beta · C, fast.
//
// A lesson in one file, with point 5 (threads) in gemm_threads.cpp (lessons/12_fast_matmul walks
// through the same steps with timings).
//
// 1. Why the naive loop is slow. C[i,j] += A[i,k]·B[k,j] does one multiply-add per two
//    loads. The CPU can do two 8-wide fused multiply-adds (FMA) per cycle — 32 flops — but
//    only about two loads per cycle, and far fewer when they miss the cache. So the work has
//    to be arranged so that every number loaded is used many times while it sits in a register.
//
// 2. The micro-kernel: a register block. Keep a 6×16 tile of C in 12 AVX registers
//    (6 rows × two 8-float vectors). For each k, load 16 floats of B (2 registers) and
//    broadcast 6 floats of A: 6 + 2 loads feed 12 FMAs = 192 flops. That ratio is what lets
//    the FMA units run flat out. 6×16 is the largest tile that fits the 16 AVX2 registers
//    (12 accumulators + 2 for B + 1 for the broadcast A value).
//
// 3. Packing. The micro-kernel wants its 6 rows of A interleaved (a[k][0..5] adjacent) and
//    its 16 columns of B contiguous (b[k][0..15] adjacent), so that it streams both with unit
//    stride and no TLB misses. We copy ("pack") blocks of op(A) and op(B) into that layout
//    first. The copy is O(n²) against the O(n³) multiply, and it also absorbs the transpose
//    flags, alpha and the ragged edges (padded with zeros) — the kernel never sees them.
//    With a batch of 32 rows the copy is not negligible any more, so the common cases have
//    their own loops; a transposed B (every Linear weight) and an A read along its rows (dY in
//    every Linear's backward) are moved 8×8 blocks at a time with register shuffles instead
//    of one scattered store per float.
//
// 4. Cache blocking. The k dimension is cut into slices of KC = 256: a packed 16-column
//    panel of B is then 256·16·4 B = 16 KiB and stays in the 32 KiB L1 cache while the
//    kernel sweeps it against every 6-row panel of A. Rows are grouped into blocks of
//    MC = 144 (144·256·4 B = 144 KiB of packed A), which stay in the 512 KiB L2 cache while
//    all the B panels pass by. Columns are cut at NC = 3072 only to bound the packed-B buffer.
//
// 5. Threads. Products of at least kParallelWork multiply-adds are cut into chunks that the
//    threads take in turn, each packing what its chunks share into its own buffers; every
//    element of C is computed by the same instructions in the same order whichever thread
//    computes it, so the result does not depend on the number of threads (gemm_threads.cpp).
//
// 6. Thin products. With fewer than 4 rows or 8 columns (a batch of one, a score vector
//    v·x) most of a 6×16 tile would be padding, so those go to plain loops instead
//    (gemm_thin.cpp): dot products, eight at a time, or one vectorised row update per k.
#include "tinyattn/kernels/gemm.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "tinyattn/kernels/avx_transpose.hpp"
#include "tinyattn/kernels/gemm_packed.hpp"
#include "tinyattn/kernels/gemm_thin.hpp"
#include "tinyattn/kernels/gemm_threads.hpp"
#include "tinyattn/kernels/parallel.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

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

namespace {

// op(A)[i, k] and op(B)[k, j] read from the stored matrices.
inline float at_a(bool t, const float* A, int lda, int i, int k) {
    return t ? A[std::size_t(k) * lda + i] : A[std::size_t(i) * lda + k];
}
inline float at_b(bool t, const float* B, int ldb, int k, int j) {
    return t ? B[std::size_t(j) * ldb + k] : B[std::size_t(k) * ldb + j];
}

// ---- packing (point 3) ----------------------------------------------------------------------
// With a batch of 32 rows a packed B panel is reused by only 6 micro-kernel calls, so packing
// costs almost as much as multiplying: the full-panel cases get branch-free loops that walk the
// stored matrix along its rows (unit stride); only ragged edges take the generic loop.
//
// Rows [i, i+rows) of alpha·op(A), depth [p, p+kc), as one MR-row panel: dst[k·MR + r].
void pack_a(bool t, const float* A, int lda, int i, int rows, int p, int kc, float alpha, float* dst) {
    if (!t) {  // row r of the panel is stored row i+r of A: read it along k (a ragged panel: zeros)
        const float* a[MR];
        for (int r = 0; r < rows; ++r) a[r] = A + std::size_t(i + r) * lda + p;
        int k = 0;
#if defined(__AVX2__) && defined(__FMA__)
        // Eight k at a time: 8 floats from each of the 6 rows, transposed in registers (two rows
        // of zeros make the block 8×8), give the 6 values of each k, written one k after another.
        // Float by float, every value would be a store 6 floats away from the last one; this
        // copy runs for every Linear (x forward, dY backward), so it is worth the shuffles.
        const __m256 scale = _mm256_set1_ps(alpha);
        for (; k + 8 <= kc; k += 8) {
            __m256 v[8];
            for (int r = 0; r < 8; ++r)
                v[r] = r < rows ? _mm256_mul_ps(scale, _mm256_loadu_ps(a[r] + k)) : _mm256_setzero_ps();
            transpose_in_registers(v);  // v[j] = the 6 rows' values at k + j, then two zeros
            // Eight floats stored per k, each store's two zeros overwritten by the next k's store;
            // the last k stores only its six (4 + 2), so nothing is written past k + 8.
            float* d = dst + k * MR;
            for (int j = 0; j < 7; ++j) _mm256_storeu_ps(d + j * MR, v[j]);
            _mm_storeu_ps(d + 7 * MR, _mm256_castps256_ps128(v[7]));
            _mm_storel_pi(reinterpret_cast<__m64*>(d + 7 * MR + 4), _mm256_extractf128_ps(v[7], 1));
        }
#endif
        for (; k < kc; ++k)
            for (int r = 0; r < MR; ++r) dst[k * MR + r] = r < rows ? alpha * a[r][k] : 0.0f;
        return;
    }
    if (t && rows == MR) {  // op(A) = Aᵀ: the panel's 6 values for one k are adjacent in A's row k
        for (int k = 0; k < kc; ++k) {
            const float* a = A + std::size_t(p + k) * lda + i;
            for (int r = 0; r < MR; ++r) dst[k * MR + r] = alpha * a[r];
        }
        return;
    }
    for (int k = 0; k < kc; ++k) {  // the last, ragged panel: its rows, then zeros
        for (int r = 0; r < rows; ++r) dst[k * MR + r] = alpha * at_a(t, A, lda, i + r, p + k);
        for (int r = rows; r < MR; ++r) dst[k * MR + r] = 0.0f;
    }
}
#if defined(__AVX2__) && defined(__FMA__)
// The 8×8 block rows[0..7][k..k+8) written transposed: dst[i·stride + r] = rows[r][k + i].
// Eight loads and eight stores of whole vectors, against 64 scalar stores for the plain loop.
inline void transpose_8x8(const float* const* rows, int k, float* dst, int stride) {
    __m256 r[8];
    for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(rows[i] + k);
    transpose_in_registers(r);
    for (int i = 0; i < 8; ++i) _mm256_storeu_ps(dst + i * stride, r[i]);
}
#endif

// Columns [j, j+cols) of op(B), depth [p, p+kc), as one NR-column panel: dst[k·NR + c].
void pack_b(bool t, const float* B, int ldb, int j, int cols, int p, int kc, float* dst) {
    if (!t && cols == NR) {  // 16 contiguous floats per k (a loop, not a memcpy call per 64 bytes)
        for (int k = 0; k < kc; ++k) {
            const float* b = B + std::size_t(p + k) * ldb + j;
            for (int c = 0; c < NR; ++c) dst[k * NR + c] = b[c];
        }
        return;
    }
    if (t && cols == NR) {  // op(B) = Bᵀ (a Linear weight): column c of the panel is stored row j+c
        const float* rows[NR];
        for (int c = 0; c < NR; ++c) rows[c] = B + std::size_t(j + c) * ldb + p;
        int k = 0;
#if defined(__AVX2__) && defined(__FMA__)
        // 8 k at a time: two 8×8 transposes fill columns 0..7 and 8..15 of 8 panel rows
        for (; k + 8 <= kc; k += 8) {
            transpose_8x8(rows, k, dst + k * NR, NR);          // stored rows j..j+7
            transpose_8x8(rows + 8, k, dst + k * NR + 8, NR);  // stored rows j+8..j+15
        }
#endif
        for (; k < kc; ++k)
            for (int c = 0; c < NR; ++c) dst[k * NR + c] = rows[c][k];
        return;
    }
    for (int k = 0; k < kc; ++k) {  // the last, ragged panel: its columns, then zeros
        float* d = dst + k * NR;
        for (int c = 0; c < NR; ++c) d[c] = 0.0f;
        if (t)
            for (int c = 0; c < cols; ++c) d[c] = B[std::size_t(j + c) * ldb + p + k];
        else
            for (int c = 0; c < cols; ++c) d[c] = B[std::size_t(p + k) * ldb + j + c];
    }
}

// ---- the micro-kernel (point 2) -------------------------------------------------------------
// C[0:rows, 0:cols] = tile + beta·C (rows ≤ MR and cols ≤ NR at the ragged edges).
inline void store_tile(const float (&tile)[MR][NR], float* C, int ldc, int rows, int cols, float beta) {
    for (int r = 0; r < rows; ++r) {
        float* c = C + std::size_t(r) * ldc;
        if (cols == NR && beta == 0.0f)  // a whole row of the tile: a fixed length becomes two
            for (int j = 0; j < NR; ++j) c[j] = tile[r][j];  // vector moves (copy_n calls memmove)
        else if (cols == NR)
            for (int j = 0; j < NR; ++j) c[j] = tile[r][j] + beta * c[j];
        else if (beta == 0.0f)
            std::copy_n(tile[r], cols, c);
        else
#pragma omp simd
            for (int j = 0; j < cols; ++j) c[j] = tile[r][j] + beta * c[j];
    }
}

// acc = a_panel · b_panel over kc (a 6×16 tile), then C[0:rows, 0:cols] = acc + beta·C.
#if defined(__AVX2__) && defined(__FMA__)
void micro_kernel(int kc, const float* a, const float* b, float* C, int ldc, int rows, int cols, float beta) {
    // Twelve named accumulators, not an array: GCC keeps named __m256 values in registers,
    // but an array of them may live on the stack and be stored back at every k.
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int k = 0; k < kc; ++k, a += MR, b += NR) {
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        __m256 ar = _mm256_broadcast_ss(a + 0);  // 6 broadcasts of A, 12 FMAs
        c00 = _mm256_fmadd_ps(ar, b0, c00); c01 = _mm256_fmadd_ps(ar, b1, c01);
        ar = _mm256_broadcast_ss(a + 1);
        c10 = _mm256_fmadd_ps(ar, b0, c10); c11 = _mm256_fmadd_ps(ar, b1, c11);
        ar = _mm256_broadcast_ss(a + 2);
        c20 = _mm256_fmadd_ps(ar, b0, c20); c21 = _mm256_fmadd_ps(ar, b1, c21);
        ar = _mm256_broadcast_ss(a + 3);
        c30 = _mm256_fmadd_ps(ar, b0, c30); c31 = _mm256_fmadd_ps(ar, b1, c31);
        ar = _mm256_broadcast_ss(a + 4);
        c40 = _mm256_fmadd_ps(ar, b0, c40); c41 = _mm256_fmadd_ps(ar, b1, c41);
        ar = _mm256_broadcast_ss(a + 5);
        c50 = _mm256_fmadd_ps(ar, b0, c50); c51 = _mm256_fmadd_ps(ar, b1, c51);
    }
    alignas(32) float tile[MR][NR];  // the finished tile, then C = tile + beta·C
    _mm256_store_ps(tile[0], c00); _mm256_store_ps(tile[0] + 8, c01);
    _mm256_store_ps(tile[1], c10); _mm256_store_ps(tile[1] + 8, c11);
    _mm256_store_ps(tile[2], c20); _mm256_store_ps(tile[2] + 8, c21);
    _mm256_store_ps(tile[3], c30); _mm256_store_ps(tile[3] + 8, c31);
    _mm256_store_ps(tile[4], c40); _mm256_store_ps(tile[4] + 8, c41);
    _mm256_store_ps(tile[5], c50); _mm256_store_ps(tile[5] + 8, c51);
    store_tile(tile, C, ldc, rows, cols, beta);
}
#else
// Portable version of the same tile (the compiler vectorises the inner j loop).
void micro_kernel(int kc, const float* a, const float* b, float* C, int ldc, int rows, int cols, float beta) {
    float tile[MR][NR] = {};
    for (int k = 0; k < kc; ++k, a += MR, b += NR)
        for (int r = 0; r < MR; ++r)
            for (int j = 0; j < NR; ++j) tile[r][j] += a[r] * b[j];
    store_tile(tile, C, ldc, rows, cols, beta);
}
#endif

}  // namespace

// Packed buffers, grown once and reused: no allocation per call in a training loop.
// Only ever grow: resize() zero-fills every element it adds, so shrinking for a small product
// and growing back for the next big one would memset the buffer on every call, for numbers that
// packing overwrites anyway.
static float* grown_to(std::vector<float>& buf, std::size_t size) {
    if (buf.size() < size) buf.resize(size);
    return buf.data();
}
float* packed_a_buffer(std::size_t size) {
    thread_local std::vector<float> buf;
    return grown_to(buf, size);
}
float* packed_b_buffer(std::size_t size) {
    thread_local std::vector<float> buf;
    return grown_to(buf, size);
}

// Rows [i, i+rows) of alpha·op(A), depth [p, p+kc), as consecutive MR-row panels (the panel of
// rows i+r.. starts at dst + r·kc).
void pack_a_panels(bool t, const float* A, int lda, int i, int rows, int p, int kc, float alpha, float* dst) {
    for (int r = 0; r < rows; r += MR)
        pack_a(t, A, lda, i + r, std::min(MR, rows - r), p, kc, alpha, dst + std::size_t(r) * kc);
}
// Columns [j, j+cols) of op(B), depth [p, p+kc), as consecutive NR-column panels.
void pack_b_panels(bool t, const float* B, int ldb, int j, int cols, int p, int kc, float* dst) {
    for (int c = 0; c < cols; c += NR)
        pack_b(t, B, ldb, j + c, std::min(NR, cols - c), p, kc, dst + std::size_t(c) * kc);
}

// C[0:rows, 0:cols] = (packed A panels)·(packed B panels) over one k-slice, + beta·C: every tile,
// column panel by column panel, so that a B panel stays in L1 while the A panels pass by.
void multiply_panels(int kc, const float* Ap, int rows, const float* Bp, int cols, float* C, int ldc, float beta) {
    for (int j = 0; j < cols; j += NR)
        for (int i = 0; i < rows; i += MR)
            micro_kernel(kc, Ap + std::size_t(i) * kc, Bp + std::size_t(j) * kc, C + std::size_t(i) * ldc + j, ldc,
                         std::min(MR, rows - i), std::min(NR, cols - j), beta);
}

// One thread, the whole product: packing, cache blocks and micro-kernel (points 2-4).
void gemm_packed(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* B, int ldb, float beta, float* C, int ldc) {
    const int m_pad = (M + MR - 1) / MR * MR;
    float* Ap = packed_a_buffer(std::size_t(m_pad) * KC);
    float* Bp = packed_b_buffer(std::size_t(std::min(N, NC) + NR) * KC);
    for (int jc = 0; jc < N; jc += NC) {
        const int nc = std::min(NC, N - jc);
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = std::min(KC, K - pc);
            const float beta_here = pc == 0 ? beta : 1.0f;  // later k-slices accumulate onto the first
            pack_b_panels(trans_b, B, ldb, jc, nc, pc, kc, Bp);
            pack_a_panels(trans_a, A, lda, 0, M, pc, kc, alpha, Ap);
            // Row block by row block: a block's packed A stays in L2 while the B panels stream past.
            for (int i = 0; i < M; i += MC)
                multiply_panels(kc, Ap + std::size_t(i) * kc, std::min(MC, M - i), Bp, nc,
                                C + std::size_t(i) * ldc + jc, ldc, beta_here);
        }
    }
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
          const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {  // nothing to multiply: C = beta·C
        for (int i = 0; i < M; ++i) scale_row(C + std::size_t(i) * ldc, N, beta);
        return;
    }
    // The kernel is chosen for the whole product, before it is cut up: a chunk never switches
    // to another kernel (which would add in another order and change the last bits).
    const GemmKernel kernel = M < 4 || N < 8 ? gemm_thin : gemm_packed;
    if (!use_threads(std::size_t(M) * N * K, kParallelWork)) {
        kernel(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    gemm_on_threads(kernel, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace tinyattn
