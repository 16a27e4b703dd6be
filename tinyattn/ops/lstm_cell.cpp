// lstm_cell.cpp — the elementwise half of an LSTM step as one fused op (two output nodes).
//
// From the two halves of the gate pre-activations, gx = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh
// (each [B, 4H], gates in PyTorch's order i, f, g, o), and the old cell c [B, H]:
//   i = σ(gx_i + gh_i)   f = σ(gx_f + gh_f)   g = tanh(gx_g + gh_g)   o = σ(gx_o + gh_o)
//   c' = f ⊙ c + i ⊙ g          h' = o ⊙ tanh(c')
// Written with separate ops this is an add, four narrows, five activations, three products and
// a sum: eleven tensors per step, each allocated, filled and later walked backwards. Here it is
// one pass over the numbers. c' and h' are two graph nodes ("lstm_cell_c" and "lstm_cell_h")
// that share the saved gate activations; h' reads c' like any other child.
#include <memory>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/activations.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
// Batch rows are independent, so the threads share them (parallel_for). The forward pass of a
// row costs far more than its element count says: per hidden unit three sigmoids and two tanh
// (each an exp polynomial and a division, about 8 simple operations) and ~8 simple operations.
constexpr size_t kForwardWorkPerUnit = 5 * 8 + 8;
// The backward rules, likewise per hidden unit: h' ~8 operations; c' ~25 (four gate gradients
// of 3-4 operations each, each added into two buffers, and dc). Counted so, a batch of 32
// (H = 128), whose rule of c' takes ~29 µs on one core, is shared among the threads.
constexpr size_t kBackwardHWorkPerUnit = 8;
constexpr size_t kBackwardCWorkPerUnit = 25;

struct Saved {
    FloatBuffer act;     // [B, 4H]: i, f, g, o after their activations
    FloatBuffer tanh_c;  // [B, H]: tanh(c')
    FloatBuffer d_o;     // [B, H]: dL/d(pre-activation of o), from the rule of h' for the rule of c'
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

// dL/d(pre-activation) goes to both halves, gx and gh, because they were summed.
// The gradient buffers are looked up once per backward call (nullptr: no gradient wanted).
// A buffer no gradient has reached yet is fresh: its rows are stored, not added to zeros.
struct GateGrads {
    float* gx = nullptr;
    float* gh = nullptr;
    bool gx_fresh = false, gh_fresh = false;
    GateGrads(const Tensor& gates_x, const Tensor& gates_h) {
        if (gates_x.requires_grad()) gx = gates_x.grad_data_fresh(gx_fresh);
        if (gates_h.requires_grad()) gh = gates_h.grad_data_fresh(gh_fresh);
    }
    void put(size_t at, const float* d, size_t n) const {
        put_row(gx, gx_fresh, at, d, n);
        put_row(gh, gh_fresh, at, d, n);
    }
    static void put_row(float* g, bool fresh, size_t at, const float* d, size_t n) {
        if (g)
#pragma omp simd
            for (size_t k = 0; k < n; ++k) add_or_store(g[at + k], d[k], fresh);
    }
};
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
    // h' is a child of c', so the rule of h' runs first. It leaves dL/d(o) in `saved`, and the rule
    // of c' writes all four gate gradients of a row in one pass (stored, not added, into a fresh
    // buffer: no zero-filling of the [B, 4H] gradients first).
    if (h_new.requires_grad())
        // h' = o⊙tanh(c'):  do = dh'⊙tanh(c')·o(1-o),  dc' += dh'⊙o·(1 - tanh²(c'))
        set_backward(h_new, [c_new, saved, B, H](const Node& node) {
            bool fresh = false;
            float* dc_new = c_new.requires_grad() ? c_new.grad_data_fresh(fresh) : nullptr;
            saved->d_o.resize(B * H);
            parallel_for(B, kBackwardHWorkPerUnit * H, [&](size_t first, size_t last) {
                for (size_t b = first; b < last; ++b) {
                    const float* o = saved->act.data() + b * 4 * H + 3 * H;
                    const float* tc = saved->tanh_c.data() + b * H;
                    const float* d = node.grad.data() + b * H;
                    float* d_o = saved->d_o.data() + b * H;
#pragma omp simd
                    for (size_t j = 0; j < H; ++j) d_o[j] = d[j] * tc[j] * o[j] * (1.0f - o[j]);
                    if (dc_new)
#pragma omp simd
                        for (size_t j = 0; j < H; ++j)
                            add_or_store(dc_new[b * H + j], d[j] * o[j] * (1.0f - tc[j] * tc[j]), fresh);
                }
            });
        });
    if (c_new.requires_grad())
        // c' = f⊙c + i⊙g:  dc = dc'⊙f,  di = dc'⊙g,  df = dc'⊙c,  dg = dc'⊙i;
        // through the activations: σ' = σ(1-σ), tanh' = 1 - tanh²
        set_backward(c_new, [gates_x, gates_h, c, saved, B, H](const Node& node) {
            const GateGrads grads(gates_x, gates_h);
            bool dc_fresh = false;
            float* dc = c.requires_grad() ? c.grad_data_fresh(dc_fresh) : nullptr;
            const float* d_o_all = saved->d_o.empty() ? nullptr : saved->d_o.data();  // empty: h' got no gradient
            parallel_for(B, kBackwardCWorkPerUnit * H, [&](size_t first, size_t last) {
                std::vector<float> d_pre(4 * H);  // one row's dL/d(pre-activation) of i, f, g, o
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
                        d_pre[3 * H + j] = d_o_all ? d_o_all[b * H + j] : 0.0f;
                    }
                    grads.put(b * 4 * H, d_pre.data(), 4 * H);
                    if (dc)
#pragma omp simd
                        for (size_t j = 0; j < H; ++j) add_or_store(dc[b * H + j], d[j] * f[j], dc_fresh);
                }
            });
            saved->d_o = FloatBuffer();  // used: a second backward through this graph starts afresh
        });
    return {h_new, c_new};
}

}  // namespace tinyattn
