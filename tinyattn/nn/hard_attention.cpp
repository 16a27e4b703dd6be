// hard_attention.cpp — sampling one region, reading it, and the REINFORCE surrogate loss.
#include "tinyattn/nn/hard_attention.hpp"

#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

namespace {
void check_shapes(const char* who, const Tensor& weights, const Tensor& values) {
    check_defined(who, weights);
    check_defined(who, values);
    if (weights.dim() != 2 || values.dim() != 3 || values.size(0) != weights.size(0) ||
        values.size(1) != weights.size(1))
        throw std::invalid_argument(std::string(who) + ": needs weights [B, S] and values [B, S, Dv], got " +
                                    shape_str(weights.shape()) + ", " + shape_str(values.shape()));
}

// values[b, s_b, :] and log weights[b, s_b], both through differentiable ops: a row of
// values viewed as [B·S, Dv] and an element of weights viewed as [B·S].
HardAttentionOutput read_positions(const Tensor& weights, const Tensor& values, std::vector<int> positions) {
    const int B = weights.size(0), S = weights.size(1);
    std::vector<int> flat(size_t(B), 0);
    for (int b = 0; b < B; ++b) flat[size_t(b)] = b * S + positions[size_t(b)];
    const Tensor context = index_select(reshape(values, {B * S, values.size(2)}), 0, flat);
    const Tensor log_prob = log(index_select(reshape(weights, {B * S}), 0, flat));
    return {context, log_prob, std::move(positions)};
}
}  // namespace

HardAttentionOutput sample_attention(const Tensor& weights, const Tensor& values, Rng& rng) {
    check_shapes("sample_attention", weights, values);
    const int B = weights.size(0), S = weights.size(1);
    std::vector<int> positions(static_cast<size_t>(B), 0);
    for (int b = 0; b < B; ++b) {
        // Inverse CDF: the first s whose running sum of α passes u ~ U[0, 1).
        const float* alpha = weights.data() + size_t(b) * S;
        const float u = rng.uniform();
        float cumulative = 0.0f;
        int s = 0;
        while (s < S - 1 && (cumulative += alpha[s]) <= u) ++s;
        while (alpha[s] == 0.0f && s > 0) --s;  // rounding past the end never picks a weight of 0
        positions[size_t(b)] = s;
    }
    return read_positions(weights, values, std::move(positions));
}

HardAttentionOutput argmax_attention(const Tensor& weights, const Tensor& values) {
    check_shapes("argmax_attention", weights, values);
    return read_positions(weights, values, argmax(weights, 1));
}

Tensor attention_entropy(const Tensor& weights) {
    // −Σ α log α, with log(α + 1e-12) so that α = 0 contributes 0·log(1e-12) = 0, not 0·(−∞) = NaN.
    return neg(sum(mul(weights, log(add(weights, 1e-12f))), 1));
}

void ReinforceBaseline::update(const std::vector<float>& rewards) {
    if (rewards.empty()) return;
    double mean = 0.0;
    for (float r : rewards) mean += r;
    mean /= double(rewards.size());
    value = started ? decay * value + (1.0f - decay) * float(mean) : float(mean);
    started = true;
}

Tensor reinforce_loss(const Tensor& log_prob, const std::vector<float>& rewards, float baseline) {
    check_defined("reinforce_loss", log_prob);
    if (log_prob.dim() != 1 || size_t(log_prob.size(0)) != rewards.size())
        throw std::invalid_argument("reinforce_loss: needs log_prob [B] and B rewards, got " +
                                    shape_str(log_prob.shape()) + " and " + std::to_string(rewards.size()));
    std::vector<float> advantage(rewards.size());
    for (size_t b = 0; b < rewards.size(); ++b) advantage[b] = rewards[b] - baseline;
    // ∇L = −(1/B) Σ_b (r_b − baseline) ∇log p_b
    return neg(mean(mul(log_prob, tensor(advantage, {int(rewards.size())}))));
}

}  // namespace tinyattn::nn
