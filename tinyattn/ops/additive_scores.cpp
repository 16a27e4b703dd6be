// additive_scores.cpp — Bahdanau's score e[b, s] = vᵀ tanh(q[b] + k[b, s]): first as the chapter
// writes it (additive_scores_reference, composed of ordinary ops), then as one fused op.
//
// Read additive_scores_reference first: the query added to every key, tanh, the dot product
// with v. Composed, that makes [B, S, A] tensors for the sum, the tanh and the reshapes at every
// decoder step; fused, the tanh values are the only [B, S, A] buffer, kept for backward.
// test_fused_ops holds the two equal (values and gradients).
//   forward:   t[b,s,a] = tanh(q[b,a] + k[b,s,a]),   e[b,s] = Σ_a v[a]·t[b,s,a]
//   backward:  u = dL/de[b,s]·v[a]·(1 - t²)   (through the tanh)
//              dL/dq[b,a] = Σ_s u,   dL/dk[b,s,a] = u,   dL/dv[a] = Σ_{b,s} dL/de[b,s]·t[b,s,a]
#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// ---- the reference: e = vᵀ tanh(q + k), op by op ---------------------------------------------
Tensor additive_scores_reference(const Tensor& query, const Tensor& keys, const Tensor& v) {
    const int B = keys.size(0), S = keys.size(1), A = keys.size(2);
    const Tensor t = tanh(keys + reshape(query, {B, 1, A}));  // [B, S, A]: the query broadcast over the S keys
    const Tensor e = matmul(reshape(t, {B * S, A}), reshape(v, {A, 1}));  // [B·S, 1]: Σ_a t[b, s, a]·v[a]
    return reshape(e, {B, S});
}

// ---- the fused op ----------------------------------------------------------------------------
Tensor additive_scores(const Tensor& query, const Tensor& keys, const Tensor& v) {
    check_defined("additive_scores", query);
    check_defined("additive_scores", keys);
    check_defined("additive_scores", v);
    const bool ok = query.dim() == 2 && keys.dim() == 3 && keys.size(0) == query.size(0) &&
                    keys.size(2) == query.size(1) && v.numel() == size_t(query.size(1));
    if (!ok)
        throw std::invalid_argument("additive_scores: needs query [B, A], keys [B, S, A], v [A] or [1, A], got " +
                                    shape_str(query.shape()) + ", " + shape_str(keys.shape()) + ", " +
                                    shape_str(v.shape()));
    const size_t B = size_t(keys.size(0)), S = size_t(keys.size(1)), A = size_t(keys.size(2));
    Tensor out = make_empty_result({int(B), int(S)}, "additive_scores", {query, keys, v});
    FloatBuffer t(B * S * A);  // every element is written below: no zero-fill first
    const float *w = v.data(), *q_all = query.data(), *k_all = keys.data();
    float* e_all = out.data();
    parallel_for(B, S * A, [&](size_t first, size_t last) {  // batch rows are independent
        for (size_t b = first; b < last; ++b)
            for (size_t s = 0; s < S; ++s) {
                const float* q = q_all + b * A;
                const float* k = k_all + (b * S + s) * A;
                float* tt = t.data() + (b * S + s) * A;
#pragma omp simd
                for (size_t a = 0; a < A; ++a) tt[a] = q[a] + k[a];
                kernels::tanh_array(tt, tt, A);
                float e = 0.0f;
#pragma omp simd reduction(+ : e)
                for (size_t a = 0; a < A; ++a) e += w[a] * tt[a];
                e_all[b * S + s] = e;
            }
    });
    if (out.requires_grad())
        set_backward(out, [query, keys, v, t = std::move(t), B, S, A](const Node& node) {
            const float* w = v.data();
            float* gq = query.requires_grad() ? query.grad_data() : nullptr;
            bool fresh_k = false;  // every dL/dk[b, s, a] is written once: a fresh buffer is stored into
            float* gk = keys.requires_grad() ? grad_data_fresh(keys, fresh_k) : nullptr;
            float* gv = v.requires_grad() ? v.grad_data() : nullptr;
            const float* ge = node.grad.data();
            // dL/dq[b] and dL/dk[b, s] belong to one batch row: the threads share the rows.
            if (gq || gk)
                parallel_for(B, S * A, [&](size_t first, size_t last) {
                    std::vector<float> u(A);  // one (b, s) row of u, then added where it is wanted
                    for (size_t b = first; b < last; ++b)
                        for (size_t s = 0; s < S; ++s) {
                            const float g = ge[b * S + s];
                            const float* tt = t.data() + (b * S + s) * A;
#pragma omp simd
                            for (size_t a = 0; a < A; ++a) u[a] = g * w[a] * (1.0f - tt[a] * tt[a]);
                            if (gq)
#pragma omp simd
                                for (size_t a = 0; a < A; ++a) gq[b * A + a] += u[a];
                            if (gk)
#pragma omp simd
                                for (size_t a = 0; a < A; ++a) add_or_store(gk[(b * S + s) * A + a], u[a], fresh_k);
                        }
                });
            // dL/dv sums over every (b, s): one thread, in order.
            if (gv)
                for (size_t bs = 0; bs < B * S; ++bs) {
                    const float* tt = t.data() + bs * A;
#pragma omp simd
                    for (size_t a = 0; a < A; ++a) gv[a] += ge[bs] * tt[a];
                }
        });
    return out;
}

}  // namespace tinyattn
