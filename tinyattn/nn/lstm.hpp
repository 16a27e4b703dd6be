// lstm.hpp — long short-term memory (Hochreiter & Schmidhuber 1997), as torch.nn.LSTMCell / LSTM.
//
// Per step, with σ the sigmoid and ⊙ the elementwise product:
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)     input gate: how much of the candidate to write
//   f = σ(W_if x + b_if + W_hf h + b_hf)     forget gate: how much of the old cell to keep
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  candidate cell content
//   o = σ(W_io x + b_io + W_ho h + b_ho)     output gate: how much of the cell to show
//   c' = f ⊙ c + i ⊙ g
//   h' = o ⊙ tanh(c')
// The four gates' weights are stacked in PyTorch's order i, f, g, o: weight_ih [4H, I],
// weight_hh [4H, H], bias_ih [4H], bias_hh [4H].
#pragma once
#include <vector>

#include "tinyattn/nn/rnn_base.hpp"

namespace tinyattn::nn {

struct LSTMState {
    Tensor h, c;  // [B, H] for a cell; [layers·dirs, B, H] for a whole LSTM's initial/final state
};

struct LSTMOutput {
    Tensor output;  // [T, B, H·dirs] (or [B, T, H·dirs] when batch_first); zero past each length.
                    // Always T steps, like pad_packed_sequence(..., total_length=T).
    LSTMState final;  // h_n and c_n, [layers·dirs, B, H]: the state at each sequence's true last step
};

// One LSTM step from the input half of the gates, gates_x = x·W_ihᵀ + b_ih [B, 4H]
// (an LSTM computes it for all steps at once). bias_hh may be undefined.
LSTMState lstm_step(const Tensor& gates_x, const LSTMState& state, const Tensor& weight_hh, const Tensor& bias_hh);

class LSTMCell : public RNNCellBase {
public:
    LSTMCell(int input_size, int hidden_size, bool bias = true, Rng& rng = global_rng());
    // x [B, I], state (h, c) each [B, H] -> (h', c'). An undefined h or c means zeros.
    LSTMState forward(const Tensor& x, const LSTMState& state = {}) const;
};

class LSTM : public RNNBase {
public:
    LSTM(int input_size, int hidden_size, int num_layers = 1, bool bias = true, bool batch_first = false,
         float dropout = 0.0f, bool bidirectional = false, Rng& rng = global_rng());
    // x [T, B, I] ([B, T, I] when batch_first). lengths: the true length of each sequence in a
    // padded batch (empty = all T). initial: (h0, c0) each [layers·dirs, B, H]; undefined = zeros.
    LSTMOutput forward(const Tensor& x, const std::vector<int>& lengths = {}, const LSTMState& initial = {}) const;

protected:
    std::vector<Tensor> step(const Tensor& gates_x, const std::vector<Tensor>& state,
                             const RecurrentWeights& w) const override;
};

}  // namespace tinyattn::nn
