// elementwise.cpp — add, sub, mul, div (with broadcasting) and the one-input functions.
//
// Every elementwise op is y = f(x) or z = f(x, y), so its backward rule is the chain rule
// with the op's local derivative: dL/dx = dL/dy · ∂f/∂x, element by element.
// unary_reference and binary_reference below are those loops written plainly; the op table after
// them gives each op's f and derivatives to the same loops made fast (kernels/elementwise_loops.hpp).
#include <cmath>
#include <stdexcept>

#include "tinyattn/ops/elementwise.hpp"

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/elementwise_loops.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/ops/broadcast.hpp"

namespace tinyattn {

using kernels::binary_op;
using kernels::unary_array_op;
using kernels::unary_op;

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
    const size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (size_t i = 0; i < rank; ++i) {
        // walk from the right: missing dims count as 1
        const int da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const int db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw std::invalid_argument(std::string(op) + ": shapes " + shape_str(a) + " and " +
                                        shape_str(b) + " cannot be broadcast together");
        out[rank - 1 - i] = da == 1 ? db : da;
    }
    return out;
}

BroadcastIndex::BroadcastIndex(const Shape& in, const Shape& out) {
    if (in == out) return;
    // stride of each output dim inside the input; 0 where the input is stretched
    const size_t rank = out.size(), offset = rank - in.size();
    std::vector<size_t> stride(rank, 0);
    size_t s = 1;
    for (size_t d = rank; d-- > offset;) {
        const int size_in = in[d - offset];
        stride[d] = size_in == 1 ? 0 : s;
        s *= size_t(size_in);
    }
    index.resize(shape_numel(out));
    std::vector<int> coord(rank, 0);  // odometer over the output coordinates
    size_t flat_in = 0;
    for (size_t i = 0; i < index.size(); ++i) {
        index[i] = flat_in;
        for (size_t d = rank; d-- > 0;) {
            flat_in += stride[d];
            if (++coord[d] < out[d]) break;
            flat_in -= stride[d] * size_t(out[d]);
            coord[d] = 0;
        }
    }
}

// ---- the plain versions: read these first ---------------------------------------------------
// One loop forward, one loop backward that adds dL/dy · ∂f/∂x into the input's gradient.
// Where an input was stretched by broadcasting, several outputs read the same input element,
// and the += sums their contributions into it: that is the whole backward rule of broadcasting.
// The op table below runs the same arithmetic through the fast loops of
// kernels/elementwise_loops.hpp; tests/test_fused_ops.cpp holds the two equal.

// y = f(x).  dL/dx = dL/dy · f'(x), where f' may read the input x or the output y.
Tensor unary_reference(const char* name, const Tensor& a, float (*f)(float x), float (*df)(float x, float y)) {
    check_defined(name, a);
    Tensor out = make_result(a.shape(), name, {a});
    const float* x = a.data();
    float* y = out.data();
    for (size_t i = 0; i < out.numel(); ++i) y[i] = f(x[i]);
    if (out.requires_grad())
        set_backward(out, [a, df](const Node& node) {
            const float* x = a.data();
            const float* y = node.data.data();
            const float* g = node.grad.data();
            float* gx = a.grad_data();
            for (size_t i = 0; i < node.grad.size(); ++i) gx[i] += g[i] * df(x[i], y[i]);  // dL/dx = dL/dy · f'(x)
        });
    return out;
}

// z = f(x, y) over the broadcast shape.  dL/dx = Σ dL/dz · ∂f/∂x  (summed where x was stretched)
Tensor binary_reference(const char* name, const Tensor& a, const Tensor& b, float (*f)(float x, float y),
                        float (*df_dx)(float x, float y), float (*df_dy)(float x, float y)) {
    check_defined(name, a);
    check_defined(name, b);
    const Shape shape = broadcast_shapes(name, a.shape(), b.shape());
    Tensor out = make_result(shape, name, {a, b});
    const BroadcastIndex ia(a.shape(), shape), ib(b.shape(), shape);  // output element i reads x[ia(i)], y[ib(i)]
    const float* x = a.data();
    const float* y = b.data();
    float* z = out.data();
    for (size_t i = 0; i < out.numel(); ++i) z[i] = f(x[ia(i)], y[ib(i)]);
    if (out.requires_grad())
        set_backward(out, [a, b, ia, ib, df_dx, df_dy](const Node& node) {
            const float* x = a.data();
            const float* y = b.data();
            const float* g = node.grad.data();
            if (a.requires_grad()) {
                float* gx = a.grad_data();
                for (size_t i = 0; i < node.grad.size(); ++i) gx[ia(i)] += g[i] * df_dx(x[ia(i)], y[ib(i)]);
            }
            if (b.requires_grad()) {
                float* gy = b.grad_data();
                for (size_t i = 0; i < node.grad.size(); ++i) gy[ib(i)] += g[i] * df_dy(x[ia(i)], y[ib(i)]);
            }
        });
    return out;
}

// ---- the op table -------------------------------------------------------------------------

// z = x + y:  ∂z/∂x = 1, ∂z/∂y = 1
Tensor add(const Tensor& a, const Tensor& b) {
    return binary_op("add", a, b, [](float x, float y) { return x + y; },
                     [](float, float) { return 1.0f; }, [](float, float) { return 1.0f; });
}
// z = x - y:  ∂z/∂x = 1, ∂z/∂y = -1
Tensor sub(const Tensor& a, const Tensor& b) {
    return binary_op("sub", a, b, [](float x, float y) { return x - y; },
                     [](float, float) { return 1.0f; }, [](float, float) { return -1.0f; });
}
// z = x · y:  ∂z/∂x = y, ∂z/∂y = x
Tensor mul(const Tensor& a, const Tensor& b) {
    return binary_op("mul", a, b, [](float x, float y) { return x * y; },
                     [](float, float y) { return y; }, [](float x, float) { return x; });
}
// z = x / y:  ∂z/∂x = 1/y, ∂z/∂y = -x/y²
Tensor div(const Tensor& a, const Tensor& b) {
    return binary_op("div", a, b, [](float x, float y) { return x / y; },
                     [](float, float y) { return 1.0f / y; }, [](float x, float y) { return -x / (y * y); });
}

// y = x + s:  dy/dx = 1
Tensor add(const Tensor& a, float s) {
    return unary_op("add_scalar", a, [s](float x) { return x + s; },
                    [](float g, float, float) { return g * 1.0f; });
}
// y = s · x:  dy/dx = s
Tensor mul(const Tensor& a, float s) {
    return unary_op("mul_scalar", a, [s](float x) { return x * s; },
                    [s](float g, float, float) { return g * s; });
}
// y = s - x:  dy/dx = -1
Tensor rsub(float s, const Tensor& a) {
    return unary_op("rsub_scalar", a, [s](float x) { return s - x; },
                    [](float g, float, float) { return g * -1.0f; });
}
// y = s / x:  dy/dx = -s/x²
Tensor rdiv(float s, const Tensor& a) {
    return unary_op("rdiv_scalar", a, [s](float x) { return s / x; },
                    [s](float g, float x, float) { return g * (-s / (x * x)); });
}
// y = -x:  dy/dx = -1
Tensor neg(const Tensor& a) {
    return unary_op("neg", a, [](float x) { return -x; }, [](float g, float, float) { return g * -1.0f; });
}
// y = eˣ:  dy/dx = eˣ = y
Tensor exp(const Tensor& a) {
    return unary_op("exp", a, [](float x) { return std::exp(x); },
                    [](float g, float, float y) { return g * y; });
}
// y = ln x:  dy/dx = 1/x
Tensor log(const Tensor& a) {
    return unary_op("log", a, [](float x) { return std::log(x); },
                    [](float g, float x, float) { return g * (1.0f / x); });
}
// y = √x:  dy/dx = 1/(2√x) = 1/(2y)
Tensor sqrt(const Tensor& a) {
    return unary_op("sqrt", a, [](float x) { return std::sqrt(x); },
                    [](float g, float, float y) { return g * (0.5f / y); });
}
// y = xᵖ:  dy/dx = p·xᵖ⁻¹
Tensor pow(const Tensor& a, float p) {
    return unary_op("pow", a, [p](float x) { return std::pow(x, p); },
                    [p](float g, float x, float) { return g * (p * std::pow(x, p - 1.0f)); });
}
// y = tanh x:  dy/dx = 1 - tanh²x = 1 - y²
Tensor tanh(const Tensor& a) {
    // kernels::tanh_array: the vectorised Cephes tanh (a few ulp from std::tanh)
    return unary_array_op("tanh", a, kernels::tanh_array, [](float y) { return 1.0f - y * y; });
}
// y = σ(x) = 1/(1+e⁻ˣ):  dy/dx = σ(x)(1-σ(x)) = y(1-y)
Tensor sigmoid(const Tensor& a) {
    // kernels::sigmoid_array clamps its exp to the float range, so it never overflows
    return unary_array_op("sigmoid", a, kernels::sigmoid_array, [](float y) { return y * (1.0f - y); });
}
// y = max(0, x):  dy/dx = 1 if x > 0 else 0, so dL/dx = dL/dy where x > 0, else 0
Tensor relu(const Tensor& a) {
    return unary_op("relu", a, [](float x) { return x > 0.0f ? x : 0.0f; },
                    [](float g, float x, float) { return x > 0.0f ? g : 0.0f; });
}

// Operators, so formulas read like math: h = tanh(x * w + b)
Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, float s) { return add(a, s); }
Tensor operator+(float s, const Tensor& a) { return add(a, s); }
Tensor operator-(const Tensor& a, float s) { return add(a, -s); }
Tensor operator-(float s, const Tensor& a) { return rsub(s, a); }
Tensor operator*(const Tensor& a, float s) { return mul(a, s); }
Tensor operator*(float s, const Tensor& a) { return mul(a, s); }
Tensor operator/(const Tensor& a, float s) { return mul(a, 1.0f / s); }
Tensor operator/(float s, const Tensor& a) { return rdiv(s, a); }
Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace tinyattn
