// Lesson 14 — attention by hand: one self-attention computed with a pencil's loops, then the
// same numbers from the library, and the three facts behind every Transformer.
//
//     Q = X W_q,  K = X W_k,  V = X W_v                  (X: one row per token)
//     A = softmax(Q Kᵀ / √d)                             (row i: how much token i reads token j)
//     Z = A V                                            (row i: the weighted sum of the values)
//
// 1. Four tokens with hand-picked 4-d embeddings, every step printed; the same through
//    nn::scaled_dot_product_attention and nn::MultiheadAttention with 2 heads (the head split shown);
//    they must agree, and a finite-difference gradcheck covers the whole computation.
// 2. Attention has no idea of order (permuting the keys permutes the weights) and a mask gives
//    exactly 0 weight.
// 3. Why divide by √d: softmax entropy and gradient norm against d, with and without it.
// 4. Attention as a soft lookup: Nadaraya–Watson kernel regression (average, fixed kernel, learned width).
// 5. The sinusoidal positional encoding, the fix for point 2, as a heatmap.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using plot::Matrix;

namespace {

// ---- plain loops: the computation as on paper -----------------------------------------------

Matrix matmul_by_hand(const Matrix& a, const Matrix& b) {  // [n, k] · [k, m]
    Matrix c(a.size(), std::vector<float>(b[0].size(), 0.0f));
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < b[0].size(); ++j)
            for (size_t k = 0; k < b.size(); ++k) c[i][j] += a[i][k] * b[k][j];
    return c;
}

Matrix transpose_by_hand(const Matrix& a) {
    Matrix t(a[0].size(), std::vector<float>(a.size()));
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < a[0].size(); ++j) t[j][i] = a[i][j];
    return t;
}

// softmax of each row, minus the row's max first (same result, no overflow)
Matrix softmax_rows_by_hand(const Matrix& s) {
    Matrix p = s;
    for (auto& row : p) {
        float m = row[0], total = 0.0f;
        for (float v : row) m = std::max(m, v);
        for (float& v : row) total += (v = std::exp(v - m));
        for (float& v : row) v /= total;
    }
    return p;
}

Matrix columns(const Matrix& a, int from, int count) {  // a[:, from : from + count]
    Matrix c;
    for (const auto& row : a) c.emplace_back(row.begin() + from, row.begin() + from + count);
    return c;
}

void print(const char* name, const Matrix& m, const std::vector<std::string>& rows) {
    std::printf("%s\n", name);
    for (size_t i = 0; i < m.size(); ++i) {
        std::printf("  %-6s", rows[i].c_str());
        for (float v : m[i]) std::printf(" %8.4f", v);
        std::printf("\n");
    }
}

Tensor to_tensor(const Matrix& m) {
    std::vector<float> v;
    for (const auto& row : m) v.insert(v.end(), row.begin(), row.end());
    return tensor(v, {int(m.size()), int(m[0].size())});
}

// Largest |a - b| between a Matrix and the rows × cols block of a tensor starting at `offset`.
float max_diff(const Matrix& a, const Tensor& b, size_t offset = 0) {
    float d = 0.0f;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = 0; j < a[i].size(); ++j)
            d = std::max(d, std::abs(a[i][j] - b.data()[offset + i * a[i].size() + j]));
    return d;
}

// ---- 3. why √d ----------------------------------------------------------------------------------

struct SoftmaxHealth {
    double entropy = 0.0;        // mean over rows, in nats (log 32 = 3.47 is uniform over 32 keys)
    double gradient_norm = 0.0;  // mean over rows of ‖∂L/∂scores‖ for L = Σ r ⊙ softmax(scores)
};

// 256 queries against 32 keys, every entry of q and k drawn from N(0, 1): q·k has variance d.
SoftmaxHealth softmax_health(int d, bool scaled, Rng& rng) {
    const int queries = 256, keys = 32;
    const Tensor q = randn({queries, d}, rng), k = randn({keys, d}, rng), r = randn({queries, keys}, rng);
    Tensor scores = matmul(q, transpose(k, 0, 1)) * (scaled ? 1.0f / std::sqrt(float(d)) : 1.0f);
    scores = scores.detach().requires_grad_();  // a leaf, so its gradient is kept
    const Tensor p = softmax(scores, 1);
    sum(p * r).backward();
    SoftmaxHealth h;
    for (int i = 0; i < queries; ++i) {
        double norm2 = 0.0;
        for (int j = 0; j < keys; ++j) {
            const double pij = p.data()[i * keys + j], g = scores.grad_data()[i * keys + j];
            if (pij > 0.0) h.entropy -= pij * std::log(pij);
            norm2 += g * g;
        }
        h.gradient_norm += std::sqrt(norm2);
    }
    h.entropy /= queries;
    h.gradient_norm /= queries;
    return h;
}

// ---- 4. Nadaraya–Watson kernel regression --------------------------------------------------------

float truth(float x) { return 2.0f * std::sin(x) + std::pow(x, 0.8f); }

// f(x) = Σ_i softmax_i(-((x - x_i)·w)² / 2) · y_i: the query x, the keys x_i, the values y_i.
// mask [Q, N] (1 = hidden) lets a training point not read its own value (leave-one-out).
nn::AttentionOutput nadaraya_watson(const Tensor& queries, const Tensor& keys, const Tensor& values,
                                    const Tensor& w, const Tensor& mask = Tensor()) {
    const Tensor diff = unsqueeze(queries, 1) - unsqueeze(keys, 0);  // [Q, N]
    const Tensor scores = -0.5f * pow(diff * w, 2.0f);
    const Tensor weights = nn::masked_softmax(scores, mask);
    return {matmul(weights, unsqueeze(values, 1)), weights};  // [Q, 1]
}

float mse(const Tensor& prediction, const std::vector<float>& target) {
    double s = 0.0;
    for (size_t i = 0; i < target.size(); ++i) s += std::pow(prediction.data()[i] - target[i], 2);
    return float(s / double(target.size()));
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("14_attention_by_hand", "attention by hand: Q, K, V, softmax(QKᵀ/√d)·V, why √d, soft lookup");
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const std::string plots = opt.plots_dir + "/14_";
    Report report;
    report.set("lesson", info.name);
    bool all_ok = true;
    auto require = [&](bool ok, const char* what) {
        std::printf("  %s %s\n", ok ? "✓" : "✗ FAILED:", what);
        all_ok = all_ok && ok;
    };

    // ---- 1. One self-attention by hand ------------------------------------------------------------
    const std::vector<std::string> tokens = {"the", "cat", "sat", "down"};
    const Matrix X = {{1.0f, 0.0f, 1.0f, 0.0f},    // the
                      {0.0f, 2.0f, 0.0f, 1.0f},    // cat
                      {1.0f, 1.0f, 0.0f, 0.0f},    // sat
                      {0.0f, 0.0f, 1.0f, 2.0f}};   // down
    const Matrix W_q = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}};
    const Matrix W_k = {{0, 1, 0, 0}, {1, 0, 0, 1}, {0, 0, 1, 0}, {0, 1, 1, 0}};
    const Matrix W_v = {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 1}};
    const int d = 4;
    std::printf("== 1. self-attention by hand: %zu tokens, d = %d ==\n", tokens.size(), d);
    print("X (one embedding per row)", X, tokens);
    const Matrix Q = matmul_by_hand(X, W_q), K = matmul_by_hand(X, W_k), V = matmul_by_hand(X, W_v);
    print("Q = X·W_q", Q, tokens);
    print("K = X·W_k", K, tokens);
    print("V = X·W_v", V, tokens);
    Matrix S = matmul_by_hand(Q, transpose_by_hand(K));
    print("Q·Kᵀ (row i, column j: how well query i matches key j)", S, tokens);
    for (auto& row : S)
        for (float& v : row) v /= std::sqrt(float(d));
    print("Q·Kᵀ / √4", S, tokens);
    const Matrix A = softmax_rows_by_hand(S);
    print("A = softmax of each row (each row sums to 1)", A, tokens);
    const Matrix Z = matmul_by_hand(A, V);
    print("Z = A·V (each token's output: a weighted sum of the value rows)", Z, tokens);

    // One weight, dimension by dimension (bertviz's "neuron view"): cat's query against down's key.
    const plot::NeuronView neuron = plot::neuron_view(plots + "neuron_view", Q[1], K, tokens, "cat", 3);
    std::cout << "\n" << neuron.terminal;
    float neuron_diff = 0.0f;
    for (size_t j = 0; j < tokens.size(); ++j) neuron_diff = std::max(neuron_diff, std::abs(neuron.weights[j] - A[1][j]));
    require(neuron_diff < 1e-6f, "plot::neuron_view's softmax row equals row \"cat\" of A");

    // The same through the library.
    const Tensor x = unsqueeze(to_tensor(X), 0);  // [1, 4, 4]
    const Tensor q = matmul(x, to_tensor(W_q)), k = matmul(x, to_tensor(W_k)), v = matmul(x, to_tensor(W_v));
    const nn::AttentionOutput sdpa = nn::scaled_dot_product_attention(q, k, v);
    const float sdpa_diff = std::max(max_diff(A, sdpa.weights), max_diff(Z, sdpa.context));
    std::printf("\nnn::scaled_dot_product_attention on the same Q, K, V: largest difference %.2g\n", sdpa_diff);
    require(sdpa_diff < 1e-5f, "the loops and scaled_dot_product_attention agree");

    // MultiheadAttention, 2 heads of 2 dims: PyTorch's layout computes q = x·in_proj_weight[0:4]ᵀ,
    // so in_proj_weight holds W_qᵀ, W_kᵀ, W_vᵀ; out_proj is set to the identity to see the heads' concat.
    nn::MultiheadAttention mha(d, 2);
    for (int which = 0; which < 3; ++which) {
        const Matrix& W = which == 0 ? W_q : which == 1 ? W_k : W_v;
        for (int r = 0; r < d; ++r)
            for (int c = 0; c < d; ++c) mha.in_proj_weight.data()[(which * d + r) * d + c] = W[size_t(c)][size_t(r)];
    }
    for (size_t i = 0; i < mha.in_proj_bias.numel(); ++i) mha.in_proj_bias.data()[i] = 0.0f;
    for (int r = 0; r < d; ++r)
        for (int c = 0; c < d; ++c) mha.out_proj.weight.data()[r * d + c] = r == c ? 1.0f : 0.0f;
    for (int r = 0; r < d; ++r) mha.out_proj.bias.data()[r] = 0.0f;
    const nn::AttentionOutput multi = mha.forward(x, x, x);  // weights [1, 2, 4, 4]
    float mha_diff = 0.0f;
    Matrix concat_heads(tokens.size());
    for (int h = 0; h < 2; ++h) {
        // Head h sees only columns 2h, 2h+1 of Q, K and V, and divides by √2, its own width.
        const Matrix Qh = columns(Q, 2 * h, 2), Kh = columns(K, 2 * h, 2), Vh = columns(V, 2 * h, 2);
        Matrix Sh = matmul_by_hand(Qh, transpose_by_hand(Kh));
        for (auto& row : Sh)
            for (float& s : row) s /= std::sqrt(2.0f);
        const Matrix Ah = softmax_rows_by_hand(Sh), Zh = matmul_by_hand(Ah, Vh);
        std::printf("\nhead %d reads columns %d..%d of Q, K, V and divides by √2:\n", h + 1, 2 * h, 2 * h + 1);
        print("  its weights A_h", Ah, tokens);
        mha_diff = std::max(mha_diff, max_diff(Ah, multi.weights, size_t(h) * 16));
        for (size_t i = 0; i < tokens.size(); ++i) concat_heads[i].insert(concat_heads[i].end(), Zh[i].begin(), Zh[i].end());
    }
    print("\nconcat(head 1, head 2) · W_O (= identity here)", concat_heads, tokens);
    mha_diff = std::max(mha_diff, max_diff(concat_heads, multi.context));
    std::printf("nn::MultiheadAttention(4, 2) with these weights: largest difference %.2g\n", mha_diff);
    require(mha_diff < 1e-5f, "the per-head loops and MultiheadAttention agree");

    // The whole computation, differentiated: X and the three projections.
    const auto whole = [](const std::vector<Tensor>& in) {
        return nn::scaled_dot_product_attention(matmul(in[0], in[1]), matmul(in[0], in[2]), matmul(in[0], in[3])).context;
    };
    std::vector<Tensor> inputs = {x.detach(), to_tensor(W_q), to_tensor(W_k), to_tensor(W_v)};
    for (Tensor& t : inputs) t.requires_grad_();
    const GradcheckResult gc = gradcheck(whole, inputs);
    const GradcheckResult gc_mha =
        gradcheck([&](const std::vector<Tensor>& in) { return mha.forward(in[0], in[0], in[0]).context; },
                  {x.detach().requires_grad_()});
    std::printf("gradcheck of softmax(XW_q (XW_k)ᵀ/√d)·XW_v in X, W_q, W_k, W_v: largest error %.2g; "
                "of MultiheadAttention in X: %.2g\n",
                gc.max_abs_error, gc_mha.max_abs_error);
    require(gc.ok && gc_mha.ok, "autograd's gradients match finite differences");
    report.set("by_hand_vs_sdpa_max_diff", sdpa_diff);
    report.set("by_hand_vs_multihead_max_diff", mha_diff);
    report.set("gradcheck_max_error", std::max(gc.max_abs_error, gc_mha.max_abs_error));

    // ---- 2. No order, and masks ---------------------------------------------------------------------
    std::printf("\n== 2. attention has no idea of order; a mask means exactly 0 ==\n");
    const std::vector<int> perm = {2, 0, 3, 1};  // the keys (and values) in the order sat, the, down, cat
    const nn::AttentionOutput shuffled =
        nn::scaled_dot_product_attention(q, index_select(k, 1, perm), index_select(v, 1, perm));
    float perm_diff = 0.0f;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            perm_diff = std::max(perm_diff, std::abs(shuffled.weights.at({0, i, j}) - A[size_t(i)][size_t(perm[size_t(j)])]));
    perm_diff = std::max(perm_diff, max_diff(Z, shuffled.context));
    std::printf("keys and values shuffled to (sat, the, down, cat): the weights shuffle the same way and every "
                "output is unchanged (largest difference %.2g)\n", perm_diff);
    require(perm_diff < 1e-5f, "permuting the keys permutes the weights: without positions, order is invisible");
    const Tensor mask = tensor({0, 0, 0, 1}, {1, 1, 4});  // hide "down" (a padding token, say)
    const nn::AttentionOutput masked = nn::scaled_dot_product_attention(q, k, v, mask);
    float on_masked = 0.0f;
    for (int i = 0; i < 4; ++i) on_masked = std::max(on_masked, masked.weights.at({0, i, 3}));
    std::printf("with \"down\" masked, the largest weight on it is %g; \"the\" now reads %.4f %.4f %.4f %.4f\n",
                double(on_masked), masked.weights.at({0, 0, 0}), masked.weights.at({0, 0, 1}),
                masked.weights.at({0, 0, 2}), masked.weights.at({0, 0, 3}));
    require(on_masked == 0.0f, "a masked key gets exactly zero weight (its score is -inf before the softmax)");
    report.set("permutation_max_diff", perm_diff);
    report.set("masked_weight_max", on_masked);

    // ---- 3. Why √d ------------------------------------------------------------------------------------
    std::printf("\n== 3. why divide by √d: q·k of random unit-variance vectors has variance d ==\n");
    std::printf("     d   entropy scaled  unscaled   ‖∂L/∂s‖ scaled  unscaled   (uniform over 32 keys: %.2f nats)\n",
                std::log(32.0));
    Rng rng(opt.seed);
    plot::Series ent_s{"entropy, ÷√d", {}, {}}, ent_u{"entropy, not scaled", {}, {}};
    plot::Series grad_s{"gradient norm, ÷√d", {}, {}}, grad_u{"gradient norm, not scaled", {}, {}};
    SoftmaxHealth last_s, last_u;
    for (int dim = 4; dim <= 512; dim *= 2) {
        last_s = softmax_health(dim, true, rng);
        last_u = softmax_health(dim, false, rng);
        std::printf("  %4d   %12.3f  %8.3f   %14.4f  %8.4f\n", dim, last_s.entropy, last_u.entropy,
                    last_s.gradient_norm, last_u.gradient_norm);
        for (auto* s : {&ent_s, &ent_u, &grad_s, &grad_u}) s->x.push_back(std::log2(float(dim)));
        ent_s.y.push_back(float(last_s.entropy));
        ent_u.y.push_back(float(last_u.entropy));
        grad_s.y.push_back(float(last_s.gradient_norm));
        grad_u.y.push_back(float(last_u.gradient_norm));
    }
    std::cout << plot::line_curves(plots + "sqrt_d", {ent_s, ent_u, grad_s, grad_u},
                                   {.title = "softmax over 32 keys: entropy (nats) and gradient norm, with and without ÷√d",
                                    .x_label = "log2 d (d = 4 ... 512)", .y_label = "value (log scale)", .log_y = true,
                                    .key_above = true});
    require(last_u.entropy < 0.5 * last_s.entropy && last_u.gradient_norm < 0.5 * last_s.gradient_norm,
            "at d = 512, without ÷√d the softmax is nearly one-hot and its gradient vanishes");
    report.set("entropy_scaled_d512", last_s.entropy);
    report.set("entropy_unscaled_d512", last_u.entropy);
    report.set("gradient_norm_scaled_d512", last_s.gradient_norm);
    report.set("gradient_norm_unscaled_d512", last_u.gradient_norm);

    // ---- 4. Attention as a soft lookup: Nadaraya–Watson -------------------------------------------
    std::printf("\n== 4. Nadaraya–Watson: predict y at x by attending over 50 noisy training points ==\n");
    const int n = 50;
    std::vector<float> xs(n), ys(n), xt, yt;
    for (float& xi : xs) xi = rng.uniform(0.0f, 5.0f);
    std::sort(xs.begin(), xs.end());
    for (int i = 0; i < n; ++i) ys[size_t(i)] = truth(xs[size_t(i)]) + rng.normal(0.0f, 0.5f);
    for (int i = 0; i < 50; ++i) xt.push_back(0.05f + 0.1f * float(i)), yt.push_back(truth(xt.back()));
    const Tensor keys = tensor(xs, {n}), values = tensor(ys, {n}), queries = tensor(xt, {int(xt.size())});
    double mean_y = 0.0;
    for (float y : ys) mean_y += y;
    mean_y /= n;
    const float mse_average = mse(full({int(xt.size())}, float(mean_y)), yt);
    const nn::AttentionOutput fixed = nadaraya_watson(queries, keys, values, scalar(1.0f));
    const float mse_fixed = mse(fixed.context, yt);
    // Learn w: each training point predicts its own y from the OTHER points (its own key masked).
    Tensor w = scalar(1.0f).requires_grad_();
    optim::Adam adam({w}, 0.05);
    Tensor self_mask = zeros({n, n});
    for (int i = 0; i < n; ++i) self_mask.data()[i * n + i] = 1.0f;
    const int steps = opt.quick ? 100 : 300;
    for (int step = 0; step < steps; ++step) {
        adam.zero_grad();
        const Tensor pred = nadaraya_watson(keys, keys, values, w, self_mask).context;
        mean(pow(reshape(pred, {n}) - values, 2.0f)).backward();
        adam.step();
    }
    const nn::AttentionOutput learned = nadaraya_watson(queries, keys, values, w.detach());
    const float mse_learned = mse(learned.context, yt);
    std::printf("test MSE against the true curve 2·sin(x) + x^0.8 at 50 points:\n"
                "  average pooling (every point weight 1/50)       %.4f\n"
                "  fixed Gaussian kernel, width w = 1              %.4f\n"
                "  learned width (leave-one-out, %d Adam steps): w = %.2f   %.4f\n",
                mse_average, mse_fixed, steps, w.item(), mse_learned);
    require(mse_average > mse_fixed && mse_fixed > mse_learned, "average > fixed kernel > learned kernel (test MSE)");
    std::vector<std::string> train_labels, test_labels;
    char buf[16];
    for (float xi : xs) std::snprintf(buf, sizeof buf, "%.2f", xi), train_labels.push_back(buf);
    Matrix heat;
    for (size_t i = 0; i < xt.size(); i += 2) {
        std::snprintf(buf, sizeof buf, "%.2f", xt[i]);
        test_labels.push_back(buf);
        heat.emplace_back(learned.weights.data() + i * n, learned.weights.data() + (i + 1) * n);
    }
    plot::attention_heatmap(plots + "nadaraya_watson", heat, train_labels, test_labels,
                            {.title = "Nadaraya-Watson, learned width: each test x (row) attends to the training x (columns)",
                             .vmax = -1.0f, .x_label = "training points x_i (the keys)", .y_label = "test point x (the query)"});
    report.set("mse_average_pooling", mse_average);
    report.set("mse_fixed_kernel", mse_fixed);
    report.set("mse_learned_kernel", mse_learned);
    report.set("learned_width", w.item());

    // ---- 5. Positions: the sinusoidal encoding -----------------------------------------------------------
    const nn::PositionalEncoding pe(64, 40);
    Matrix shifted(40, std::vector<float>(64));
    std::vector<std::string> pos_labels, dim_labels;
    for (int p = 0; p < 40; ++p) {
        pos_labels.push_back(std::to_string(p));
        for (int i = 0; i < 64; ++i) shifted[size_t(p)][size_t(i)] = pe.pe.data()[p * 64 + i] + 1.0f;
    }
    for (int i = 0; i < 64; ++i) dim_labels.push_back(i % 8 == 0 ? std::to_string(i) : "");
    plot::attention_heatmap(plots + "positional_encoding", shifted, dim_labels, pos_labels,
                            {.title = "sinusoidal positional encoding, d_model 64, shown as PE + 1 (white -1, dark +1)",
                             .vmax = 2.0f, .x_label = "dimension i (even: sin, odd: cos)", .y_label = "position"});
    std::printf("\n== 5. positional encoding: PE(pos, 2i) = sin(pos/10000^(2i/64)), PE(pos, 2i+1) = cos(...) ==\n"
                "position 1, dims 0..3: %.4f %.4f %.4f %.4f\n", pe.pe.data()[64], pe.pe.data()[65], pe.pe.data()[66],
                pe.pe.data()[67]);

    std::printf("\nfigures: %sneuron_view.png, %ssqrt_d.png, %snadaraya_watson.png, %spositional_encoding.png\n",
                plots.c_str(), plots.c_str(), plots.c_str(), plots.c_str());
    report.set("all_checks_passed", all_ok ? 1.0 : 0.0);
    report.write(opt.report);
    if (!all_ok) std::fprintf(stderr, "14_attention_by_hand: a check failed (marked ✗ above)\n");
    return all_ok ? 0 : 1;
}
