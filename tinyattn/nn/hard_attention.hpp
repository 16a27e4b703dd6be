// hard_attention.hpp — stochastic ("hard") attention and the REINFORCE estimator that trains it
// (Xu et al. 2015, "Show, Attend and Tell", §4.1; Williams 1992 for REINFORCE).
//
// Soft attention reads the expected value of the regions, c = Σ_i α_i a_i: smooth in α, so
// backpropagation reaches the scores. Hard attention reads ONE region, s ~ Categorical(α), c = a_s:
// the choice s is a random draw, and no gradient flows through a draw. What we can differentiate
// is the probability of the draw: for any reward r(s),
//
//   ∇ E_s[r(s)] = Σ_s r(s) ∇α_s = E_s[ r(s) ∇log α_s ]                        (score function)
//
// so averaging r(s)·∇log α_s over sampled s is an unbiased estimate of the gradient. It is noisy;
// Xu et al. subtract a moving average b of past rewards (E[b ∇log α_s] = b ∇Σ_s α_s = 0, so the
// estimate stays unbiased while its variance drops) and add an entropy bonus λ_e·∇H[α] that keeps
// the model exploring instead of locking onto one region early. At evaluation the most probable
// region (argmax α) is read: deterministic.
#pragma once
#include <vector>

#include "tinyattn/rng.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn::nn {

struct HardAttentionOutput {
    Tensor context;              // [B, Dv]: values[b, s_b, :], differentiable w.r.t. the values
    Tensor log_prob;             // [B]: log α[b, s_b], differentiable w.r.t. the weights
    std::vector<int> positions;  // s_b, the region each row read
};

// Draws s_b ~ Categorical(weights[b, :]) with `rng` for weights [B, S] (rows summing to 1) and
// values [B, S, Dv]. The same rng state gives the same draws.
HardAttentionOutput sample_attention(const Tensor& weights, const Tensor& values, Rng& rng);

// Evaluation: s_b = argmax_s weights[b, s] (the first one on a tie).
HardAttentionOutput argmax_attention(const Tensor& weights, const Tensor& values);

// H[b] = −Σ_s α_s log α_s for weights [B, S] -> [B]: the entropy bonus (a weight of 0 adds 0).
Tensor attention_entropy(const Tensor& weights);

// The moving-average baseline b ← decay·b + (1 − decay)·(mean reward of the batch); the first
// batch sets b to its mean. Read `value` BEFORE update() for the batch it is used on.
struct ReinforceBaseline {
    float decay = 0.9f;
    float value = 0.0f;
    bool started = false;
    void update(const std::vector<float>& rewards);
};

// The surrogate loss whose gradient is minus the REINFORCE estimate for a reward to maximise:
//   L = −(1/B) Σ_b (r_b − baseline) · log_prob_b      (r and baseline are constants)
// log_prob [B] is the log-probability of everything sampled for row b (e.g. a sum over steps).
Tensor reinforce_loss(const Tensor& log_prob, const std::vector<float>& rewards, float baseline);

}  // namespace tinyattn::nn
