// lstm.cpp — the LSTM step, and LSTMCell / LSTM built on it.
#include "tinyattn/nn/lstm.hpp"

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LSTMState lstm_step(const Tensor& gates_x, const LSTMState& state, const Tensor& weight_hh, const Tensor& bias_hh) {
    const int H = weight_hh.size(1);
    // All four gates' pre-activations at once: x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh  [B, 4H].
    const Tensor gates = gates_x + linear(state.h, weight_hh, bias_hh);
    const Tensor i = sigmoid(narrow(gates, 1, 0 * H, H));  // input gate
    const Tensor f = sigmoid(narrow(gates, 1, 1 * H, H));  // forget gate
    const Tensor g = tanh(narrow(gates, 1, 2 * H, H));     // candidate cell content
    const Tensor o = sigmoid(narrow(gates, 1, 3 * H, H));  // output gate
    const Tensor c = f * state.c + i * g;                  // keep some old memory, write some new
    const Tensor h = o * tanh(c);                          // show part of the memory
    return {h, c};
}

// ---- LSTMCell ---------------------------------------------------------------------------------

LSTMCell::LSTMCell(int input, int hidden, bool bias, Rng& rng) : RNNCellBase("LSTMCell", 4, input, hidden, bias, rng) {}

LSTMState LSTMCell::forward(const Tensor& x, const LSTMState& state) const {
    check_step(x, {state.h, state.c});
    const int B = x.size(0);
    return lstm_step(linear(x, weight_ih, bias_ih), {or_zeros(state.h, B), or_zeros(state.c, B)}, weight_hh, bias_hh);
}

// ---- LSTM -------------------------------------------------------------------------------------

LSTM::LSTM(int input, int hidden, int layers, bool bias, bool batch_first, float dropout, bool bidirectional, Rng& rng)
    : RNNBase("LSTM", 4, input, hidden, layers, bias, batch_first, dropout, bidirectional, rng) {}

std::vector<Tensor> LSTM::step(const Tensor& gates_x, const std::vector<Tensor>& state, const RecurrentWeights& w) const {
    LSTMState next = lstm_step(gates_x, {state[0], state[1]}, w.weight_hh, w.bias_hh);
    return {next.h, next.c};
}

LSTMOutput LSTM::forward(const Tensor& x, const std::vector<int>& lengths, const LSTMState& initial) const {
    Result r = run(x, lengths, {initial.h, initial.c});
    return {r.output, {r.final[0], r.final[1]}};
}

}  // namespace tinyattn::nn
