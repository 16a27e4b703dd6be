// activations.hpp — exp, sigmoid and tanh for whole arrays, fast.
//
// std::tanh and std::exp are function calls the compiler cannot vectorise, and they are exact
// to the last bit at a price that an LSTM with attention pays for every gate and every score of
// every step.
// These versions are the Cephes single-precision algorithms (a few units in the last place,
// far inside float32 training noise), written as plain branch-free arithmetic so that
// `#pragma omp simd` loops run them 8 floats at a time.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <bit>

namespace tinyattn::kernels {

// eˣ: split x = n·ln2 + r with |r| ≤ ln2/2, then eˣ = 2ⁿ · eʳ, eʳ from a degree-6 polynomial.
// Inputs are clamped to [-87.3, 88.3] (n stays in the float exponent range -126..127), so exp never returns inf or NaN.
inline float fast_exp(float x) {
    // Everything below is arithmetic, selects and bit moves — no branches — so a loop of
    // calls can become one vector loop.
    x = x > 88.3f ? 88.3f : (x < -87.3f ? -87.3f : x);  // value selects (std::min returns a reference: a branch)
    const float fx = x * 1.44269504088896341f;              // x / ln2
    const float n = (fx + 12582912.0f) - 12582912.0f;        // round to nearest: 1.5·2²³ pushes the
                                                             // fraction bits out of the float
    float r = x - n * 0.693359375f;                          // x - n·ln2 in two parts, so the
    r = r - n * -2.12194440e-4f;                             // subtraction loses no precision
    const float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float er = p * z + r + 1.0f;
    const int32_t bits = (int32_t(n) + 127) << 23;           // the float 2ⁿ, built from its exponent bits
    return er * std::bit_cast<float>(bits);
}

// eˢ for a shifted logit s = x - max ≤ 0 (softmax, cross-entropy): exactly 0 below the float
// range, so a masked entry (s = -inf) gets probability 0, not fast_exp's clamped 1e-38.
inline float exp_shifted(float s) { return s < -87.3f ? 0.0f : fast_exp(s); }

// σ(x) = 1 / (1 + e⁻ˣ)
inline float fast_sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// tanh x: an odd polynomial near 0 (where 1 - 2/(e²ˣ+1) would cancel), the exp form elsewhere.
inline float fast_tanh(float x) {
    const float ax = std::fabs(x);
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = p * z * x + x;
    const float big = 1.0f - 2.0f / (fast_exp(2.0f * ax) + 1.0f);
    return ax < 0.625f ? small : std::copysign(big, x);
}

// y[k] = σ(x[k]) and y[k] = tanh(x[k]) over arrays (x == y allowed), 8 lanes at a time.
// Out of line in activations.cpp, which is compiled so that GCC may vectorise them (see there).
void sigmoid_array(const float* x, float* y, size_t n);
void tanh_array(const float* x, float* y, size_t n);

}  // namespace tinyattn::kernels
