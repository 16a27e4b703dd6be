// gemm_packed.hpp — the packed, cache-blocked product of gemm.cpp (points 2–4 there), and
// the pieces of it that gemm_threads.cpp uses to share one product among threads.
#pragma once
#include <cstddef>

namespace tinyattn {

constexpr int MR = 6, NR = 16;                // the register tile (gemm.cpp, point 2)
constexpr int KC = 256, MC = 144, NC = 3072;  // the cache blocks (point 4); MC % MR == NC % NR == 0

// One thread, the whole product: packing, cache blocks and micro-kernel.
void gemm_packed(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* B, int ldb, float beta, float* C, int ldc);

// This thread's packing buffers, at least `size` floats (grown once, then reused).
float* packed_a_buffer(std::size_t size);
float* packed_b_buffer(std::size_t size);

// Rows [i, i+rows) of alpha·op(A), depth [p, p+kc), as consecutive MR-row panels (the panel of
// rows i+r.. starts at dst + r·kc); columns [j, j+cols) of op(B) as NR-column panels likewise.
void pack_a_panels(bool t, const float* A, int lda, int i, int rows, int p, int kc, float alpha, float* dst);
void pack_b_panels(bool t, const float* B, int ldb, int j, int cols, int p, int kc, float* dst);

// C[0:rows, 0:cols] = (packed A panels)·(packed B panels) over one k-slice, + beta·C.
void multiply_panels(int kc, const float* Ap, int rows, const float* Bp, int cols, float* C, int ldc, float beta);

}  // namespace tinyattn
