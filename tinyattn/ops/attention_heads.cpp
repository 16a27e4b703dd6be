// attention_heads.cpp — multi-head attention's two products, reading the heads in place.
//
// With H heads of d = E / H numbers each, head h of a [B, T, E] projection is its columns
// h·d .. h·d+d-1. The textbook way, MultiheadAttention::forward_reference in
// nn/multihead_attention.cpp (read it first), copies the heads out: reshape to [B, T, H, d],
// permute to [B, H, T, d], scaled_dot_product_attention, then permute and reshape back — about a
// dozen copies per attention call, forward and backward, in a small Transformer's step where
// the products themselves are small (W4 in bench/README.md). gemm takes a row stride, so a head
// can be multiplied right where it is: its rows are d numbers long but E apart. Per (b, h):
//   head_scores:   S = scale · Q_h · K_hᵀ          [Tq, Tk]   from q [B, Tq, E], k [B, Tk, E]
//   head_context:  C_h = P · V_h                  [Tq, d]    written into columns h·d.. of [B, Tq, E]
// Backward (G = dL/d(output) of the same head):
//   head_scores:   G' = scale · G,  dL/dQ_h = G' · K_h,  dL/dK_h = G'ᵀ · Q_h
//   head_context:  dL/dP = G · V_hᵀ,  dL/dV_h = Pᵀ · G
// The products are the same gemm calls, on the same numbers in the same order, as the copying
// version (K_h is transposed into a small scratch block as the copying version's transpose did),
// so both give the same bits — tests/test_fused_ops.cpp checks it.
#include <functional>
#include <stdexcept>
#include <vector>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
// Where the B·H heads live, and how big their products are.
struct Heads {
    int B, H, Tq, Tk, d, E;
    std::size_t q_at(int b, int h) const { return std::size_t(b) * Tq * E + std::size_t(h) * d; }  // row 0 of Q_h
    std::size_t k_at(int b, int h) const { return std::size_t(b) * Tk * E + std::size_t(h) * d; }  // row 0 of K_h, V_h
    std::size_t s_at(int b, int h) const { return (std::size_t(b) * H + h) * Tq * Tk; }  // the [Tq, Tk] block
    long work() const { return long(B) * H * Tq * Tk * d; }  // multiply-adds of one batch of products
};

// product(b, h) for every head; the threads share out whole heads, as matmul does for its batches.
void for_each_head(const Heads& s, const std::function<void(int b, int h)>& product) {
    parallel_for_each(s.B * s.H, std::size_t(s.work()), kParallelWork, [&](int i) { product(i / s.H, i % s.H); });
}

// A small block of scratch floats per thread, grown once and reused (a head's K_hᵀ, or its
// dL/dK_hᵀ before it is added into dL/dk): no allocation per head.
float* scratch(std::size_t n) {
    thread_local std::vector<float> buf;
    if (buf.size() < n) buf.resize(n);
    return buf.data();
}

// kt[c, j] = K_h[j, c]: the [d, Tk] transpose of one head's keys.
void transpose_head(const float* k, int Tk, int d, int E, float* kt) {
    for (int j = 0; j < Tk; ++j)
        for (int c = 0; c < d; ++c) kt[c * Tk + j] = k[std::size_t(j) * E + c];
}

void check_heads(const char* op, const Tensor& q, const Tensor& k, int heads) {
    check_defined(op, q);
    check_defined(op, k);
    const bool ok = q.dim() == 3 && k.dim() == 3 && q.size(0) == k.size(0) && q.size(2) == k.size(2) && heads > 0 &&
                    q.size(2) % heads == 0;
    if (!ok)
        throw std::invalid_argument(std::string(op) + ": needs [B, Tq, E] and [B, Tk, E] with E divisible by " +
                                    std::to_string(heads) + " heads, got " + shape_str(q.shape()) + " and " +
                                    shape_str(k.shape()));
}
}  // namespace

Tensor head_scores(const Tensor& q, const Tensor& k, int heads, float scale) {
    check_heads("head_scores", q, k, heads);
    const Heads s{q.size(0), heads, q.size(1), k.size(1), q.size(2) / heads, q.size(2)};
    Tensor out = make_empty_result({s.B, s.H, s.Tq, s.Tk}, "head_scores", {q, k});
    const float *Q = q.data(), *K = k.data();
    float* S = out.data();
    for_each_head(s, [=](int b, int h) {
        float* kt = scratch(std::size_t(s.d) * s.Tk);
        transpose_head(K + s.k_at(b, h), s.Tk, s.d, s.E, kt);
        float* block = S + s.s_at(b, h);
        gemm(false, false, s.Tq, s.Tk, s.d, 1.0f, Q + s.q_at(b, h), s.E, kt, s.Tk, 0.0f, block, s.Tk);
        // S = (Q_h·K_hᵀ)·scale, rounded as mul(matmul(q, kᵀ), scale) does. (gemm's alpha would
        // scale Q_h while packing it: (scale·Q_h)·K_hᵀ, a different last bit.)
        for (int i = 0; i < s.Tq * s.Tk; ++i) block[i] *= scale;
    });
    if (out.requires_grad())
        set_backward(out, [q, k, s, scale](const Node& node) {
            const float *Q = q.data(), *K = k.data();
            // G' = scale·G once for both products (rounded as mul's backward rounds it)
            FloatBuffer scaled(node.grad.size());
            for (std::size_t i = 0; i < scaled.size(); ++i) scaled[i] = node.grad[i] * scale;
            const float* G = scaled.data();
            // dL/dQ_h = G'·K_h  (= G'·(K_hᵀ)ᵀ, read from the transposed block)
            if (q.requires_grad()) {
                bool fresh;
                float* dQ = grad_data_fresh(q, fresh);
                for_each_head(s, [=](int b, int h) {
                    float* kt = scratch(std::size_t(s.d) * s.Tk);
                    transpose_head(K + s.k_at(b, h), s.Tk, s.d, s.E, kt);
                    gemm(false, true, s.Tq, s.d, s.Tk, 1.0f, G + s.s_at(b, h), s.Tk, kt, s.Tk, fresh ? 0.0f : 1.0f,
                         dQ + s.q_at(b, h), s.E);
                });
            }
            // dL/dK_hᵀ = Q_hᵀ·G'  [d, Tk], added into K_h's rows transposed
            if (k.requires_grad()) {
                bool fresh;
                float* dK = grad_data_fresh(k, fresh);
                for_each_head(s, [=](int b, int h) {
                    float* dkt = scratch(std::size_t(s.d) * s.Tk);
                    gemm(true, false, s.d, s.Tk, s.Tq, 1.0f, Q + s.q_at(b, h), s.E, G + s.s_at(b, h), s.Tk, 0.0f, dkt,
                         s.Tk);
                    float* dk = dK + s.k_at(b, h);
                    for (int j = 0; j < s.Tk; ++j)
                        for (int c = 0; c < s.d; ++c) add_or_store(dk[std::size_t(j) * s.E + c], dkt[c * s.Tk + j], fresh);
                });
            }
        });
    return out;
}

Tensor head_context(const Tensor& weights, const Tensor& v) {
    check_defined("head_context", weights);
    check_defined("head_context", v);
    const bool ok = weights.dim() == 4 && v.dim() == 3 && weights.size(0) == v.size(0) && weights.size(3) == v.size(1) &&
                    weights.size(1) > 0 && v.size(2) % weights.size(1) == 0;
    if (!ok)
        throw std::invalid_argument("head_context: needs weights [B, H, Tq, Tk] and v [B, Tk, E] with E divisible by H, "
                                    "got " + shape_str(weights.shape()) + " and " + shape_str(v.shape()));
    const int H = weights.size(1);
    const Heads s{v.size(0), H, weights.size(2), v.size(1), v.size(2) / H, v.size(2)};
    Tensor out = make_empty_result({s.B, s.Tq, s.E}, "head_context", {weights, v});
    const float *P = weights.data(), *V = v.data();
    float* C = out.data();
    for_each_head(s, [=](int b, int h) {  // C_h = P·V_h, into columns h·d.. of the output
        gemm(false, false, s.Tq, s.d, s.Tk, 1.0f, P + s.s_at(b, h), s.Tk, V + s.k_at(b, h), s.E, 0.0f,
             C + s.q_at(b, h), s.E);
    });
    if (out.requires_grad())
        set_backward(out, [weights, v, s](const Node& node) {
            const float *P = weights.data(), *V = v.data(), *G = node.grad.data();
            if (weights.requires_grad()) {  // dL/dP = G_h·V_hᵀ
                bool fresh;
                float* dP = grad_data_fresh(weights, fresh);
                for_each_head(s, [=](int b, int h) {
                    gemm(false, true, s.Tq, s.Tk, s.d, 1.0f, G + s.q_at(b, h), s.E, V + s.k_at(b, h), s.E,
                         fresh ? 0.0f : 1.0f, dP + s.s_at(b, h), s.Tk);
                });
            }
            if (v.requires_grad()) {  // dL/dV_h = Pᵀ·G_h
                bool fresh;
                float* dV = grad_data_fresh(v, fresh);
                for_each_head(s, [=](int b, int h) {
                    gemm(true, false, s.Tk, s.d, s.Tq, 1.0f, P + s.s_at(b, h), s.Tk, G + s.q_at(b, h), s.E,
                         fresh ? 0.0f : 1.0f, dV + s.k_at(b, h), s.E);
                });
            }
        });
    return out;
}

}  // namespace tinyattn
