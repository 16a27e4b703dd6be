// seq2seq_bench.cpp — W1 / W2 (training step of the Bahdanau seq2seq) and W6 (greedy decode).
//
// The model is written out here from nn modules, the way a learner would write it in
// PyTorch (bench/torch_reference.py has the same model line for line):
//   encoder:  Embedding -> LSTM, keeping every h_j
//   decoder:  s_0, c_0 = encoder final (h, c); at step t
//             ctx_t = AdditiveAttention(s_{t-1}, h_1..h_S)
//             s_t, c_t = LSTMCell([emb(y_{t-1}); ctx_t], (s_{t-1}, c_{t-1}))
//             logits_t = Linear([s_t; ctx_t])
#include <algorithm>

#include "workloads.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/nn/additive_attention.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"

using namespace tinyattn;

namespace bench {

namespace {

struct Config {
    int vocab, emb, hidden, batch, src_len, tgt_len;
    size_t params;  // PyTorch's count for the same model
};

const Config kW1{256, 64, 128, 32, 12, 12, 395776};
const Config kW2{2000, 256, 512, 64, 20, 20, 7801808};
constexpr int kBos = 1;

class Seq2SeqModel : public nn::Module {
public:
    Seq2SeqModel(const Config& c, Rng& rng)
        : cfg(c),
          src_emb(c.vocab, c.emb, -1, rng),
          encoder(c.emb, c.hidden, 1, true, true, 0.0f, false, rng),
          tgt_emb(c.vocab, c.emb, -1, rng),
          attention(c.hidden, c.hidden, c.hidden, rng),
          cell(c.emb + c.hidden, c.hidden, true, rng),
          out(2 * c.hidden, c.vocab, true, rng) {
        register_module("src_emb", src_emb);
        register_module("encoder", encoder);
        register_module("tgt_emb", tgt_emb);
        register_module("attention", attention);
        register_module("cell", cell);
        register_module("out", out);
    }

    struct Memory {
        Tensor states, keys;  // h_1..h_S [B, S, H] and W_k h_j [B, S, H]
        nn::LSTMState state;  // decoder state (s, c), each [B, H]
    };

    Memory encode(const std::vector<int>& src, int B) const {
        const nn::LSTMOutput enc = encoder.forward(src_emb.forward(src, {B, cfg.src_len}));  // batch_first
        Memory m;
        m.states = enc.output;
        m.keys = attention.precompute_keys(m.states);
        m.state = {reshape(enc.final.h, {B, cfg.hidden}), reshape(enc.final.c, {B, cfg.hidden})};
        return m;
    }

    // One decoder step from the embedded previous token [B, E]; returns [s_t; ctx_t] [B, 2H].
    Tensor decode_step(const Tensor& emb_prev, Memory& m) const {
        const Tensor ctx = attention.forward_precomputed(m.state.h, m.keys, m.states).context;
        m.state = cell.forward(concat({emb_prev, ctx}, 1), m.state);
        return concat({m.state.h, ctx}, 1);
    }

    // Teacher-forced mean cross-entropy. src, tgt: B×S and B×T ids row-major.
    Tensor loss(const std::vector<int>& src, const std::vector<int>& tgt, int B) const {
        Memory m = encode(src, B);
        const int T = cfg.tgt_len;
        std::vector<int> inputs(tgt.size()), targets(tgt.size());  // y_{t-1} (y_0 = BOS) and y_t
        for (int b = 0; b < B; ++b)
            for (int t = 0; t < T; ++t) {
                inputs[size_t(b * T + t)] = t == 0 ? kBos : tgt[size_t(b * T + t - 1)];
                targets[size_t(b * T + t)] = tgt[size_t(b * T + t)];
            }
        const Tensor emb = tgt_emb.forward(inputs, {B, T});  // [B, T, E]
        std::vector<Tensor> outputs;
        for (int t = 0; t < T; ++t) outputs.push_back(decode_step(select(emb, 1, t), m));
        const Tensor logits = out.forward(stack(outputs, 1));  // [B, T, V]
        return cross_entropy(reshape(logits, {B * T, cfg.vocab}), targets);
    }

    Config cfg;
    nn::Embedding src_emb;
    nn::LSTM encoder;
    nn::Embedding tgt_emb;
    nn::AdditiveAttention attention;
    nn::LSTMCell cell;
    nn::Linear out;
};

}  // namespace

void run_w1_w2(const std::string& workload, const Options& opt) {
    const Config& c = workload == "W1" ? kW1 : kW2;
    Rng rng(1234);
    Seq2SeqModel model(c, rng);
    check_params(workload, model.parameter_count(), c.params);
    const std::vector<int> src = random_ids(rng, c.batch * c.src_len, c.vocab);
    const std::vector<int> tgt = random_ids(rng, c.batch * c.tgt_len, c.vocab);
    optim::Adam adam(model.parameters(), 1e-3);
    const Timing t = time_steps(
        [&] {
            adam.zero_grad();
            model.loss(src, tgt, c.batch).backward();
            adam.step();
        },
        opt);
    print_step_json(workload, opt, t, model.parameter_count());
}

// W6: batch 1, greedy decode of tgt_len tokens (no early stop), no graph.
void run_w6(const Options& opt) {
    const Config& c = kW1;
    Rng rng(1234);
    Seq2SeqModel model(c, rng);
    model.eval();
    const std::vector<int> src = random_ids(rng, c.src_len, c.vocab);
    std::vector<int> decoded;
    const Timing t = time_steps(
        [&] {
            NoGrad no_grad;
            decoded.clear();
            Seq2SeqModel::Memory m = model.encode(src, 1);
            int prev = kBos;
            for (int step = 0; step < c.tgt_len; ++step) {
                const Tensor logits = model.out.forward(model.decode_step(model.tgt_emb.forward({prev}, {1}), m));
                prev = argmax(logits, 1)[0];
                decoded.push_back(prev);
            }
        },
        Options{opt.threads, std::max(opt.warmup, 20), std::max(opt.steps, 200)});
    std::printf("{\"workload\":\"W6\",\"threads\":%d,\"us_per_sentence_median\":%.1f,\"us_min\":%.1f,\"us_max\":%.1f,"
                "\"sentences\":%zu,\"params\":%zu,\"peak_rss_mb\":%.1f}\n",
                opt.threads, 1000.0 * t.median(), 1000.0 * t.min(), 1000.0 * t.max(), t.ms.size(),
                model.parameter_count(), peak_rss_mb());
}

}  // namespace bench
