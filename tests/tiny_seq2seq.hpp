// tiny_seq2seq.hpp — test helper: the lesson-07 model (Embedding → LSTM encoder, LSTMCell
// decoder with Bahdanau attention, Linear head, Adam) at a small size, trained on a
// synthetic "reverse the sequence" task. The reliability tests (memory, determinism,
// resume, interrupt) all train this one model, so it lives here once.
//
// Everything random comes from two Rngs that are part of the training state: `init`
// (weights) and `data` (batches), plus global_rng() for the dropout on the encoder states.
// A checkpoint of the run therefore saves both `data` and global_rng() in its metadata.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/autograd.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/nn/additive_attention.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/optim/clip_grad.hpp"

namespace tiny_seq2seq {

using namespace tinyattn;

constexpr int kVocab = 12, kEmbed = 16, kHidden = 32, kBatch = 8, kMaxLen = 6;

struct Model : nn::Module {
    Rng init;  // first member: exists before the layers draw their weights
    nn::Embedding src_embedding, tgt_embedding;
    nn::LSTM encoder;
    nn::LSTMCell cell;
    nn::AdditiveAttention attention;
    nn::Linear head;

    explicit Model(uint64_t seed)
        : init(seed),
          src_embedding(kVocab, kEmbed, 0, init),
          tgt_embedding(kVocab, kEmbed, 0, init),
          encoder(kEmbed, kHidden, 1, true, false, 0.0f, false, init),
          cell(kEmbed + kHidden, kHidden, true, init),
          attention(kHidden, kHidden, kHidden, init),
          head(2 * kHidden, kVocab, true, init) {
        register_module("src_embedding", src_embedding);
        register_module("tgt_embedding", tgt_embedding);
        register_module("encoder", encoder);
        register_module("cell", cell);
        register_module("attention", attention);
        register_module("head", head);
    }
};

// A padded batch of the reversal task: source tokens 4..V-1 (lengths 2..kMaxLen), target =
// the source reversed then <eos>. Ids: 0 <pad>, 1 <bos>, 2 <eos>.
struct Batch {
    int S = kMaxLen, T = kMaxLen + 1;
    std::vector<int> src, lengths;         // src time-major [S, B]
    std::vector<int> tgt_in, tgt_out;      // batch-major [B, T]
    Tensor src_pad_mask;                   // [B, S], 1 at padding
};

inline Batch make_batch(Rng& rng) {
    Batch b;
    b.src.assign(size_t(b.S * kBatch), 0);
    b.tgt_in.assign(size_t(kBatch * b.T), 0);
    b.tgt_out.assign(size_t(kBatch * b.T), 0);
    std::vector<float> mask(size_t(kBatch * b.S), 1.0f);
    for (int i = 0; i < kBatch; ++i) {
        const int n = rng.randint(2, kMaxLen + 1);
        b.lengths.push_back(n);
        std::vector<int> seq;
        for (int t = 0; t < n; ++t) seq.push_back(rng.randint(4, kVocab));
        for (int t = 0; t < n; ++t) {
            b.src[size_t(t * kBatch + i)] = seq[size_t(t)];
            mask[size_t(i * b.S + t)] = 0.0f;
        }
        b.tgt_in[size_t(i * b.T)] = 1;
        for (int t = 0; t < n; ++t) {
            b.tgt_out[size_t(i * b.T + t)] = seq[size_t(n - 1 - t)];
            b.tgt_in[size_t(i * b.T + t + 1)] = seq[size_t(n - 1 - t)];
        }
        b.tgt_out[size_t(i * b.T + n)] = 2;
    }
    b.src_pad_mask = tensor(mask, {kBatch, b.S});
    return b;
}

// Teacher-forced mean cross-entropy over the real target tokens.
inline Tensor loss(const Model& m, const Batch& b) {
    const Tensor emb = m.src_embedding.forward(b.src, {b.S, kBatch});                  // [S, B, E]
    const nn::LSTMOutput enc = m.encoder.forward(emb, b.lengths);
    const Tensor states = dropout(transpose(enc.output, 0, 1), 0.1f, m.is_training());  // [B, S, H]
    const Tensor keys = m.attention.precompute_keys(states);
    nn::LSTMState state{reshape(enc.final.h, {kBatch, kHidden}), reshape(enc.final.c, {kBatch, kHidden})};
    std::vector<Tensor> outputs;
    for (int t = 0; t < b.T; ++t) {
        std::vector<int> prev(kBatch);
        for (int i = 0; i < kBatch; ++i) prev[size_t(i)] = b.tgt_in[size_t(i * b.T + t)];
        const Tensor e = m.tgt_embedding.forward(prev, {kBatch});                        // [B, E]
        const Tensor ctx = m.attention.forward_precomputed(state.h, keys, states, b.src_pad_mask).context;
        state = m.cell.forward(concat({e, ctx}, 1), state);
        outputs.push_back(concat({state.h, ctx}, 1));                                    // [B, 2H]
    }
    const Tensor logits = m.head.forward(stack(outputs, 1));                             // [B, T, V]
    return cross_entropy(reshape(logits, {kBatch * b.T, kVocab}), b.tgt_out, 0);
}

// The whole training state: model, optimizer, the data stream's Rng and the step count.
struct Run {
    Model model;
    optim::Adam adam;
    Rng data;
    long step = 0;

    explicit Run(uint64_t seed) : model(seed), adam(model.parameters(), 1e-2), data(seed + 1000) {}

    // One optimizer step; returns the loss.
    float train_step() {
        const Batch b = make_batch(data);
        adam.zero_grad();
        const Tensor l = loss(model, b);
        l.backward();
        optim::clip_grad_norm(model.parameters(), 5.0);
        adam.step();
        ++step;
        return l.item();
    }

    // Checkpoint with everything a resume needs (both Rngs in the metadata).
    void save(const std::string& path) const {
        io::save_checkpoint(path, model, &adam,
                            {{"step", std::to_string(step)},
                             {"data_rng", io::rng_to_text(data)},
                             {"global_rng", io::rng_to_text(global_rng())}});
    }
    void load(const std::string& path) {
        const io::Metadata meta = io::load_checkpoint(path, model, &adam);
        step = std::stol(meta.at("step"));
        data = io::rng_from_text(meta.at("data_rng"));
        global_rng() = io::rng_from_text(meta.at("global_rng"));
    }
};

inline std::vector<std::vector<float>> parameter_values(const nn::Module& m) {
    std::vector<std::vector<float>> v;
    for (const Tensor& p : m.parameters()) v.push_back(p.to_vector());
    return v;
}

}  // namespace tiny_seq2seq
