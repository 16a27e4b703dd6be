// test_hard_attention.cpp — hard attention's sampling and the REINFORCE estimator (Xu et al. §4.1).
//
// The small case: scores θ [S], α = softmax(θ), a fixed reward r(s) for each position. The exact
// gradient of the expected reward, ∇_θ Σ_s α_s r(s), is computed by autograd; the estimator
// averages (r(s) − b)·∇log α_s over sampled s. Tolerances come from the sample count: the
// estimator's per-component standard deviation σ_j (computed exactly from α and r) over √N.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

namespace {

const std::vector<float> kScores = {0.3f, -0.5f, 1.2f, 0.0f, -1.0f};
const std::vector<float> kRewards = {1.0f, 3.0f, -2.0f, 0.5f, 2.0f};
constexpr int S = 5;

// REINFORCE on N samples at once: the batch holds N copies of α; returns dL/dθ of reinforce_loss,
// i.e. minus the estimate of ∇E[r]. `offset` is added to every reward.
std::vector<float> estimate(int N, float offset, float baseline, Rng& rng, std::vector<float>* rewards_out = nullptr) {
    Tensor theta = tensor(kScores, {1, S}).requires_grad_();
    const Tensor weights = softmax(add(zeros({N, S}), theta), 1);
    const nn::HardAttentionOutput h = nn::sample_attention(weights, zeros({N, S, 1}), rng);
    std::vector<float> rewards(size_t(N), 0.0f);
    for (int b = 0; b < N; ++b) rewards[size_t(b)] = kRewards[size_t(h.positions[size_t(b)])] + offset;
    nn::reinforce_loss(h.log_prob, rewards, baseline).backward();
    if (rewards_out) *rewards_out = rewards;
    return theta.grad().to_vector();
}

std::vector<float> alpha() {
    return softmax(tensor(kScores, {S}), 0).to_vector();
}

}  // namespace

TEST_CASE("REINFORCE: averaged over many samples it matches the exact gradient of the expected reward", "[hard]") {
    // Exact: −∇_θ Σ_s α_s r(s), by autograd through the softmax.
    Tensor theta = tensor(kScores, {S}).requires_grad_();
    neg(sum(mul(softmax(theta, 0), tensor(kRewards, {S})))).backward();
    const std::vector<float> exact = theta.grad().to_vector();

    const std::vector<float> a = alpha();
    const int N = 20000;
    Rng rng(11);
    const std::vector<float> est = estimate(N, 0.0f, 0.0f, rng);
    for (int j = 0; j < S; ++j) {
        // One sample's estimate of component j: X_j(s) = −r(s)·(1[s = j] − α_j). Its variance:
        double mean = 0.0, second = 0.0;
        for (int s = 0; s < S; ++s) {
            const double x = -kRewards[size_t(s)] * ((s == j ? 1.0 : 0.0) - a[size_t(j)]);
            mean += a[size_t(s)] * x;
            second += a[size_t(s)] * x * x;
        }
        const double sigma = std::sqrt(second - mean * mean);
        INFO("component " << j << ": estimate " << est[size_t(j)] << ", exact " << exact[size_t(j)] << ", σ/√N "
                          << sigma / std::sqrt(double(N)));
        REQUIRE(std::fabs(mean - exact[size_t(j)]) < 1e-5);                 // the estimator is unbiased
        REQUIRE(std::fabs(est[size_t(j)] - exact[size_t(j)]) < 4.0 * sigma / std::sqrt(double(N)));  // 4 σ/√N
    }
}

TEST_CASE("REINFORCE: the moving-average baseline measurably lowers the estimator's variance", "[hard]") {
    // Rewards far from 0 (offset 10), as log-likelihoods of a caption are: without a baseline
    // every draw pushes its own log α up, and only the small differences between draws carry signal.
    const int rounds = 300, batch = 8;
    auto variance = [&](bool with_baseline) {
        Rng rng(5);
        nn::ReinforceBaseline baseline;
        std::vector<double> sum(S, 0.0), sum_sq(S, 0.0);
        for (int k = 0; k < rounds; ++k) {
            std::vector<float> rewards;
            const std::vector<float> g = estimate(batch, 10.0f, with_baseline ? baseline.value : 0.0f, rng, &rewards);
            baseline.update(rewards);
            for (int j = 0; j < S; ++j) {
                sum[size_t(j)] += g[size_t(j)];
                sum_sq[size_t(j)] += double(g[size_t(j)]) * g[size_t(j)];
            }
        }
        double total = 0.0;  // trace of the covariance: Σ_j Var(ĝ_j)
        for (int j = 0; j < S; ++j) total += sum_sq[size_t(j)] / rounds - std::pow(sum[size_t(j)] / rounds, 2);
        return total;
    };
    const double without = variance(false), with = variance(true);
    INFO("variance without baseline " << without << ", with " << with);
    REQUIRE(with < 0.1 * without);
}

TEST_CASE("hard attention: evaluation reads the argmax, deterministically; sampling follows the seed", "[hard]") {
    Rng init(2);
    const Tensor weights = softmax(uniform({4, 6}, -2, 2, init), 1);
    const Tensor values = uniform({4, 6, 3}, -1, 1, init);
    const nn::HardAttentionOutput a = nn::argmax_attention(weights, values), b = nn::argmax_attention(weights, values);
    REQUIRE(a.positions == b.positions);
    REQUIRE(a.positions == argmax(weights, 1));
    REQUIRE(a.context.to_vector() == b.context.to_vector());
    for (int r = 0; r < 4; ++r) {
        const int s = a.positions[size_t(r)];
        for (int d = 0; d < 3; ++d) REQUIRE(a.context.at({r, d}) == values.at({r, s, d}));
        REQUIRE(a.log_prob.at({r}) == Approx(std::log(weights.at({r, s}))));
    }
    Rng r1(9), r2(9);
    REQUIRE(nn::sample_attention(weights, values, r1).positions == nn::sample_attention(weights, values, r2).positions);
    // A one-hot row is always read at its 1, never at a weight of 0.
    Rng r3(4);
    const Tensor one_hot = tensor({0, 0, 1, 0}, {1, 4});
    for (int k = 0; k < 100; ++k) REQUIRE(nn::sample_attention(one_hot, zeros({1, 4, 2}), r3).positions[0] == 2);
}

TEST_CASE("hard attention: entropy of uniform and one-hot rows; wrong shapes name the function", "[hard]") {
    const Tensor h = nn::attention_entropy(tensor({0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 1, 0}, {2, 4}));
    REQUIRE(h.at({0}) == Approx(std::log(4.0)));
    REQUIRE(h.at({1}) == Approx(0.0).margin(1e-6));
    REQUIRE_THROWS_WITH(nn::argmax_attention(zeros({2, 3}), zeros({2, 4, 5})),
                        "argmax_attention: needs weights [B, S] and values [B, S, Dv], got [2, 3], [2, 4, 5]");
    REQUIRE_THROWS_WITH(nn::reinforce_loss(zeros({3}), {1.0f}, 0.0f),
                        "reinforce_loss: needs log_prob [B] and B rewards, got [3] and 1");
}
