// transformer_bench.cpp — W4: a tiny pre-LN encoder–decoder Transformer, one training step.
//   src/tgt ids -> Embedding + sinusoidal positions -> nn::Transformer (causal decoder
//   self-attention) -> Linear(128, 256) head -> cross-entropy
#include "workloads.hpp"
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

}  // namespace bench
