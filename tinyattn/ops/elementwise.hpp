// elementwise.hpp — the plain elementwise op, loop by loop (ops/elementwise.cpp).
//
// add, mul, exp, tanh, ... (ops.hpp) are each a function f and its derivatives handed to one of
// two loops. These are those loops written the way lesson 02 explains them; any f works:
//
//     Tensor y = unary_reference("exp", x, [](float x) { return std::exp(x); },
//                                [](float, float y) { return y; });            // dy/dx = y
//
// The ops themselves run the same arithmetic through faster loops (kernels/elementwise_loops.hpp),
// and tests/test_fused_ops.cpp holds every op of the table equal to these.
#pragma once
#include "tinyattn/tensor.hpp"

namespace tinyattn {

// y = f(x) elementwise;  dL/dx = dL/dy · df(x, y)   (df may read the input x or the output y)
Tensor unary_reference(const char* name, const Tensor& a, float (*f)(float x), float (*df)(float x, float y));

// z = f(x, y) over the broadcast shape of a and b;  dL/dx = Σ dL/dz · df_dx(x, y), summed over
// the outputs that read the same element of x (likewise y)
Tensor binary_reference(const char* name, const Tensor& a, const Tensor& b, float (*f)(float x, float y),
                        float (*df_dx)(float x, float y), float (*df_dy)(float x, float y));

}  // namespace tinyattn
