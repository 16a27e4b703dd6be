// transformer_bench.cpp — W4: a tiny pre-LN encoder–decoder Transformer, one training step.
//   src/tgt ids -> Embedding + sinusoidal positions -> nn::Transformer (causal decoder
//   self-attention) -> Linear(128, 256) head -> cross-entropy
// W8: the same model decoding greedily, one token at a time, with the decoder's KV cache.
#include <algorithm>
#include <cstdio>

#include "workloads.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/positional_encoding.hpp"
#include "tinyattn/nn/transformer.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"

using namespace tinyattn;

namespace bench {

namespace {
constexpr int kVocab = 256, kModel = 128, kHeads = 4, kFF = 512, kLayers = 2, kBatch = 32, kLen = 12;
constexpr size_t kParams = 1024768;
constexpr int kBos = 1;

class TransformerModel : public nn::Module {
public:
    explicit TransformerModel(Rng& rng)
        : src_emb(kVocab, kModel, -1, rng),
          tgt_emb(kVocab, kModel, -1, rng),
          pos(kModel, 64),
          transformer(nn::TransformerOptions(kModel, kHeads)
                          .num_encoder_layers(kLayers)
                          .num_decoder_layers(kLayers)
                          .dim_feedforward(kFF)
                          .dropout(0.0f)
                          .norm_first(true),
                      rng),
          head(kModel, kVocab, true, rng) {
        register_module("src_emb", src_emb);
        register_module("tgt_emb", tgt_emb);
        register_module("transformer", transformer);
        register_module("head", head);
    }
    Tensor loss(const std::vector<int>& src, const std::vector<int>& tgt_in, const std::vector<int>& targets,
                const Tensor& causal) const {
        const Tensor s = pos.forward(src_emb.forward(src, {kBatch, kLen}));
        const Tensor t = pos.forward(tgt_emb.forward(tgt_in, {kBatch, kLen}));
        const Tensor y = transformer.forward(s, t, /*src_mask=*/Tensor(), /*tgt_mask=*/causal).output;  // [B, T, d]
        return cross_entropy(reshape(head.forward(y), {kBatch * kLen, kVocab}), targets);
    }
    nn::Embedding src_emb, tgt_emb;
    nn::PositionalEncoding pos;
    nn::Transformer transformer;
    nn::Linear head;
};
}  // namespace

void run_w4(const Options& opt) {
    Rng rng(1234);
    TransformerModel model(rng);
    check_params("W4", model.parameter_count(), kParams);
    const std::vector<int> src = random_ids(rng, kBatch * kLen, kVocab);
    const std::vector<int> tgt = random_ids(rng, kBatch * kLen, kVocab);
    std::vector<int> tgt_in(tgt.size());
    for (int b = 0; b < kBatch; ++b)
        for (int t = 0; t < kLen; ++t) tgt_in[size_t(b * kLen + t)] = t == 0 ? 1 : tgt[size_t(b * kLen + t - 1)];
    const Tensor causal = nn::causal_mask(kLen);
    optim::Adam adam(model.parameters(), 1e-3);
    const Timing t = time_steps(
        [&] {
            adam.zero_grad();
            model.loss(src, tgt_in, tgt, causal).backward();
            adam.step();
        },
        opt);
    print_step_json("W4", opt, t, model.parameter_count());
}

// W8: batch 1, src_len 12, greedy decode of 12 tokens (no early stop), no graph. The encoder runs
// once; each token runs the decoder on ONE new position, its self-attention reading the earlier
// positions' keys and values from the cache (nn::TransformerDecoder::forward_step).
void run_w8(const Options& opt) {
    Rng rng(1234);
    TransformerModel model(rng);
    check_params("W8", model.parameter_count(), kParams);
    model.eval();
    const std::vector<int> src = random_ids(rng, kLen, kVocab);
    std::vector<int> decoded;
    const Timing t = time_steps(
        [&] {
            NoGrad no_grad;
            decoded.clear();
            const Tensor memory = model.transformer.encoder.forward(model.pos.forward(model.src_emb.forward(src, {1, kLen}))).output;
            std::vector<nn::DecoderLayerCache> cache;
            int prev = kBos;
            for (int step = 0; step < kLen; ++step) {
                // the new token's embedding plus the sinusoid of ITS position, step
                const Tensor x = add(model.tgt_emb.forward({prev}, {1, 1}), narrow(model.pos.pe, 0, step, 1));
                const Tensor y = model.transformer.decoder.forward_step(x, memory, Tensor(), cache).output;
                prev = argmax(reshape(model.head.forward(y), {1, kVocab}), 1)[0];
                decoded.push_back(prev);
            }
        },
        Options{opt.threads, std::max(opt.warmup, 20), std::max(opt.steps, 200)});
    std::printf("{\"workload\":\"W8\",\"threads\":%d,\"us_per_sentence_median\":%.1f,\"us_min\":%.1f,\"us_max\":%.1f,"
                "\"sentences\":%zu,\"params\":%zu,\"peak_rss_mb\":%.1f}\n",
                opt.threads, 1000.0 * t.median(), 1000.0 * t.min(), 1000.0 * t.max(), t.ms.size(),
                model.parameter_count(), peak_rss_mb());
}

}  // namespace bench
