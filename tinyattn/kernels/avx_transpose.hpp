// avx_transpose.hpp — an 8×8 block of floats transposed in eight AVX registers.
//
// Used where data arrives in rows but is wanted in columns: packing A's rows and a transposed B
// for the gemm micro-kernel (gemm.cpp) and adding up eight dot products' lanes at once
// (gemm_thin.cpp).
#pragma once
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace tinyattn {

// Eight 8-float vectors transposed in place: afterwards r[i][j] is what r[j][i] was.
// 24 register shuffles: _mm256_unpack* interleave pairs of rows, shuffle_ps builds 4×4
// blocks, permute2f128 swaps the 128-bit halves (the classic AVX transpose).
inline void transpose_in_registers(__m256 (&r)[8]) {
    __m256 t[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);      // r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] ...
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);  // r0[2] r1[2] r0[3] r1[3] | r0[6] r1[6] ...
    }
    for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));      // r0..r3 at [0] | [4]
        r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));  // r0..r3 at [1] | [5]
        r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));  // [2] | [6]
        r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));  // [3] | [7]
    }
    for (int i = 0; i < 4; ++i) {  // rows 0..3 from r[i], rows 4..7 from r[i + 4]
        t[i] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x20);
        t[i + 4] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x31);
    }
    for (int i = 0; i < 8; ++i) r[i] = t[i];
}

}  // namespace tinyattn
#endif
