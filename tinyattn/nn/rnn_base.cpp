// rnn_base.cpp — recurrent weights, and running a cell over padded batches of sequences.
#include "tinyattn/nn/rnn_base.hpp"

#include <cmath>
#include <stdexcept>

#include "tinyattn/ops.hpp"

namespace tinyattn::nn {

RecurrentWeights init_recurrent_weights(int gates, int input_size, int hidden_size, bool bias, Rng& rng) {
    if (input_size <= 0 || hidden_size <= 0)
        throw std::invalid_argument("recurrent layer: input_size " + std::to_string(input_size) + " and hidden_size " +
                                    std::to_string(hidden_size) + " must be positive");
    // PyTorch's reset_parameters: every weight and bias ~ U(-1/√H, 1/√H).
    const float bound = 1.0f / std::sqrt(float(hidden_size));
    const int rows = gates * hidden_size;
    RecurrentWeights w;
    w.weight_ih = uniform({rows, input_size}, -bound, bound, rng);
    w.weight_hh = uniform({rows, hidden_size}, -bound, bound, rng);
    if (bias) {
        w.bias_ih = uniform({rows}, -bound, bound, rng);
        w.bias_hh = uniform({rows}, -bound, bound, rng);
    }
    return w;
}

// ---- cells ------------------------------------------------------------------------------------

RNNCellBase::RNNCellBase(const char* name, int gates, int input, int hidden, bool bias, Rng& rng)
    : input_size(input), hidden_size(hidden), name_(name) {
    RecurrentWeights w = init_recurrent_weights(gates, input, hidden, bias, rng);
    weight_ih = w.weight_ih;
    weight_hh = w.weight_hh;
    register_parameter("weight_ih", weight_ih);
    register_parameter("weight_hh", weight_hh);
    if (bias) {
        bias_ih = w.bias_ih;
        bias_hh = w.bias_hh;
        register_parameter("bias_ih", bias_ih);
        register_parameter("bias_hh", bias_hh);
    }
}

void RNNCellBase::check_step(const Tensor& x, const std::vector<Tensor>& state) const {
    check_defined(name_, x);
    if (x.dim() != 2 || x.size(1) != input_size)
        throw std::invalid_argument(std::string(name_) + ": input " + shape_str(x.shape()) + " should be [batch, " +
                                    std::to_string(input_size) + "]");
    for (const Tensor& s : state)
        if (s.defined() && s.shape() != Shape{x.size(0), hidden_size})
            throw std::invalid_argument(std::string(name_) + ": state " + shape_str(s.shape()) + " should be " +
                                        shape_str({x.size(0), hidden_size}) + " for input " + shape_str(x.shape()));
}

Tensor RNNCellBase::or_zeros(const Tensor& state, int batch) const {
    return state.defined() ? state : zeros({batch, hidden_size});
}

// ---- whole sequences --------------------------------------------------------------------------

RNNBase::RNNBase(const char* name, int gates, int input, int hidden, int layers, bool with_bias, bool first,
                 float p, bool bidir, Rng& rng)
    : input_size(input), hidden_size(hidden), num_layers(layers), bias(with_bias), batch_first(first),
      bidirectional(bidir), dropout(p), name_(name) {
    if (layers < 1) throw std::invalid_argument(std::string(name) + ": num_layers must be >= 1, got " + std::to_string(layers));
    if (p < 0.0f || p >= 1.0f) throw std::invalid_argument(std::string(name) + ": dropout must be in [0, 1), got " + std::to_string(p));
    // Layer 0 reads the input; each later layer reads the previous layer's output, which is
    // both directions' hidden states side by side.
    for (int l = 0; l < layers; ++l)
        for (int d = 0; d < num_directions(); ++d)
            weights.push_back(init_recurrent_weights(gates, l == 0 ? input : hidden * num_directions(), hidden,
                                                     with_bias, rng));
    // Registered only once the vector is complete: the module keeps pointers into it.
    for (int l = 0; l < layers; ++l)
        for (int d = 0; d < num_directions(); ++d) {
            RecurrentWeights& w = weights[size_t(l * num_directions() + d)];
            const std::string suffix = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
            register_parameter("weight_ih" + suffix, w.weight_ih);
            register_parameter("weight_hh" + suffix, w.weight_hh);
            if (with_bias) {
                register_parameter("bias_ih" + suffix, w.bias_ih);
                register_parameter("bias_hh" + suffix, w.bias_hh);
            }
        }
}

void RNNBase::check_inputs(const Tensor& x, const std::vector<int>& lengths, const std::vector<Tensor>& initial) const {
    check_defined(name_, x);
    const std::string layout = batch_first ? "[batch, time, " : "[time, batch, ";
    if (x.dim() != 3 || x.size(2) != input_size || x.size(0) == 0 || x.size(1) == 0)
        throw std::invalid_argument(std::string(name_) + ": input " + shape_str(x.shape()) + " should be " + layout +
                                    std::to_string(input_size) + "]");
    const int T = x.size(batch_first ? 1 : 0), B = x.size(batch_first ? 0 : 1);
    if (!lengths.empty() && int(lengths.size()) != B)
        throw std::invalid_argument(std::string(name_) + ": " + std::to_string(lengths.size()) +
                                    " lengths for a batch of " + std::to_string(B) + " (input " + shape_str(x.shape()) + ")");
    for (int len : lengths)
        if (len < 1 || len > T)
            throw std::invalid_argument(std::string(name_) + ": length " + std::to_string(len) + " outside [1, " +
                                        std::to_string(T) + "] for input " + shape_str(x.shape()));
    const Shape state_shape{num_layers * num_directions(), B, hidden_size};
    for (const Tensor& s : initial)
        if (s.defined() && s.shape() != state_shape)
            throw std::invalid_argument(std::string(name_) + ": initial state " + shape_str(s.shape()) + " should be " +
                                        shape_str(state_shape) + " ([layers*directions, batch, hidden])");
}

// The per-row 0/1 mask of step t: [B, 1], 1 where sequence b still has a step t.
// Undefined when every sequence does, so full batches pay nothing for masking.
static Tensor step_mask(const std::vector<int>& lengths, int t) {
    std::vector<float> m(lengths.size());
    bool all_active = true;
    for (size_t b = 0; b < lengths.size(); ++b) {
        m[b] = t < lengths[b] ? 1.0f : 0.0f;
        all_active = all_active && t < lengths[b];
    }
    return all_active ? Tensor() : tensor(m, {int(m.size()), 1});
}

Tensor RNNBase::run_direction(const Tensor& input, const RecurrentWeights& w, bool reverse, std::vector<Tensor>& state,
                              const std::vector<int>& lengths) const {
    const int T = input.size(0);
    // The input half of every gate for all T steps in one gemm: [T, B, G·H].
    // Only h_{t-1}·W_hhᵀ is left for the sequential loop.
    const Tensor gates_x = linear(input, w.weight_ih, w.bias_ih);
    std::vector<Tensor> outputs(static_cast<size_t>(T));
    for (int s = 0; s < T; ++s) {
        const int t = reverse ? T - 1 - s : s;
        std::vector<Tensor> next = step(select(gates_x, 0, t), state, w);
        const Tensor m = step_mask(lengths, t);
        if (m.defined()) {
            // Sequences that have ended (or, in reverse, not yet begun) keep their state:
            // s = m·s_new + (1-m)·s_old, and their output is exactly zero.
            const Tensor keep = rsub(1.0f, m);
            for (size_t k = 0; k < next.size(); ++k) next[k] = m * next[k] + keep * state[k];
            outputs[size_t(t)] = m * next[0];
        } else {
            outputs[size_t(t)] = next[0];
        }
        state = std::move(next);
    }
    return stack(outputs, 0);
}

RNNBase::Result RNNBase::run(const Tensor& x, const std::vector<int>& lengths, const std::vector<Tensor>& initial) const {
    check_inputs(x, lengths, initial);
    Tensor layer_input = batch_first ? transpose(x, 0, 1) : x;  // time-major inside: [T, B, I]
    const int B = layer_input.size(1);
    Result result;
    std::vector<std::vector<Tensor>> finals(initial.size());  // per state tensor, per layer·direction
    for (int l = 0; l < num_layers; ++l) {
        if (l > 0) layer_input = tinyattn::dropout(layer_input, dropout, is_training());
        std::vector<Tensor> directions;
        for (int d = 0; d < num_directions(); ++d) {
            const int index = l * num_directions() + d;
            std::vector<Tensor> state;
            for (const Tensor& s : initial) state.push_back(s.defined() ? select(s, 0, index) : zeros({B, hidden_size}));
            directions.push_back(run_direction(layer_input, weights[size_t(index)], d == 1, state, lengths));
            for (size_t k = 0; k < state.size(); ++k) finals[k].push_back(state[k]);
        }
        // Forward and reverse hidden states side by side: [T, B, 2H].
        layer_input = directions.size() == 1 ? directions[0] : concat(directions, 2);
    }
    result.output = batch_first ? transpose(layer_input, 0, 1) : layer_input;
    for (const std::vector<Tensor>& per_layer : finals) result.final.push_back(stack(per_layer, 0));
    return result;
}

}  // namespace tinyattn::nn
