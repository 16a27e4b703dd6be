// gru.cpp — the GRU step, and GRUCell / GRU built on it.
#include "tinyattn/nn/gru.hpp"

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

Tensor gru_step(const Tensor& gates_x, const Tensor& h, const Tensor& weight_hh, const Tensor& bias_hh) {
    const int H = weight_hh.size(1);
    // The hidden half of all three gates at once: h·W_hhᵀ + b_hh  [B, 3H]. Unlike the LSTM it
    // is not simply added to gates_x: the reset gate scales its n part (W_hn h + b_hn).
    const Tensor gates_h = linear(h, weight_hh, bias_hh);
    const Tensor r = sigmoid(narrow(gates_x, 1, 0, H) + narrow(gates_h, 1, 0, H));  // reset gate
    const Tensor z = sigmoid(narrow(gates_x, 1, H, H) + narrow(gates_h, 1, H, H));  // update gate
    const Tensor n = tanh(narrow(gates_x, 1, 2 * H, H) + r * narrow(gates_h, 1, 2 * H, H));  // candidate
    return (1.0f - z) * n + z * h;  // move from h towards n by (1 - z)
}

// ---- GRUCell ----------------------------------------------------------------------------------

GRUCell::GRUCell(int input, int hidden, bool bias, Rng& rng) : RNNCellBase("GRUCell", 3, input, hidden, bias, rng) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& h) const {
    check_step(x, {h});
    return gru_step(linear(x, weight_ih, bias_ih), or_zeros(h, x.size(0)), weight_hh, bias_hh);
}

// ---- GRU --------------------------------------------------------------------------------------

GRU::GRU(int input, int hidden, int layers, bool bias, bool batch_first, float dropout, bool bidirectional, Rng& rng)
    : RNNBase("GRU", 3, input, hidden, layers, bias, batch_first, dropout, bidirectional, rng) {}

std::vector<Tensor> GRU::step(const Tensor& gates_x, const std::vector<Tensor>& state, const RecurrentWeights& w) const {
    return {gru_step(gates_x, state[0], w.weight_hh, w.bias_hh)};
}

GRUOutput GRU::forward(const Tensor& x, const std::vector<int>& lengths, const Tensor& h0) const {
    Result r = run(x, lengths, {h0});
    return {r.output, r.final[0]};
}

}  // namespace tinyattn::nn
