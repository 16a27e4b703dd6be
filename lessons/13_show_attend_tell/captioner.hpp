// captioner.hpp — lesson 13's model, in full: the convolutional encoder, the decoder step that
// looks at the image and writes one word (pooled, soft or hard attention), and the training loss
// of a batch (cross-entropy, the doubly stochastic penalty, REINFORCE). main.cpp trains and scores
// it; bench/captioner_bench.cpp times one training step of the soft model (W7).
#pragma once
#include <string>
#include <vector>

#include "tinyattn/tasks/captioning.hpp"
#include "tinyattn/tinyattn.hpp"

namespace lesson13 {

using namespace tinyattn;

constexpr int kFeatures = 64;   // D: one region vector
constexpr int kGrid = 8;        // the encoder's 8 × 8 grid of regions (each 4 × 4 pixels)
constexpr int kRegions = kGrid * kGrid;
constexpr int kEmbed = 32, kHidden = 128, kAttention = 64;
constexpr float kPenalty = 0.0003f;      // λ of the doubly stochastic penalty (Xu et al. eq. 14); small: see the chapter, §4
constexpr float kEntropyBonus = 0.01f;   // λ_e of hard attention (Xu et al. §4.1)
constexpr float kExpectedContext = 0.5f; // hard: how often a batch reads Σ α_i a_i instead (Xu et al. §4.1)

enum class Look { pooled, soft, hard };
inline const char* name_of(Look k) { return k == Look::pooled ? "pooled" : k == Look::soft ? "soft" : "hard"; }

// ---- the encoder: 3 × 3, 5 × 5 and 1 × 1 convolutions, two 2 × 2 max-pools -> an 8 × 8 grid of regions ----
// Each region sees a 14-pixel window: a whole small object, and not its neighbour's outline (the chapter, §2).
struct ConvEncoder : nn::Module {
    nn::Conv2d conv1{3, 16, 3, 1, 1}, conv2{16, 32, 5, 1, 2}, conv3{32, kFeatures, 1, 1, 0};
    Tensor position;  // [64, D]: a learned vector per region: WHERE it is (the convolutions say WHAT)
    ConvEncoder() {
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_module("conv3", conv3);
        position = mul(randn({kRegions, kFeatures}), 0.1f);
        register_parameter("position", position);
    }
    // The annotation vectors a_i = [what_i; where_i] [B, 64, 2D]: the convolutions' features of
    // region i, and its position vector.
    Tensor forward(const Tensor& images) const {               // [B, 3, 32, 32]
        Tensor x = max_pool2d(relu(conv1.forward(images)), 2);  // [B, 16, 16, 16]
        x = max_pool2d(relu(conv2.forward(x)), 2);              // [B, 32, 8, 8]   (5 × 5, padding 2)
        x = relu(conv3.forward(x));                             // [B, D, 8, 8]    (1 × 1: per region)
        x = transpose(reshape(x, {x.size(0), kFeatures, kRegions}), 1, 2);  // [B, 64, D]: what_i, one row per region
        return concat({x, add(zeros_like(x), position)}, 2);                 // [B, 64, 2D]
    }
};

// ---- the captioner: encoder, then an LSTM that reads where it looked and writes what it sees, word by word ----
struct Captioner : nn::Module {
    Look look;
    ConvEncoder encoder;
    nn::Embedding embed;
    nn::Linear whole_image{kRegions * kFeatures, kFeatures};  // pooled: the grid of what_i flattened into one vector
    nn::AdditiveAttention attention{kHidden, 2 * kFeatures, kAttention};  // scores what AND where
    nn::Linear init_h{kFeatures, kHidden}, init_c{kFeatures, kHidden};
    nn::LSTMCell cell{kEmbed + kFeatures, kHidden};
    nn::Linear out;
    Captioner(Look k, int vocab) : look(k), embed(vocab, kEmbed), out(kHidden + kFeatures, vocab) {
        register_module("encoder", encoder);
        register_module("embed", embed);
        if (look == Look::pooled) register_module("whole_image", whole_image);
        else register_module("attention", attention);
        register_module("init_h", init_h);
        register_module("init_c", init_c);
        register_module("cell", cell);
        register_module("out", out);
    }
};

// What one image batch gives every decoder step.
struct Encoded {
    Tensor regions;  // a_i = [what_i; where_i] [B, 64, 2D]
    Tensor keys;     // W_a a_i [B, 64, A], computed once (the attention's key projection)
    Tensor image;    // pooled: the one image vector [B, D]
};

// The LSTM's first state from the image (Xu et al. §3.1.2: from the mean region's what).
inline Encoded encode(const Captioner& m, const Tensor& images, nn::LSTMState& state) {
    Encoded e;
    e.regions = m.encoder.forward(images);
    const int B = e.regions.size(0);
    const Tensor what = narrow(e.regions, 2, 0, kFeatures);  // [B, 64, D]
    Tensor summary;
    if (m.look == Look::pooled) {
        e.image = tanh(m.whole_image.forward(reshape(what, {B, kRegions * kFeatures})));
        summary = e.image;
    } else {
        e.keys = m.attention.precompute_keys(e.regions);
        summary = mean(what, 1);
    }
    state = {tanh(m.init_h.forward(summary)), tanh(m.init_c.forward(summary))};
    return e;
}

struct Step {
    Tensor logits;     // [B, V]: scores of the next word
    Tensor alpha;      // [B, 64]: where it looked (undefined for pooled)
    Tensor log_prob;   // [B]: hard attention, log α of the region it read
    std::vector<int> where;
};

// ONE decoder step, the heart of the lesson: look at the image, then write one word.
// `sample`: hard attention draws its region (training); otherwise it reads the argmax (evaluation).
inline Step decoder_step(const Captioner& m, const Encoded& e, const Tensor& word, nn::LSTMState& state, bool sample,
                  bool expected, Rng& rng) {
    Step s;
    Tensor what, where;  // z_t = [what; where] [B, 2D]: what the decoder sees of the image at this word, and where
    if (m.look == Look::pooled) {
        what = where = e.image;  // the same vector at every word: nowhere to look
    } else {
        // 1. a score per region from the decoder's state: e_ti = vᵀ tanh(W_h h_{t-1} + W_a a_i)
        const Tensor scores = additive_scores(m.attention.W_q.forward(state.h), e.keys, m.attention.v.weight);
        // 2. α_t = softmax over the 64 regions
        s.alpha = softmax(scores, 1);
        Tensor context;
        if (m.look == Look::soft || expected) {
            // 3 (soft). the expected region: z_t = Σ_i α_ti a_i
            context = nn::weighted_sum(s.alpha, e.regions);
        } else {
            // 3 (hard). one region: s_t ~ Categorical(α_t), z_t = a_{s_t}; argmax when evaluating
            const nn::HardAttentionOutput h =
                sample ? nn::sample_attention(s.alpha, e.regions, rng) : nn::argmax_attention(s.alpha, e.regions);
            context = h.context;
            s.log_prob = h.log_prob;
            s.where = h.positions;
        }
        what = narrow(context, 1, 0, kFeatures);
        where = narrow(context, 1, kFeatures, kFeatures);
    }
    // 4. the LSTM cell reads the previous word and WHERE it looked: gates = W [y_{t-1}; where_t] + U h_{t-1}.
    //    Not what it saw: an LSTM that read the object would write its colour and shape from memory.
    const Tensor x = concat({word, where}, 1);
    const LSTMCellOutput o = lstm_cell(linear(x, m.cell.weight_ih, m.cell.bias_ih),
                                       linear(state.h, m.cell.weight_hh, m.cell.bias_hh), state.c);
    state = {o.h, o.c};
    // 5. the next word from the new state and WHAT it sees
    s.logits = m.out.forward(concat({o.h, what}, 1));
    return s;
}

// The training loss of one batch, teacher forcing (the reference words are fed back in).
struct BatchLoss {
    Tensor loss;              // what backward() runs on
    float cross_entropy = 0;  // per word
};
inline BatchLoss batch_loss(const Captioner& m, const tasks::CaptionBatch& b, Rng& rng, nn::ReinforceBaseline& baseline) {
    nn::LSTMState state;
    const Encoded e = encode(m, b.images, state);
    const Tensor words = m.embed.forward(b.inputs, {b.batch, b.steps});  // [B, T, E]
    const bool expected = m.look == Look::hard && rng.uniform() < kExpectedContext;
    std::vector<Tensor> logits, alphas, log_probs, entropies;
    for (int t = 0; t < b.steps; ++t) {
        const Step s = decoder_step(m, e, select(words, 1, t), state, true, expected, rng);
        logits.push_back(s.logits);
        if (s.alpha.defined()) alphas.push_back(s.alpha);
        if (s.log_prob.defined()) log_probs.push_back(s.log_prob);
        if (m.look == Look::hard) entropies.push_back(nn::attention_entropy(s.alpha));
    }
    const Tensor all = reshape(stack(logits, 1), {b.batch * b.steps, -1});  // [B·T, V]
    const Tensor ce = cross_entropy(all, b.targets, data::Vocab::pad_id);
    BatchLoss out{ce, ce.item()};
    // mask[b, t] = 1 for the words of caption b (and its <eos>), 0 for padding; words[b] = their count
    std::vector<float> mask(b.targets.size()), words_of(size_t(b.batch), 0.0f);
    for (size_t i = 0; i < mask.size(); ++i) {
        mask[i] = b.targets[i] != data::Vocab::pad_id;
        words_of[i / size_t(b.steps)] += mask[i];
    }
    const Tensor mask_bt = tensor(mask, {b.batch, b.steps});
    if (m.look == Look::soft) {
        // Doubly stochastic attention: every region should be looked at about once over the caption,
        // λ Σ_i (1 − Σ_t α_ti)², averaged over the batch.
        const Tensor seen = sum(mul(stack(alphas, 1), unsqueeze(mask_bt, 2)), 1);  // Σ_t α_ti [B, 64]
        out.loss = add(out.loss, mul(sum(pow(rsub(1.0f, seen), 2.0f)), kPenalty / float(b.batch)));
    }
    if (m.look == Look::hard) {
        const Tensor per_word = div(mask_bt, unsqueeze(tensor(words_of, {b.batch}), 1));  // 1/n on each real word
        // Entropy bonus: subtract λ_e · the mean entropy of α, so spreading attention is rewarded early on.
        const Tensor entropy = sum(mul(stack(entropies, 1), per_word)) / float(b.batch);
        out.loss = sub(out.loss, mul(entropy, kEntropyBonus));
        if (!expected) {
            // REINFORCE: the reward of caption b is its mean word log-likelihood log p(y | regions read),
            // a constant; the log-probability of its draws is the mean of log α_t[s_t] over its words.
            std::vector<float> reward(size_t(b.batch), 0.0f);
            const Tensor logp = log_softmax(all.detach(), 1);
            for (int r = 0; r < b.batch; ++r)
                for (int t = 0; t < b.steps; ++t) {
                    const int target = b.targets[size_t(r * b.steps + t)];
                    if (target != data::Vocab::pad_id)
                        reward[size_t(r)] += logp.data()[size_t(r * b.steps + t) * size_t(all.size(1)) + size_t(target)] /
                                             words_of[size_t(r)];
                }
            const Tensor drawn = sum(mul(stack(log_probs, 1), per_word), 1);  // [B]
            out.loss = add(out.loss, nn::reinforce_loss(drawn, reward, baseline.value));
            baseline.update(reward);
        }
    }
    return out;
}

}  // namespace lesson13
