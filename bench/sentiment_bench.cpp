// sentiment_bench.cpp — W3: Embedding -> LSTM -> attention pooling -> Linear, one training step.
//   a_j = softmax_j(w2ᵀ tanh(W1 h_j)),  pooled = Σ_j a_j h_j,  logits = Linear(pooled)
#include "workloads.hpp"
#include "tinyattn/nn/attention_pooling.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"

using namespace tinyattn;

namespace bench {

namespace {
constexpr int kVocab = 5000, kEmb = 64, kHidden = 128, kBatch = 64, kLen = 32, kClasses = 2;
constexpr size_t kParams = 427906;

class SentimentModel : public nn::Module {
public:
    explicit SentimentModel(Rng& rng)
        : emb(kVocab, kEmb, -1, rng),
          rnn(kEmb, kHidden, 1, true, true, 0.0f, false, rng),
          pool(kHidden, 64, 1, true, rng),  // W1: Linear(128, 64) with bias, w2: Linear(64, 1) without
          head(kHidden, kClasses, true, rng) {
        register_module("emb", emb);
        register_module("rnn", rnn);
        register_module("pool", pool);
        register_module("head", head);
    }
    Tensor loss(const std::vector<int>& ids, const std::vector<int>& labels) const {
        const Tensor H = rnn.forward(emb.forward(ids, {kBatch, kLen})).output;  // [B, T, H]
        const Tensor pooled = reshape(pool.forward(H).context, {kBatch, kHidden});
        return cross_entropy(head.forward(pooled), labels);
    }
    nn::Embedding emb;
    nn::LSTM rnn;
    nn::AttentionPooling pool;
    nn::Linear head;
};
}  // namespace

void run_w3(const Options& opt) {
    Rng rng(1234);
    SentimentModel model(rng);
    check_params("W3", model.parameter_count(), kParams);
    const std::vector<int> ids = random_ids(rng, kBatch * kLen, kVocab);
    std::vector<int> labels(kBatch);
    for (int& y : labels) y = rng.randint(0, kClasses);
    optim::Adam adam(model.parameters(), 1e-3);
    const Timing t = time_steps(
        [&] {
            adam.zero_grad();
            model.loss(ids, labels).backward();
            adam.step();
        },
        opt);
    print_step_json("W3", opt, t, model.parameter_count());
}

}  // namespace bench
