// elementwise.cpp — add, sub, mul, div (with broadcasting) and the one-input functions.
//
// Every elementwise op is y = f(x) or z = f(x, y), so its backward rule is the chain rule
// with the op's local derivative: dL/dx = dL/dy · ∂f/∂x, element by element.
// binary_op and unary_op below hold the loops; each op supplies f and its derivatives.
#include <cmath>
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/ops/broadcast.hpp"

namespace tinyattn {

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

// z = f(x, y) over the broadcast shape.  dL/dx = Σ dL/dz · ∂f/∂x  (summed where x was stretched)
template <class F, class DfDx, class DfDy>
static Tensor binary_op(const char* name, const Tensor& a, const Tensor& b, F f, DfDx df_dx, DfDy df_dy) {
    check_defined(name, a);
    check_defined(name, b);
    const Shape shape = broadcast_shapes(name, a.shape(), b.shape());
    Tensor out = make_empty_result(shape, name, {a, b});
    auto layout = std::make_shared<const BinaryLayout>(a.shape(), b.shape(), shape);
    const float* x = a.data();
    const float* y = b.data();
    float* z = out.data();
    layout->for_each(out.numel(), [=](size_t i, size_t ia, size_t ib) { z[i] = f(x[ia], y[ib]); }, true);
    if (out.requires_grad())
        set_backward(out, [a, b, layout, df_dx, df_dy](const Node& node) {
            const float* x = a.data();
            const float* y = b.data();
            const float* g = node.grad.data();
            // A stretched operand (a bias) sums over rows: its loop stays on one thread.
            // A full-size operand gets one value per element: a fresh buffer is stored into.
            if (a.requires_grad()) {
                const bool full = a.numel() == node.grad.size();
                bool fresh = false;
                float* gx = full ? grad_data_fresh(a, fresh) : a.grad_data();
                layout->for_each(
                    node.grad.size(),
                    [=](size_t i, size_t ia, size_t ib) { add_or_store(gx[ia], g[i] * df_dx(x[ia], y[ib]), fresh); },
                    full);
            }
            if (b.requires_grad()) {
                const bool full = b.numel() == node.grad.size();
                bool fresh = false;
                float* gy = full ? grad_data_fresh(b, fresh) : b.grad_data();
                layout->for_each(
                    node.grad.size(),
                    [=](size_t i, size_t ia, size_t ib) { add_or_store(gy[ib], g[i] * df_dy(x[ia], y[ib]), fresh); },
                    full);
            }
        });
    return out;
}

// y = f(x).  dL/dx = dL/dy · f'(x), where the derivative may use x or the output y.
// `grad_x(g, x, y)` returns g · f'(x) — the chain rule written out by each op, so that relu can
// say "g where x > 0, else 0": written as g · (x > 0 ? 1 : 0), GCC turns the product into a
// branch per element and the loop no longer vectorises, over every activation of every layer.
template <class F, class GradX>
static Tensor unary_op(const char* name, const Tensor& a, F f, GradX grad_x) {
    check_defined(name, a);
    Tensor out = make_empty_result(a.shape(), name, {a});
    const float* x = a.data();
    float* y = out.data();
    parallel_for(out.numel(), 1, [=](size_t begin, size_t end) {
#pragma omp simd  // y is a fresh buffer: no overlap with x, so 8 elements at a time is safe
        for (size_t i = begin; i < end; ++i) y[i] = f(x[i]);
    });
    if (out.requires_grad())
        set_backward(out, [a, grad_x](const Node& node) {
            const float* x = a.data();
            const float* y = node.data.data();
            const float* g = node.grad.data();
            bool fresh;
            float* gx = grad_data_fresh(a, fresh);
            parallel_for(node.grad.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(gx[i], grad_x(g[i], x[i], y[i]), fresh);
            });
        });
    return out;
}

// The same, with the forward pass done by an array function y = f(x) (kernels/activations.hpp).
template <class Df>
static Tensor unary_array_op(const char* name, const Tensor& a, void (*f)(const float*, float*, size_t), Df df) {
    check_defined(name, a);
    Tensor out = make_empty_result(a.shape(), name, {a});
    const float* x = a.data();
    float* y = out.data();
    parallel_for(out.numel(), 1, [=](size_t begin, size_t end) { f(x + begin, y + begin, end - begin); });
    if (out.requires_grad())
        set_backward(out, [a, df](const Node& node) {
            const float* y = node.data.data();
            const float* g = node.grad.data();
            bool fresh;
            float* gx = grad_data_fresh(a, fresh);
            parallel_for(node.grad.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(gx[i], g[i] * df(y[i]), fresh);
            });
        });
    return out;
}

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
