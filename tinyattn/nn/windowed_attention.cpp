// windowed_attention.cpp — banded self-attention, the plain way and as one banded kernel.
//
// Row i of the band holds the positions j = lo(i) .. hi(i), lo = max(0, i − w), hi = min(T−1, i + w):
//   s_j = q_i·k_j / √d          the scores of the band only
//   p   = softmax(s)            over the band (the masked positions would get exactly 0)
//   c_i = Σ_j p_j · v_j         the context
// Backward, with G_i = dL/dc_i (per row, from the saved p):
//   dL/dp_j = G_i·v_j
//   dL/ds_j = p_j · (dL/dp_j − Σ_k p_k · dL/dp_k)      softmax's rule (ops/softmax.cpp)
//   dL/dq_i = Σ_j dL/ds_j · k_j / √d,   dL/dk_j += dL/ds_j · q_i / √d,   dL/dv_j += p_j · G_i
#include "tinyattn/nn/windowed_attention.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Tensor band_mask(int size, int window) {
    if (size <= 0 || window < 0)
        throw std::invalid_argument("band_mask: needs size > 0 and window >= 0, got size " + std::to_string(size) +
                                    ", window " + std::to_string(window));
    Tensor m = zeros({size, size});
    for (int i = 0; i < size; ++i)
        for (int j = 0; j < size; ++j) m.data()[std::size_t(i) * size + j] = std::abs(i - j) > window ? 1.0f : 0.0f;
    return m;
}

namespace {
void check_shapes(const char* op, const Tensor& q, const Tensor& k, const Tensor& v, int window) {
    check_defined(op, q);
    check_defined(op, k);
    check_defined(op, v);
    const bool ok = q.dim() == 3 && q.shape() == k.shape() && q.shape() == v.shape() && window >= 0;
    if (!ok)
        throw std::invalid_argument(std::string(op) + ": needs query, key, value of one shape [B, T, d] and window >= 0, "
                                    "got " + shape_str(q.shape()) + ", " + shape_str(k.shape()) + ", " +
                                    shape_str(v.shape()) + ", window " + std::to_string(window));
}

float dot(const float* a, const float* b, int n) {
    float s = 0.0f;
    for (int c = 0; c < n; ++c) s += a[c] * b[c];
    return s;
}
}  // namespace

Tensor windowed_attention_reference(const Tensor& query, const Tensor& key, const Tensor& value, int window) {
    check_shapes("windowed_attention_reference", query, key, value, window);
    return scaled_dot_product_attention(query, key, value, band_mask(query.size(1), window)).context;
}

Tensor windowed_attention(const Tensor& query, const Tensor& key, const Tensor& value, int window) {
    check_shapes("windowed_attention", query, key, value, window);
    const int B = query.size(0), T = query.size(1), d = query.size(2), W = 2 * window + 1;
    const float scale = 1.0f / std::sqrt(float(d));
    // The band's weights p, row i at band[(b·T + i)·W + (j − i + w)]: all the backward needs.
    auto band = std::make_shared<FloatBuffer>(std::size_t(B) * T * W, 0.0f);
    Tensor out = make_empty_result({B, T, d}, "windowed_attention", {query, key, value});
    const float *Q = query.data(), *K = key.data(), *V = value.data();
    float *C = out.data(), *P = band->data();
    // The threads share out whole sequences (each writes only its own rows): any thread count
    // gives the same bits.
    parallel_for_each(B, std::size_t(B) * T * W * d, kParallelWork, [=](int b) {
        for (int i = 0; i < T; ++i) {
            const int lo = std::max(0, i - window), hi = std::min(T - 1, i + window);
            const std::size_t row = std::size_t(b) * T + i;
            float* p = P + row * W + (lo - i + window);  // p[0] belongs to j = lo
            float top = -INFINITY;
            for (int j = lo; j <= hi; ++j) {
                p[j - lo] = dot(Q + row * d, K + (std::size_t(b) * T + j) * d, d) * scale;
                top = std::max(top, p[j - lo]);
            }
            float total = 0.0f;
            for (int j = lo; j <= hi; ++j) total += (p[j - lo] = std::exp(p[j - lo] - top));
            for (int j = lo; j <= hi; ++j) p[j - lo] /= total;
            float* c = C + row * d;
            std::fill(c, c + d, 0.0f);
            for (int j = lo; j <= hi; ++j) {
                const float* vj = V + (std::size_t(b) * T + j) * d;
                for (int e = 0; e < d; ++e) c[e] += p[j - lo] * vj[e];
            }
        }
    });
    if (out.requires_grad())
        set_backward(out, [query, key, value, band, window, W, scale](const Node& node) {
            const int B = query.size(0), T = query.size(1), d = query.size(2);
            const float *Q = query.data(), *K = key.data(), *V = value.data(), *G = node.grad.data();
            const float* P = band->data();
            // grad_data() is zero-filled on first use; query, key and value may be one tensor
            // (self-attention), so every rule adds (+=) into whichever buffer it gets.
            float* dQ = query.requires_grad() ? query.grad_data() : nullptr;
            float* dK = key.requires_grad() ? key.grad_data() : nullptr;
            float* dV = value.requires_grad() ? value.grad_data() : nullptr;
            parallel_for_each(B, std::size_t(B) * T * W * d, kParallelWork, [=](int b) {
                FloatBuffer ds(static_cast<std::size_t>(W));
                for (int i = 0; i < T; ++i) {
                    const int lo = std::max(0, i - window), hi = std::min(T - 1, i + window);
                    const std::size_t row = std::size_t(b) * T + i;
                    const float* p = P + row * W + (lo - i + window);
                    const float* g = G + row * d;
                    // dL/dp_j = G_i·v_j;  Σ_k p_k·dL/dp_k
                    float weighted = 0.0f;
                    for (int j = lo; j <= hi; ++j) {
                        ds[j - lo] = dot(g, V + (std::size_t(b) * T + j) * d, d);
                        weighted += p[j - lo] * ds[j - lo];
                    }
                    // dL/ds_j = p_j·(dL/dp_j − Σ_k p_k·dL/dp_k), then through s_j = q_i·k_j / √d
                    for (int j = lo; j <= hi; ++j) {
                        const float dsj = p[j - lo] * (ds[j - lo] - weighted) * scale;
                        const std::size_t at_j = (std::size_t(b) * T + j) * d;
                        if (dQ)
                            for (int e = 0; e < d; ++e) dQ[row * d + e] += dsj * K[at_j + e];  // dL/dq_i += dL/ds_j·k_j/√d
                        if (dK)
                            for (int e = 0; e < d; ++e) dK[at_j + e] += dsj * Q[row * d + e];  // dL/dk_j += dL/ds_j·q_i/√d
                        if (dV)
                            for (int e = 0; e < d; ++e) dV[at_j + e] += p[j - lo] * g[e];  // dL/dv_j += p_j·G_i
                    }
                }
            });
        });
    return out;
}

}  // namespace tinyattn::nn
