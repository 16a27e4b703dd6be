// rnn_base.hpp — what LSTM and GRU share (PyTorch's nn.RNNCellBase and nn.RNNBase).
//
// A recurrent cell turns (x_t, state_{t-1}) into state_t. Its gates are all affine maps of
// x_t and h_{t-1}, stacked into two matrices as PyTorch lays them out:
//   weight_ih [G·H, I]   the input half of all G gates (LSTM: G = 4, GRU: G = 3)
//   weight_hh [G·H, H]   the hidden half
//   bias_ih, bias_hh [G·H]   two bias vectors (PyTorch keeps both, so we do too)
// so a PyTorch state_dict can be copied in name by name.
//
// RNNBase runs a cell over whole sequences: several layers, optionally both directions, over
// padded batches with per-sequence lengths. With lengths it follows PyTorch's packed-sequence
// semantics: outputs past a sequence's end are exactly zero, the final state is the state at
// its true last step, and the reverse direction starts at each sequence's true last element.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/nn/module.hpp"

namespace tinyattn::nn {

// The four tensors of one cell: one layer and one direction of an RNN, or an LSTMCell/GRUCell.
struct RecurrentWeights {
    Tensor weight_ih, weight_hh, bias_ih, bias_hh;  // biases undefined when bias = false
};

// Draws the four tensors uniform in ±1/√H (PyTorch's default for every RNN parameter).
RecurrentWeights init_recurrent_weights(int gates, int input_size, int hidden_size, bool bias, Rng& rng);

// Base of LSTMCell and GRUCell: the weights under PyTorch's names, and the input checks.
class RNNCellBase : public Module {
public:
    RNNCellBase(const char* name, int gates, int input_size, int hidden_size, bool bias, Rng& rng);

    int input_size, hidden_size;
    Tensor weight_ih, weight_hh, bias_ih, bias_hh;

protected:
    // Throws unless x is [B, input_size] and every defined state tensor is [B, hidden_size].
    void check_step(const Tensor& x, const std::vector<Tensor>& state) const;
    // A zero [B, H] state where `state` is undefined (PyTorch's default hx), else `state`.
    Tensor or_zeros(const Tensor& state, int batch) const;
    const char* name_;
};

// Base of LSTM and GRU: the per-layer, per-direction weights and the loop over time.
class RNNBase : public Module {
public:
    RNNBase(const char* name, int gates, int input_size, int hidden_size, int num_layers, bool bias,
            bool batch_first, float dropout, bool bidirectional, Rng& rng);

    int input_size, hidden_size, num_layers;
    bool bias, batch_first, bidirectional;
    float dropout;  // applied to each layer's output except the last's, in training only
    int num_directions() const { return bidirectional ? 2 : 1; }

    // weights[layer * num_directions() + direction], direction 1 = reverse. Registered as
    // weight_ih_l{layer}, weight_hh_l{layer}, bias_ih_l{layer}, bias_hh_l{layer}, with the
    // suffix _reverse for direction 1 — the names torch.nn.LSTM/GRU use. The module keeps
    // pointers into this vector: read and write the tensors, never resize it.
    std::vector<RecurrentWeights> weights;

protected:
    // One step of the cell: gates_x = x_t·W_ihᵀ + b_ih [B, G·H] (already computed for every
    // step at once), state = the previous state ({h} for GRU, {h, c} for LSTM), each [B, H].
    virtual std::vector<Tensor> step(const Tensor& gates_x, const std::vector<Tensor>& state,
                                     const RecurrentWeights& w) const = 0;

    struct Result {
        Tensor output;             // [T, B, H·dirs], or [B, T, H·dirs] when batch_first
        std::vector<Tensor> final; // one [layers·dirs, B, H] tensor per state tensor (h; or h, c)
    };
    // Runs every layer and direction. `initial` holds one entry per state tensor: either
    // undefined (zeros) or [layers·dirs, B, H]. `lengths` empty means every sequence is full.
    Result run(const Tensor& x, const std::vector<int>& lengths, const std::vector<Tensor>& initial) const;

private:
    // One direction of one layer over all T steps. input [T, B, in]; state holds the initial
    // state on entry and the final state on return. Returns the outputs [T, B, H].
    Tensor run_direction(const Tensor& input, const RecurrentWeights& w, bool reverse, std::vector<Tensor>& state,
                         const std::vector<int>& lengths) const;
    void check_inputs(const Tensor& x, const std::vector<int>& lengths, const std::vector<Tensor>& initial) const;
    const char* name_;
};

}  // namespace tinyattn::nn
