// conv2d.cpp — the 7-loop convolution and its im2col + gemm twin (see conv2d.hpp).
#include "tinyattn/kernels/conv2d.hpp"

#include <stdexcept>
#include <vector>

#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/kernels/parallel.hpp"

namespace tinyattn {

Conv2dGeometry conv2d_geometry(const char* op, int N, int C, int H, int W, int O, int kh, int kw, int stride,
                               int padding) {
    auto fail = [&](const std::string& why) {
        throw std::invalid_argument(std::string(op) + ": " + why + " (input [" + std::to_string(N) + ", " +
                                    std::to_string(C) + ", " + std::to_string(H) + ", " + std::to_string(W) +
                                    "], kernel " + std::to_string(kh) + "x" + std::to_string(kw) + ", stride " +
                                    std::to_string(stride) + ", padding " + std::to_string(padding) + ")");
    };
    if (stride < 1) fail("stride must be at least 1");
    if (padding < 0) fail("padding must not be negative");
    if (kh < 1 || kw < 1) fail("the kernel must be at least 1x1");
    if (H + 2 * padding < kh || W + 2 * padding < kw) fail("the kernel is larger than the padded input");
    return {N, C, H, W, O, kh, kw, stride, padding, (H + 2 * padding - kh) / stride + 1,
            (W + 2 * padding - kw) / stride + 1};
}

namespace {
// The input value under kernel tap (p, q) of output position (i, j), 0 in the padding.
inline float tap(const Conv2dGeometry& g, const float* plane, int i, int j, int p, int q) {
    const int y = i * g.stride + p - g.padding, x = j * g.stride + q - g.padding;
    return (y < 0 || y >= g.H || x < 0 || x >= g.W) ? 0.0f : plane[y * g.W + x];
}
}  // namespace

// ---- the definition --------------------------------------------------------------------------

void conv2d_forward_reference(const Conv2dGeometry& g, const float* x, const float* w, const float* b, float* y) {
    for (int n = 0; n < g.N; ++n)
        for (int o = 0; o < g.O; ++o)
            for (int i = 0; i < g.Ho; ++i)
                for (int j = 0; j < g.Wo; ++j) {
                    double acc = b ? b[o] : 0.0;
                    for (int c = 0; c < g.C; ++c)
                        for (int p = 0; p < g.kh; ++p)
                            for (int q = 0; q < g.kw; ++q)
                                acc += double(w[((o * g.C + c) * g.kh + p) * g.kw + q]) *
                                       tap(g, x + size_t(n * g.C + c) * g.H * g.W, i, j, p, q);
                    y[((size_t(n) * g.O + o) * g.Ho + i) * g.Wo + j] = float(acc);
                }
}

void conv2d_backward_reference(const Conv2dGeometry& g, const float* x, const float* w, const float* gy, float* gx,
                               float* gw, float* gb) {
    // Sums in double, rounded once at the end: the reference is the exact sum, whatever the size.
    std::vector<double> dx(size_t(g.N) * g.C * g.H * g.W), dw(size_t(g.O) * g.C * g.kh * g.kw), db(size_t(g.O));
    for (int n = 0; n < g.N; ++n)
        for (int o = 0; o < g.O; ++o)
            for (int i = 0; i < g.Ho; ++i)
                for (int j = 0; j < g.Wo; ++j) {
                    const double d = gy[((size_t(n) * g.O + o) * g.Ho + i) * g.Wo + j];
                    db[size_t(o)] += d;  // dL/db[o] = Σ dL/dy[·, o, ·, ·]
                    for (int c = 0; c < g.C; ++c)
                        for (int p = 0; p < g.kh; ++p)
                            for (int q = 0; q < g.kw; ++q) {
                                const int yy = i * g.stride + p - g.padding, xx = j * g.stride + q - g.padding;
                                if (yy < 0 || yy >= g.H || xx < 0 || xx >= g.W) continue;
                                const size_t at = (size_t(n * g.C + c) * g.H + yy) * g.W + xx;
                                const size_t wi = ((size_t(o) * g.C + c) * g.kh + p) * g.kw + q;
                                dx[at] += w[wi] * d;  // dL/dx = Σ w · dL/dy over the outputs it fed
                                dw[wi] += x[at] * d;  // dL/dw = Σ x · dL/dy over the positions it saw
                            }
                }
    for (size_t k = 0; gx && k < dx.size(); ++k) gx[k] += float(dx[k]);
    for (size_t k = 0; gw && k < dw.size(); ++k) gw[k] += float(dw[k]);
    for (size_t k = 0; gb && k < db.size(); ++k) gb[k] += float(db[k]);
}

// ---- im2col + gemm ---------------------------------------------------------------------------

void im2col(const Conv2dGeometry& g, const float* x, float* cols) {
    const size_t P = size_t(g.Ho) * g.Wo, columns = size_t(g.N) * P;
    const size_t rows = size_t(g.C) * g.kh * g.kw;
    // Each row (c, p, q) of cols is written by one thread: the outputs are split, never summed.
    parallel_for(rows, columns, [&](size_t begin, size_t end) {
        for (size_t r = begin; r < end; ++r) {
            const int c = int(r / size_t(g.kh * g.kw)), p = int(r / size_t(g.kw) % size_t(g.kh)), q = int(r % size_t(g.kw));
            float* out = cols + r * columns;
            for (int n = 0; n < g.N; ++n) {
                const float* plane = x + size_t(n * g.C + c) * g.H * g.W;
                for (int i = 0; i < g.Ho; ++i)
                    for (int j = 0; j < g.Wo; ++j) out[(size_t(n) * g.Ho + i) * g.Wo + j] = tap(g, plane, i, j, p, q);
            }
        }
    });
}

void col2im_add(const Conv2dGeometry& g, const float* cols, float* gx) {
    const size_t columns = size_t(g.N) * g.Ho * g.Wo;
    // Plane (n, c) of gx receives only from rows (c, ·, ·) and columns (n, ·, ·): one thread each.
    parallel_for(size_t(g.N) * g.C, size_t(g.kh) * g.kw * g.Ho * g.Wo, [&](size_t begin, size_t end) {
        for (size_t nc = begin; nc < end; ++nc) {
            const int n = int(nc / size_t(g.C)), c = int(nc % size_t(g.C));
            float* plane = gx + nc * g.H * g.W;
            for (int p = 0; p < g.kh; ++p)
                for (int q = 0; q < g.kw; ++q) {
                    const float* row = cols + (size_t(c * g.kh + p) * g.kw + q) * columns + size_t(n) * g.Ho * g.Wo;
                    for (int i = 0; i < g.Ho; ++i) {
                        const int yy = i * g.stride + p - g.padding;
                        if (yy < 0 || yy >= g.H) continue;
                        for (int j = 0; j < g.Wo; ++j) {
                            const int xx = j * g.stride + q - g.padding;
                            if (xx >= 0 && xx < g.W) plane[yy * g.W + xx] += row[i * g.Wo + j];
                        }
                    }
                }
        }
    });
}

void conv2d_forward_gemm(const Conv2dGeometry& g, const float* cols, const float* w, const float* b, float* y,
                         float* tmp) {
    const int K = g.C * g.kh * g.kw, P = g.Ho * g.Wo, columns = g.N * P;
    // tmp [O, N·Ho·Wo] = W [O, K] · cols [K, N·Ho·Wo]
    gemm(false, false, g.O, columns, K, 1.0f, w, K, cols, columns, 0.0f, tmp, columns);
    // y[n, o, :] = tmp[o, n, :] + b[o]  (gemm's rows are channels; NCHW wants images first)
    parallel_for(size_t(g.N) * g.O, size_t(P), [&](size_t begin, size_t end) {
        for (size_t no = begin; no < end; ++no) {
            const int n = int(no / size_t(g.O)), o = int(no % size_t(g.O));
            const float* from = tmp + (size_t(o) * g.N + n) * P;
            float* to = y + no * P;
            const float bias = b ? b[o] : 0.0f;
            for (int k = 0; k < P; ++k) to[k] = from[k] + bias;
        }
    });
}

void conv2d_backward_gemm(const Conv2dGeometry& g, const float* cols, const float* w, const float* gy, float* gx,
                          float* gw, float* gb, float* tmp) {
    const int K = g.C * g.kh * g.kw, P = g.Ho * g.Wo, columns = g.N * P;
    // Gᵀ [O, N·Ho·Wo]: gy's images-first layout turned channels-first, like the forward's tmp.
    std::vector<float> Gt(size_t(g.O) * columns);
    for (int o = 0; o < g.O; ++o)
        for (int n = 0; n < g.N; ++n)
            for (int k = 0; k < P; ++k) Gt[(size_t(o) * g.N + n) * P + k] = gy[(size_t(n) * g.O + o) * P + k];
    if (gb)  // dL/db[o] = Σ_columns Gᵀ[o, ·]
        for (int o = 0; o < g.O; ++o) {
            double acc = 0.0;
            for (int k = 0; k < columns; ++k) acc += Gt[size_t(o) * columns + k];
            gb[o] += float(acc);
        }
    // dL/dW [O, K] += Gᵀ · colsᵀ
    if (gw) gemm(false, true, g.O, K, columns, 1.0f, Gt.data(), columns, cols, columns, 1.0f, gw, K);
    if (gx) {
        // dL/dcols [K, N·Ho·Wo] = Wᵀ · Gᵀ, then each entry goes back where im2col took it from
        gemm(true, false, K, columns, g.O, 1.0f, w, K, Gt.data(), columns, 0.0f, tmp, columns);
        col2im_add(g, tmp, gx);
    }
}

}  // namespace tinyattn
