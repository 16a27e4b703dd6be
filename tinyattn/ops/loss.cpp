// loss.cpp — cross-entropy, fused with its log-softmax.
//
// For one row of logits x with target class t:
//   loss = -log softmax(x)ₜ = log Σⱼ exp(xⱼ) - xₜ
// and the gradient is the famous "prediction minus truth":
//   dloss/dxⱼ = softmax(x)ⱼ - [j == t]
#include <algorithm>
#include <cmath>
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// L = (1/count) Σₙ -log softmax(xₙ)[tₙ] over rows whose target is not ignore_index.
// dL/dx[n, j] = dL/dL · (softmax(xₙ)ⱼ - [j == tₙ]) / count
Tensor cross_entropy(const Tensor& logits, const std::vector<int>& targets, int ignore_index) {
    check_defined("cross_entropy", logits);
    if (logits.dim() != 2)
        throw std::invalid_argument("cross_entropy: logits must be [N, C], got " + shape_str(logits.shape()));
    const int N = logits.size(0), C = logits.size(1);
    if (int(targets.size()) != N)
        throw std::invalid_argument("cross_entropy: " + std::to_string(targets.size()) + " targets for logits " +
                                    shape_str(logits.shape()));
    int count = 0;
    for (int t : targets) {
        if (t == ignore_index) continue;
        if (t < 0 || t >= C)
            throw std::out_of_range("cross_entropy: target " + std::to_string(t) + " out of range [0, " +
                                    std::to_string(C) + ") for logits " + shape_str(logits.shape()));
        ++count;
    }
    // One pass per row gives both the loss and the softmax rows that backward reuses:
    //   m = max x,  eⱼ = exp(xⱼ - m),  Z = Σⱼ eⱼ,  -log p(t) = m + log Z - xₜ,  pⱼ = eⱼ / Z
    // (-log p(t) from log-sum-exp is exact even when p(t) itself underflows to 0).
    auto probs = std::make_shared<FloatBuffer>(logits.numel());  // every row is written below
    Tensor out = make_result({}, "cross_entropy", {logits});
    std::vector<double> row_loss(size_t(N), 0.0);
    const float* logit = logits.data();
    parallel_for(size_t(N), size_t(C), [&](size_t first, size_t last) {  // rows are independent
        for (size_t n = first; n < last; ++n) {
            const float* x = logit + n * size_t(C);
            float* p = probs->data() + n * size_t(C);
            float m = x[0];
            for (int j = 1; j < C; ++j) m = std::max(m, x[j]);
#pragma omp simd  // the exps on their own: the double sum below would stop this loop vectorising
            for (int j = 0; j < C; ++j) p[j] = kernels::exp_shifted(x[j] - m);
            double z = 0.0;
            for (int j = 0; j < C; ++j) z += p[j];
            const float inv_z = float(1.0 / z);
            for (int j = 0; j < C; ++j) p[j] *= inv_z;
            if (targets[n] != ignore_index) row_loss[n] = double(m) + std::log(z) - double(x[targets[n]]);
        }
    });
    double total = 0.0;  // summed in row order, on one thread: the same bits for any thread count
    for (double l : row_loss) total += l;
    out.data()[0] = count > 0 ? float(total / count) : 0.0f;
    if (out.requires_grad() && count > 0)
        set_backward(out, [logits, targets, probs, ignore_index, N, C, count](const Node& node) {
            bool fresh;
            float* gx = grad_data_fresh(logits, fresh);
            const float scale = node.grad[0] / float(count);
            parallel_for(size_t(N), size_t(C), [&](size_t first, size_t last) {
                for (size_t n = first; n < last; ++n) {
                    const int t = targets[n];
                    float* g = gx + n * size_t(C);
                    if (t == ignore_index) {  // an ignored row (padding) gets no gradient
                        if (fresh) std::fill(g, g + C, 0.0f);
                        continue;
                    }
                    const float* p = probs->data() + n * size_t(C);
                    for (int j = 0; j < C; ++j) add_or_store(g[j], scale * (p[j] - (j == t ? 1.0f : 0.0f)), fresh);
                }
            });
        });
    return out;
}

}  // namespace tinyattn
