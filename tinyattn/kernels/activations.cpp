// activations.cpp — the array versions of fast_sigmoid and fast_tanh.
//
// GCC vectorises these loops only when it may assume floating-point operations do not trap
// (the float -> int conversion inside fast_exp could raise an "invalid" flag on a lane that
// the scalar code would never have computed). Nothing in tinyattn reads FP exception flags,
// so this one file tells GCC so; everywhere else the default stays.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include "tinyattn/kernels/activations.hpp"

namespace tinyattn::kernels {

void sigmoid_array(const float* x, float* y, size_t n) {
#pragma omp simd
    for (size_t k = 0; k < n; ++k) y[k] = fast_sigmoid(x[k]);
}

void tanh_array(const float* x, float* y, size_t n) {
#pragma omp simd
    for (size_t k = 0; k < n; ++k) y[k] = fast_tanh(x[k]);
}

}  // namespace tinyattn::kernels
