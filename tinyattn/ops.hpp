// ops.hpp — every differentiable operation, as free functions (the names PyTorch uses).
//
// Each op lives in tinyattn/ops/<group>.cpp with its forward computation and its backward
// rule side by side. Shapes that do not fit raise std::invalid_argument naming the op and
// the shapes, e.g. "matmul: inner dimensions differ: [32, 64] x [128, 256]".
#pragma once
#include <string>
#include <vector>

#include "tinyattn/rng.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn {

// ---- elementwise, with NumPy broadcasting (ops/elementwise.cpp) ----------------------------
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, float s);
Tensor mul(const Tensor& a, float s);
Tensor rsub(float s, const Tensor& a);          // s - a
Tensor rdiv(float s, const Tensor& a);          // s / a
Tensor neg(const Tensor& a);
Tensor exp(const Tensor& a);
Tensor log(const Tensor& a);
Tensor sqrt(const Tensor& a);
Tensor pow(const Tensor& a, float exponent);
Tensor tanh(const Tensor& a);
Tensor sigmoid(const Tensor& a);
Tensor relu(const Tensor& a);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, float s);
Tensor operator+(float s, const Tensor& a);
Tensor operator-(const Tensor& a, float s);
Tensor operator-(float s, const Tensor& a);
Tensor operator*(const Tensor& a, float s);
Tensor operator*(float s, const Tensor& a);
Tensor operator/(const Tensor& a, float s);
Tensor operator/(float s, const Tensor& a);
Tensor operator-(const Tensor& a);

// The shape two shapes broadcast to, or an error naming `op` and both shapes.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// ---- reductions (ops/reduce.cpp) -----------------------------------------------------------
Tensor sum(const Tensor& a);                                   // all elements -> shape []
Tensor sum(const Tensor& a, int dim, bool keepdim = false);
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, int dim, bool keepdim = false);
Tensor max(const Tensor& a);                                   // gradient flows to the first maximum
Tensor max(const Tensor& a, int dim, bool keepdim = false);
std::vector<int> argmax(const Tensor& a, int dim);             // indices of max along dim (not differentiable)

// ---- matrix multiply (ops/matmul.cpp) ------------------------------------------------------
// [M,K]x[K,N] -> [M,N];  [B,M,K]x[B,K,N] -> [B,M,N] (a batch of 1 broadcasts);  [B,M,K]x[K,N] -> [B,M,N]
Tensor matmul(const Tensor& a, const Tensor& b);
// y = x·Wᵀ + b for x [..., in], weight [out, in], bias [out] (or undefined) — PyTorch's F.linear
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

// ---- shape ops (ops/shape_ops.cpp) ---------------------------------------------------------
Tensor reshape(const Tensor& a, const Shape& shape);           // one dim may be -1
Tensor transpose(const Tensor& a, int dim0, int dim1);
Tensor permute(const Tensor& a, const std::vector<int>& dims);
Tensor concat(const std::vector<Tensor>& tensors, int dim);    // torch.cat
Tensor stack(const std::vector<Tensor>& tensors, int dim);
Tensor narrow(const Tensor& a, int dim, int start, int length);  // a slice [start, start+length)
Tensor select(const Tensor& a, int dim, int index);            // removes dim
Tensor unsqueeze(const Tensor& a, int dim);
Tensor squeeze(const Tensor& a, int dim);

// ---- indexing (ops/indexing.cpp) -----------------------------------------------------------
Tensor index_select(const Tensor& a, int dim, const std::vector<int>& indices);
// Rows of `weight` [V, D] for token ids laid out in `ids_shape`: result is ids_shape + [D].
// Backward scatter-adds into the rows that were read; rows equal to padding_idx get no gradient.
Tensor embedding(const Tensor& weight, const std::vector<int>& ids, const Shape& ids_shape,
                 int padding_idx = -1);
// Where mask != 0 (mask broadcasts to a's shape) the result is `value`, elsewhere a.
Tensor masked_fill(const Tensor& a, const Tensor& mask, float value);

// ---- softmax family and losses (ops/softmax.cpp, ops/loss.cpp) ----------------------------
Tensor softmax(const Tensor& a, int dim);
Tensor log_softmax(const Tensor& a, int dim);
// Mean cross-entropy of logits [N, C] against class ids (N of them); targets equal to
// ignore_index are left out of both the sum and the count (0 counted -> loss 0).
Tensor cross_entropy(const Tensor& logits, const std::vector<int>& targets, int ignore_index = -100);

// ---- regularisation and normalisation (ops/dropout.cpp, ops/layer_norm.cpp) ----------------
// Inverted dropout: in training, zero each element with probability p and scale the rest
// by 1/(1-p); in eval (training=false) it returns the input unchanged.
Tensor dropout(const Tensor& a, float p, bool training, Rng& rng = global_rng());
// Normalise over the last dim (size D), then scale by weight [D] and shift by bias [D]
// (either may be undefined for none).
Tensor layer_norm(const Tensor& a, const Tensor& weight, const Tensor& bias, float eps = 1e-5f);

// ---- fused kernels for the recurrent models and attention --------------------------------
// One LSTM step after its two matrix products (ops/lstm_cell.cpp): gates_x = x·W_ihᵀ + b_ih and
// gates_h = h·W_hhᵀ + b_hh, each [B, 4H] in PyTorch's gate order i, f, g, o; c [B, H].
// Returns h' = o ⊙ tanh(c') and c' = f ⊙ c + i ⊙ g (graph nodes "lstm_cell_h", "lstm_cell_c").
struct LSTMCellOutput {
    Tensor h, c;
};
LSTMCellOutput lstm_cell(const Tensor& gates_x, const Tensor& gates_h, const Tensor& c);
// The same step composed of ordinary ops, as lesson 05 writes it (read this one first).
LSTMCellOutput lstm_cell_reference(const Tensor& gates_x, const Tensor& gates_h, const Tensor& c);
// Bahdanau scores (ops/additive_scores.cpp): e[b, s] = Σ_a v[a] · tanh(query[b, a] + keys[b, s, a])
// for query [B, A], keys [B, S, A], v [A] or [1, A] (a Linear(A, 1) weight) -> [B, S].
Tensor additive_scores(const Tensor& query, const Tensor& keys, const Tensor& v);
// The same scores composed of ordinary ops, tanh in plain sight (read this one first).
Tensor additive_scores_reference(const Tensor& query, const Tensor& keys, const Tensor& v);
// Multi-head attention's products with the heads read in place (ops/attention_heads.cpp): head h
// of a [B, T, E] projection is its columns h·d .. h·d+d-1, d = E / heads.
// head_scores: q [B, Tq, E], k [B, Tk, E] -> [B, heads, Tq, Tk], scale · Q_h·K_hᵀ for every head.
// head_context: weights [B, heads, Tq, Tk], v [B, Tk, E] -> [B, Tq, E], head h's P·V_h in its columns.
Tensor head_scores(const Tensor& q, const Tensor& k, int heads, float scale);
Tensor head_context(const Tensor& weights, const Tensor& v);

// ---- images, NCHW: [batch, channels, height, width] (ops/conv2d.cpp) ------------------------
// PyTorch's F.conv2d: input [N, C, H, W], weight [O, C, kh, kw], bias [O] (or undefined)
// -> [N, O, (H + 2·padding − kh) / stride + 1, (W + 2·padding − kw) / stride + 1], zero padding.
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, int stride = 1, int padding = 0);
// PyTorch's F.max_pool2d without padding: the maximum of each kernel_size × kernel_size window,
// windows `stride` apart (0: stride = kernel_size, PyTorch's default).
Tensor max_pool2d(const Tensor& input, int kernel_size, int stride = 0);

// ---- the list of every differentiable op (ops/op_list.cpp) ---------------------------------
// The names each op records as its grad_fn. The gradcheck test reads this list and fails
// if an op is missing from its table, so no op can exist without a gradient check.
const std::vector<std::string>& differentiable_ops();

}  // namespace tinyattn
