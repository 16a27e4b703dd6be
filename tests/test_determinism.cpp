// test_determinism.cpp — the same seed gives bit-identical losses, whatever the run and
// whatever the number of threads.
//
// Why it can hold exactly: all randomness comes from the project's Rng (no std::
// distributions, no time seeds), and every multi-threaded loop splits the *output* between the
// threads: gemm gives each chunk of C to one thread (each output element is summed over k by one
// thread in one fixed order, whichever thread takes the chunk), and the element-wise and row-wise
// loops (kernels/parallel.hpp) give each thread a range of elements or rows that it computes
// exactly as one thread would.
// Sums into one shared buffer (a bias gradient, dL/dv of the attention scores) stay on one
// thread. So 1 and 2 threads add the same floats in the same order; no tolerance is needed.
#include <catch2/catch.hpp>

#include <cstring>
#include <utility>
#include <omp.h>

#include "tiny_seq2seq.hpp"
#include "tinyattn/kernels/parallel.hpp"

using namespace tinyattn;

namespace {

std::vector<float> losses(uint64_t seed, int steps) {
    manual_seed(seed);  // dropout draws from global_rng()
    tiny_seq2seq::Run run(seed);
    std::vector<float> out;
    for (int s = 0; s < steps; ++s) out.push_back(run.train_step());
    return out;
}

// One vector of everything a run produced: the output's values, then each leaf's gradient.
std::vector<float> values_and_grads(const Tensor& out, std::initializer_list<Tensor> leaves) {
    std::vector<float> all = out.to_vector();
    for (const Tensor& t : leaves) {
        const std::vector<float> g = t.grad().to_vector();
        all.insert(all.end(), g.begin(), g.end());
    }
    return all;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// run() on one thread, then on two; the two results.
template <class Run>
std::pair<std::vector<float>, std::vector<float>> on_1_and_2_threads(Run run) {
    omp_set_num_threads(1);
    std::vector<float> one = run();
    omp_set_num_threads(2);
    return {std::move(one), run()};
}

// Restores the OpenMP thread count when a test ends, pass or fail, and keeps the busy-machine
// back-off (kernels/parallel.hpp) off meanwhile: under `ctest -j2` the machine is busy, and the
// 2-thread runs must really take the parallel paths.
struct ThreadCount {
    int saved = omp_get_max_threads();
    ThreadCount() { set_busy_backoff(false); }
    ~ThreadCount() {
        omp_set_num_threads(saved);
        set_busy_backoff(true);
    }
};

}  // namespace

TEST_CASE("determinism: the same seed gives a bit-identical loss sequence twice in one process", "[determinism]") {
    const std::vector<float> a = losses(5, 60), b = losses(5, 60);
    REQUIRE(bit_identical(a, b));
    CHECK(a.back() < a.front());  // it does train (the sequence is not trivially constant)
    const std::vector<float> c = losses(6, 60);
    CHECK_FALSE(bit_identical(a, c));  // and the seed matters
}

TEST_CASE("determinism: 1 and 2 OpenMP threads give bit-identical model training", "[determinism]") {
    ThreadCount restore;
    const auto [one, two] = on_1_and_2_threads([] { return losses(9, 40); });
    REQUIRE(bit_identical(one, two));
}

TEST_CASE("determinism: a gemm large enough to run in parallel is bit-identical with 1 and 2 threads",
          "[determinism]") {
    // The tiny model's products are below the gemm's parallel threshold, so this checks the
    // parallel path itself: forward and both backward products (A·B, G·Bᵀ, Aᵀ·G).
    ThreadCount restore;
    const auto [one, two] = on_1_and_2_threads([] {
        Rng rng(3);
        Tensor x = randn({192, 320}, rng).requires_grad_();
        Tensor w = randn({256, 320}, rng).requires_grad_();
        Tensor b = randn({256}, rng).requires_grad_();
        Tensor y = linear(x, w, b);
        y.backward(randn({192, 256}, rng));
        return values_and_grads(y, {x, w, b});
    });
    REQUIRE(bit_identical(one, two));
}

TEST_CASE("determinism: big tensors take every op's parallel loops and match one thread bit for bit",
          "[determinism]") {
    // Tensors of 30k-200k elements, above every parallel threshold: layer norm and softmax rows,
    // activations, broadcasting (and the stretched operand's summed gradient), reshape, permute,
    // select, concat, additive scores, the LSTM cell, cross-entropy, per-head batched products,
    // Linear. The backward runs twice, so both the "fresh gradient buffer" and the "accumulate"
    // paths run.
    ThreadCount restore;
    const auto [one, two] = on_1_and_2_threads([] {
        Rng rng(11);
        Tensor x = randn({384, 256}, rng).requires_grad_();
        Tensor gamma = randn({256}, rng).requires_grad_(), beta = randn({256}, rng).requires_grad_();
        Tensor w = randn({200, 256}, rng).requires_grad_(), bias = randn({200}, rng).requires_grad_();
        Tensor q = randn({128, 128}, rng).requires_grad_(), keys = randn({128, 12, 128}, rng).requires_grad_();
        Tensor v = randn({128}, rng).requires_grad_();
        Tensor a = randn({64, 12, 32}, rng).requires_grad_(), b = randn({64, 32, 12}, rng).requires_grad_();
        Tensor gx = randn({128, 512}, rng).requires_grad_(), gh = randn({128, 512}, rng).requires_grad_();
        Tensor c0 = randn({128, 128}, rng).requires_grad_();
        std::vector<int> targets(384);
        for (int& t : targets) t = rng.randint(0, 199);

        Tensor h = layer_norm(x, gamma, beta);
        h = relu(h) + tanh(h) * sigmoid(h) + beta;                       // beta is stretched over rows
        const Tensor y = linear(h, w, bias);                               // [384, 200]
        const Tensor p = permute(reshape(y, {32, 12, 200}), {1, 0, 2});    // [12, 32, 200]
        const Tensor rows = reshape(p, {384, 200});
        const Tensor c = concat({softmax(rows, 1), log_softmax(rows, 1), select(p, 0, 5)}, 0);
        const LSTMCellOutput cell = lstm_cell(gx, gh, c0);
        const Tensor loss = sum(c * c) * 1e-3f + sum(additive_scores(q, keys, v)) * 1e-3f +
                            cross_entropy(y, targets) + sum(matmul(a, b)) * 1e-3f + sum(cell.h * cell.c) * 1e-3f;
        loss.backward();
        loss.backward();
        return values_and_grads(loss, {x, gamma, beta, w, bias, q, keys, v, a, b, gx, gh, c0});
    });
    REQUIRE(one.size() > 200000);
    REQUIRE(bit_identical(one, two));
}
