// lstm_cell.cpp — the elementwise half of an LSTM step: first as the chapter writes it
// (lstm_cell_reference, composed of ordinary ops), then as one fused op (lstm_cell).
//
// From the two halves of the gate pre-activations, gx = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh
// (each [B, 4H], gates in PyTorch's order i, f, g, o), and the old cell c [B, H]:
//   i = σ(gx_i + gh_i)   f = σ(gx_f + gh_f)   g = tanh(gx_g + gh_g)   o = σ(gx_o + gh_o)
//   c' = f ⊙ c + i ⊙ g          h' = o ⊙ tanh(c')
// Read lstm_cell_reference first: it is these two lines, op by op, and autograd derives its
// gradient. Composed, a step makes eleven tensors (an add, four narrows, five activations, three
// products and a sum), each allocated, filled and later walked backwards; the fused lstm_cell
// does the same arithmetic in one pass over the numbers, with the backward rules written out.
// test_nn_recurrent holds the two equal (values and gradients).
//
// The fused op is two graph nodes, c' ("lstm_cell_c") and h' ("lstm_cell_h", a child of c').
// Each rule writes only its own part: h' the gradient of the o gates and of c', c' those of
// i, f, g and of c. Neither depends on the other having run.
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// ---- the reference: the step as lesson 05 writes it, op by op -------------------------------
LSTMCellOutput lstm_cell_reference(const Tensor& gates_x, const Tensor& gates_h, const Tensor& c) {
    const int H = c.size(1);
    const Tensor pre = gates_x + gates_h;                // [B, 4H]: i f g o
    const Tensor i = sigmoid(narrow(pre, 1, 0 * H, H));  // input gate
    const Tensor f = sigmoid(narrow(pre, 1, 1 * H, H));  // forget gate
    const Tensor g = tanh(narrow(pre, 1, 2 * H, H));     // candidate memory
    const Tensor o = sigmoid(narrow(pre, 1, 3 * H, H));  // output gate
    const Tensor c_new = f * c + i * g;                  // c' = f ⊙ c + i ⊙ g
    return {o * tanh(c_new), c_new};                     // h' = o ⊙ tanh(c')
}

// ---- the fused op ----------------------------------------------------------------------------
namespace {
// Batch rows are independent, so the threads share them (parallel_for). The forward pass of a
// row costs far more than its element count says: per hidden unit three sigmoids and two tanh
// (each an exp polynomial and a division, about 8 simple operations) and ~8 simple operations.
constexpr size_t kForwardWorkPerUnit = 5 * 8 + 8;
// The backward rules, likewise per hidden unit: h' ~12 operations (the o gradient, added into
// two buffers, and dc'); c' ~21 (three gate gradients of 3-4 operations each, each added into two
// buffers, and dc). Counted so, a batch of 32 with H = 128 is shared among the threads rather
// than run on one.
constexpr size_t kBackwardHWorkPerUnit = 12;
constexpr size_t kBackwardCWorkPerUnit = 21;

struct Saved {
    FloatBuffer act;     // [B, 4H]: i, f, g, o after their activations
    FloatBuffer tanh_c;  // [B, H]: tanh(c')
};

// One batch row of the forward pass. Each loop applies one function to a plain array, the
// shape the compiler turns into 8-wide vector code.
void cell_row(const float* gx, const float* gh, const float* c_old, size_t H, float* act, float* tc, float* c_out,
              float* h_out) {
#pragma omp simd
    for (size_t k = 0; k < 4 * H; ++k) act[k] = gx[k] + gh[k];     // pre-activations i, f, g, o
    kernels::sigmoid_array(act, act, 2 * H);                        // i, f
    kernels::tanh_array(act + 2 * H, act + 2 * H, H);               // g
    kernels::sigmoid_array(act + 3 * H, act + 3 * H, H);            // o
    const float *i = act, *f = act + H, *g = act + 2 * H, *o = act + 3 * H;
#pragma omp simd
    for (size_t j = 0; j < H; ++j) c_out[j] = f[j] * c_old[j] + i[j] * g[j];
    kernels::tanh_array(c_out, tc, H);
#pragma omp simd
    for (size_t j = 0; j < H; ++j) h_out[j] = o[j] * tc[j];
}

// dL/d(pre-activation) of `n` gate columns of row `at` goes to both halves, gx and gh,
// because they were summed: grad(gates_x) += d, grad(gates_h) += d (nullptr: not wanted).
void add_gate_grads(float* gx, float* gh, size_t at, const float* d, size_t n) {
    for (float* g : {gx, gh})
        if (g)
#pragma omp simd
            for (size_t k = 0; k < n; ++k) g[at + k] += d[k];
}
float* grad_or_null(const Tensor& t) { return t.requires_grad() ? t.grad_data() : nullptr; }
}  // namespace

LSTMCellOutput lstm_cell(const Tensor& gates_x, const Tensor& gates_h, const Tensor& c) {
    check_defined("lstm_cell", gates_x);
    check_defined("lstm_cell", gates_h);
    check_defined("lstm_cell", c);
    if (c.dim() != 2 || gates_x.shape() != Shape{c.size(0), 4 * c.size(1)} || gates_h.shape() != gates_x.shape())
        throw std::invalid_argument("lstm_cell: needs gates_x and gates_h [B, 4H] and c [B, H], got " +
                                    shape_str(gates_x.shape()) + ", " + shape_str(gates_h.shape()) + ", " +
                                    shape_str(c.shape()));
    const size_t B = size_t(c.size(0)), H = size_t(c.size(1));
    auto saved = std::make_shared<Saved>();
    saved->act.resize(B * 4 * H);
    saved->tanh_c.resize(B * H);
    Tensor c_new = make_empty_result(c.shape(), "lstm_cell_c", {gates_x, gates_h, c});
    Tensor h_new = make_empty_result(c.shape(), "lstm_cell_h", {c_new, gates_x, gates_h});
    const float *gx_all = gates_x.data(), *gh_all = gates_h.data(), *c_all = c.data();
    float *c_new_all = c_new.data(), *h_new_all = h_new.data();
    parallel_for(B, kForwardWorkPerUnit * H, [&](size_t first, size_t last) {
        for (size_t b = first; b < last; ++b)
            cell_row(gx_all + b * 4 * H, gh_all + b * 4 * H, c_all + b * H, H, saved->act.data() + b * 4 * H,
                     saved->tanh_c.data() + b * H, c_new_all + b * H, h_new_all + b * H);
    });
    if (h_new.requires_grad())
        // h' = o⊙tanh(c'):  d(pre-activation of o) = dh'⊙tanh(c')·o(1-o),  dc' += dh'⊙o·(1 - tanh²(c'))
        set_backward(h_new, [c_new, gates_x, gates_h, saved, B, H](const Node& node) {
            float *dc_new = grad_or_null(c_new), *dgx = grad_or_null(gates_x), *dgh = grad_or_null(gates_h);
            parallel_for(B, kBackwardHWorkPerUnit * H, [&](size_t first, size_t last) {
                std::vector<float> d_o(H);
                for (size_t b = first; b < last; ++b) {
                    const float* o = saved->act.data() + b * 4 * H + 3 * H;
                    const float* tc = saved->tanh_c.data() + b * H;
                    const float* d = node.grad.data() + b * H;
#pragma omp simd
                    for (size_t j = 0; j < H; ++j) d_o[j] = d[j] * tc[j] * o[j] * (1.0f - o[j]);
                    add_gate_grads(dgx, dgh, b * 4 * H + 3 * H, d_o.data(), H);
                    if (dc_new)
#pragma omp simd
                        for (size_t j = 0; j < H; ++j) dc_new[b * H + j] += d[j] * o[j] * (1.0f - tc[j] * tc[j]);
                }
            });
        });
    if (c_new.requires_grad())
        // c' = f⊙c + i⊙g:  dc += dc'⊙f,  di = dc'⊙g,  df = dc'⊙c,  dg = dc'⊙i;
        // through the activations: σ' = σ(1-σ), tanh' = 1 - tanh²
        set_backward(c_new, [gates_x, gates_h, c, saved, B, H](const Node& node) {
            float *dc = grad_or_null(c), *dgx = grad_or_null(gates_x), *dgh = grad_or_null(gates_h);
            parallel_for(B, kBackwardCWorkPerUnit * H, [&](size_t first, size_t last) {
                std::vector<float> d_pre(3 * H);  // one row's dL/d(pre-activation) of i, f, g
                for (size_t b = first; b < last; ++b) {
                    const float* act = saved->act.data() + b * 4 * H;
                    const float *i = act, *f = act + H, *g = act + 2 * H;
                    const float* d = node.grad.data() + b * H;
                    const float* c_old = c.data() + b * H;
#pragma omp simd
                    for (size_t j = 0; j < H; ++j) {
                        d_pre[j] = d[j] * g[j] * i[j] * (1.0f - i[j]);
                        d_pre[H + j] = d[j] * c_old[j] * f[j] * (1.0f - f[j]);
                        d_pre[2 * H + j] = d[j] * i[j] * (1.0f - g[j] * g[j]);
                    }
                    add_gate_grads(dgx, dgh, b * 4 * H, d_pre.data(), 3 * H);
                    if (dc)
#pragma omp simd
                        for (size_t j = 0; j < H; ++j) dc[b * H + j] += d[j] * f[j];
                }
            });
        });
    return {h_new, c_new};
}

}  // namespace tinyattn
