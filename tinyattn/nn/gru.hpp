// gru.hpp — gated recurrent unit (Cho et al. 2014), as torch.nn.GRUCell / GRU.
//
// Per step, with σ the sigmoid and ⊙ the elementwise product:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)          reset gate: how much of h the candidate sees
//   z = σ(W_iz x + b_iz + W_hz h + b_hz)          update gate: how much of h to keep
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) candidate state (r applies after b_hn, as in PyTorch)
//   h' = (1 - z) ⊙ n + z ⊙ h
// The three gates' weights are stacked in PyTorch's order r, z, n: weight_ih [3H, I],
// weight_hh [3H, H], bias_ih [3H], bias_hh [3H].
#pragma once
#include <vector>

#include "tinyattn/nn/rnn_base.hpp"

namespace tinyattn::nn {

struct GRUOutput {
    Tensor output;  // [T, B, H·dirs] (or [B, T, H·dirs] when batch_first); zero past each length.
                    // Always T steps, like pad_packed_sequence(..., total_length=T).
    Tensor final;   // h_n [layers·dirs, B, H]: the state at each sequence's true last step
};

// One GRU step from the input half of the gates, gates_x = x·W_ihᵀ + b_ih [B, 3H]
// (a GRU computes it for all steps at once). bias_hh may be undefined.
Tensor gru_step(const Tensor& gates_x, const Tensor& h, const Tensor& weight_hh, const Tensor& bias_hh);

class GRUCell : public RNNCellBase {
public:
    GRUCell(int input_size, int hidden_size, bool bias = true, Rng& rng = global_rng());
    // x [B, I], h [B, H] (undefined = zeros) -> h' [B, H]
    Tensor forward(const Tensor& x, const Tensor& h = {}) const;
};

class GRU : public RNNBase {
public:
    GRU(int input_size, int hidden_size, int num_layers = 1, bool bias = true, bool batch_first = false,
        float dropout = 0.0f, bool bidirectional = false, Rng& rng = global_rng());
    // x [T, B, I] ([B, T, I] when batch_first). lengths: the true length of each sequence in a
    // padded batch (empty = all T). h0: [layers·dirs, B, H]; undefined = zeros.
    GRUOutput forward(const Tensor& x, const std::vector<int>& lengths = {}, const Tensor& h0 = {}) const;

protected:
    std::vector<Tensor> step(const Tensor& gates_x, const std::vector<Tensor>& state,
                             const RecurrentWeights& w) const override;
};

}  // namespace tinyattn::nn
