// lstm.cpp — the LSTM step, and LSTMCell / LSTM built on it.
#include "tinyattn/nn/lstm.hpp"

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

LSTMState lstm_step(const Tensor& gates_x, const LSTMState& state, const Tensor& weight_hh, const Tensor& bias_hh) {
    // The four gates' pre-activations come in two halves: x·W_ihᵀ + b_ih (given) and
    // h·W_hhᵀ + b_hh (one gemm here). ops/lstm_cell.cpp does the rest of the step in one pass:
    //   i, f, o = σ(...), g = tanh(...), c' = f⊙c + i⊙g, h' = o⊙tanh(c')   (see lstm.hpp)
    const LSTMCellOutput next = lstm_cell(gates_x, linear(state.h, weight_hh, bias_hh), state.c);
    return {next.h, next.c};
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
