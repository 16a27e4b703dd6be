// shape_ops.cpp — ops that move numbers around without changing them.
//
// Most are a *gather*: out[i] = a[source(i)] for an index map `source`. The backward rule
// of every gather is the matching scatter-add: dL/da[source(i)] += dL/dout[i].
//
// permute and narrow read `a` through a strided view: the output element at coordinates
// (i_0, ..., i_{r-1}) comes from a[offset + Σ_d i_d·stride[d]]. A permute reorders a's strides,
// a narrow keeps them and moves the offset to the slice's start. Walking the view row by row
// (the last dim is one plain loop) computes source(i) on the fly, so no index vector of
// numel entries is built, stored in the graph and read back.
#include <numeric>

#include "tinyattn/autograd.hpp"
#include "tinyattn/kernels/memory.hpp"  // make_empty_result, grad_data_fresh
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

namespace {
struct StridedView {
    Shape shape;                 // the output's shape
    std::vector<size_t> stride;  // how far a step along each output dim moves in a's data
    size_t offset = 0;           // where output element 0 is read
};

// Calls row(out_at, in_at, n, step) for every row of the output's last dim: output elements
// out_at .. out_at+n-1 read a[in_at], a[in_at + step], ..., a[in_at + (n-1)·step].
template <class RowFn>
void for_each_row(const StridedView& v, RowFn row) {
    const size_t numel = shape_numel(v.shape);
    if (numel == 0) return;
    if (v.shape.empty()) return row(size_t(0), v.offset, size_t(1), size_t(1));
    const size_t rank = v.shape.size(), n = size_t(v.shape.back()), step = v.stride.back();
    std::vector<int> coord(rank - 1, 0);  // odometer over the outer coordinates
    size_t from = v.offset;
    for (size_t out_at = 0; out_at < numel; out_at += n) {
        row(out_at, from, n, step);
        for (size_t d = rank - 1; d-- > 0;) {
            from += v.stride[d];
            if (++coord[d] < v.shape[d]) break;
            from -= v.stride[d] * size_t(v.shape[d]);
            coord[d] = 0;
        }
    }
}

// for_each_row with the threads sharing the first dim, for big views. A view never reads one
// element of `a` twice (permute reorders, narrow and select cut), so the scatter-add of the
// backward pass writes a different place for every element too, and may be shared the same way.
template <class RowFn>
void for_each_row_shared(const StridedView& v, RowFn row) {
    if (v.shape.size() < 2) return for_each_row(v, row);
    const size_t per_index = shape_numel(v.shape) / std::max<size_t>(size_t(v.shape[0]), 1);
    parallel_for(size_t(v.shape[0]), per_index, [&](size_t first, size_t last) {
        StridedView part = v;  // indices [first, last) of dim 0
        part.shape[0] = int(last - first);
        part.offset = v.offset + first * v.stride[0];
        const size_t out_start = first * per_index;
        for_each_row(part, [&](size_t o, size_t i, size_t n, size_t step) { row(out_start + o, i, n, step); });
    });
}

// out[i] = a[source(i)] through the view:  dL/da[source(i)] += dL/dout[i]
Tensor gather(const char* name, const Tensor& a, StridedView view) {
    Tensor out = make_empty_result(view.shape, name, {a});
    const float* x = a.data();
    float* y = out.data();
    for_each_row_shared(view, [x, y](size_t o, size_t i, size_t n, size_t step) {
        if (step == 1) std::copy(x + i, x + i + n, y + o);  // a contiguous row: one block copy
        else for (size_t k = 0; k < n; ++k) y[o + k] = x[i + k * step];
    });
    if (out.requires_grad())
        set_backward(out, [a, view = std::move(view)](const Node& node) {
            float* ga = a.grad_data();
            const float* g = node.grad.data();
            for_each_row_shared(view, [ga, g](size_t o, size_t i, size_t n, size_t step) {
                if (step == 1)
#pragma omp simd
                    for (size_t k = 0; k < n; ++k) ga[i + k] += g[o + k];
                else
                    for (size_t k = 0; k < n; ++k) ga[i + k * step] += g[o + k];
            });
        });
    return out;
}

// Row-major strides: how far apart consecutive entries of each dim are.
std::vector<size_t> strides_of(const Shape& s) {
    std::vector<size_t> st(s.size(), 1);
    for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * size_t(s[d]);
    return st;
}
}  // namespace

// Same numbers, new shape:  dL/da = dL/dout read in a's shape
Tensor reshape(const Tensor& a, const Shape& shape) {
    check_defined("reshape", a);
    Shape target = shape;
    int infer = -1;
    size_t known = 1;
    for (size_t d = 0; d < target.size(); ++d) {
        if (target[d] == -1) {
            if (infer >= 0) throw std::invalid_argument("reshape: only one dim can be -1, got " + shape_str(shape));
            infer = int(d);
        } else {
            known *= size_t(target[d]);
        }
    }
    if (infer >= 0 && known > 0 && a.numel() % known == 0) target[size_t(infer)] = int(a.numel() / known);
    if (shape_numel(target) != a.numel() || (infer >= 0 && known == 0))
        throw std::invalid_argument("reshape: cannot view shape " + shape_str(a.shape()) + " (" +
                                    std::to_string(a.numel()) + " elements) as " + shape_str(shape));
    Tensor out = make_empty_result(target, "reshape", {a});
    const float* x = a.data();
    float* y = out.data();
    parallel_for(a.numel(), 1, [=](size_t begin, size_t end) { std::copy(x + begin, x + end, y + begin); });
    if (out.requires_grad())
        set_backward(out, [a](const Node& node) {  // dL/da = dL/dout, element for element
            bool fresh;
            float* ga = grad_data_fresh(a, fresh);
            const float* g = node.grad.data();
            parallel_for(node.grad.size(), 1, [=](size_t begin, size_t end) {
#pragma omp simd
                for (size_t i = begin; i < end; ++i) add_or_store(ga[i], g[i], fresh);
            });
        });
    return out;
}

// out[..., i_d, ...] = a[..., i_dims[d], ...] — reorder dims.  Backward: the inverse reorder.
Tensor permute(const Tensor& a, const std::vector<int>& dims) {
    check_defined("permute", a);
    const Shape& in = a.shape();
    std::string dims_str = "(";
    for (size_t i = 0; i < dims.size(); ++i) dims_str += (i ? ", " : "") + std::to_string(dims[i]);
    dims_str += ")";
    if (dims.size() != in.size())
        throw std::invalid_argument("permute: " + dims_str + " does not list every dim of " + shape_str(in));
    std::vector<int> perm(dims.size());
    std::vector<bool> seen(dims.size(), false);
    for (size_t i = 0; i < dims.size(); ++i) {
        perm[i] = normalize_dim("permute", dims[i], a.dim(), in);
        if (seen[size_t(perm[i])]) throw std::invalid_argument("permute: repeated dim in " + dims_str);
        seen[size_t(perm[i])] = true;
    }
    // Output dim i is a's dim perm[i]: same size, same stride in a's data.
    const std::vector<size_t> in_stride = strides_of(in);
    StridedView view;
    for (size_t i = 0; i < perm.size(); ++i) {
        view.shape.push_back(in[size_t(perm[i])]);
        view.stride.push_back(in_stride[size_t(perm[i])]);
    }
    return gather("permute", a, std::move(view));
}

Tensor transpose(const Tensor& a, int dim0, int dim1) {
    check_defined("transpose", a);
    std::vector<int> dims(size_t(a.dim()));
    std::iota(dims.begin(), dims.end(), 0);
    std::swap(dims[size_t(normalize_dim("transpose", dim0, a.dim(), a.shape()))],
              dims[size_t(normalize_dim("transpose", dim1, a.dim(), a.shape()))]);
    return permute(a, dims);
}

// Entries [start, start+length) along dim.  Backward: the gradient lands back in that slice.
Tensor narrow(const Tensor& a, int dim, int start, int length) {
    check_defined("narrow", a);
    const int d = normalize_dim("narrow", dim, a.dim(), a.shape());
    const int n = a.shape()[size_t(d)];
    if (start < 0 || length < 0 || start + length > n)
        throw std::out_of_range("narrow: range [" + std::to_string(start) + ", " + std::to_string(start + length) +
                                ") out of bounds for dim " + std::to_string(dim) + " of shape " + shape_str(a.shape()));
    // a's strides, dim d shortened to `length`, reading from index `start` of dim d.
    StridedView view{a.shape(), strides_of(a.shape()), 0};
    view.shape[size_t(d)] = length;
    view.offset = size_t(start) * view.stride[size_t(d)];
    return gather("narrow", a, std::move(view));
}

// One index along dim, that dim removed: a[:, index] for dim 1.
Tensor select(const Tensor& a, int dim, int index) {
    check_defined("select", a);
    const int d = normalize_dim("select", dim, a.dim(), a.shape());
    const int n = a.shape()[size_t(d)];
    if (index < -n || index >= n)
        throw std::out_of_range("select: index " + std::to_string(index) + " out of range for dim " +
                                std::to_string(dim) + " of shape " + shape_str(a.shape()));
    // One gather through a's strides with dim d dropped (not narrow then squeeze: that copied
    // twice, and an LSTM selects every time step of its input this way).
    StridedView view{a.shape(), strides_of(a.shape()), 0};
    view.offset = size_t(index < 0 ? index + n : index) * view.stride[size_t(d)];
    view.shape.erase(view.shape.begin() + d);
    view.stride.erase(view.stride.begin() + d);
    return gather("select", a, std::move(view));
}

Tensor unsqueeze(const Tensor& a, int dim) {
    check_defined("unsqueeze", a);
    const int d = normalize_dim("unsqueeze", dim, a.dim() + 1, a.shape());
    Shape shape = a.shape();
    shape.insert(shape.begin() + d, 1);
    return reshape(a, shape);
}

Tensor squeeze(const Tensor& a, int dim) {
    check_defined("squeeze", a);
    const int d = normalize_dim("squeeze", dim, a.dim(), a.shape());
    if (a.shape()[size_t(d)] != 1)
        throw std::invalid_argument("squeeze: dim " + std::to_string(dim) + " of shape " + shape_str(a.shape()) +
                                    " has size " + std::to_string(a.shape()[size_t(d)]) + ", not 1");
    Shape shape = a.shape();
    shape.erase(shape.begin() + d);
    return reshape(a, shape);
}

// Join along an existing dim.  Backward: each input gets its own slice of the gradient.
Tensor concat(const std::vector<Tensor>& tensors, int dim) {
    if (tensors.empty()) throw std::invalid_argument("concat: needs at least one tensor");
    for (const Tensor& t : tensors) check_defined("concat", t);
    const Tensor& first = tensors[0];
    const int d = normalize_dim("concat", dim, first.dim(), first.shape());
    Shape shape = first.shape();
    shape[size_t(d)] = 0;
    for (const Tensor& t : tensors) {
        bool fits = t.dim() == first.dim();
        for (int k = 0; fits && k < first.dim(); ++k) fits = k == d || t.shape()[size_t(k)] == first.shape()[size_t(k)];
        if (!fits) {
            std::string all;
            for (size_t i = 0; i < tensors.size(); ++i) all += (i ? ", " : "") + shape_str(tensors[i].shape());
            throw std::invalid_argument("concat: shapes differ outside dim " + std::to_string(dim) + ": " + all);
        }
        shape[size_t(d)] += t.shape()[size_t(d)];
    }
    size_t outer = 1, inner = 1;
    for (int k = 0; k < d; ++k) outer *= size_t(shape[size_t(k)]);
    for (size_t k = size_t(d) + 1; k < shape.size(); ++k) inner *= size_t(shape[k]);
    Tensor out = make_empty_result(shape, "concat", tensors);
    const size_t row = size_t(shape[size_t(d)]) * inner;  // one outer slice of the output
    size_t offset = 0;                                     // where this input starts inside a row
    for (const Tensor& t : tensors) {
        const size_t chunk = size_t(t.shape()[size_t(d)]) * inner;
        for (size_t o = 0; o < outer; ++o)
            std::copy(t.data() + o * chunk, t.data() + (o + 1) * chunk, out.data() + o * row + offset);
        offset += chunk;
    }
    if (out.requires_grad())
        set_backward(out, [tensors, outer, inner, row, d](const Node& node) {
            size_t offset = 0;
            for (const Tensor& t : tensors) {
                const size_t chunk = size_t(t.shape()[size_t(d)]) * inner;
                if (t.requires_grad()) {  // its slice covers all of t: a fresh buffer is stored into
                    bool fresh;
                    float* gt = grad_data_fresh(t, fresh);
                    const float* g = node.grad.data() + offset;
                    for (size_t o = 0; o < outer; ++o)
#pragma omp simd
                        for (size_t i = 0; i < chunk; ++i) add_or_store(gt[o * chunk + i], g[o * row + i], fresh);
                }
                offset += chunk;
            }
        });
    return out;
}

// Join along a new dim: stack([a, b], 0) of two [3] tensors is [2, 3].
Tensor stack(const std::vector<Tensor>& tensors, int dim) {
    if (tensors.empty()) throw std::invalid_argument("stack: needs at least one tensor");
    std::vector<Tensor> expanded;
    expanded.reserve(tensors.size());
    for (const Tensor& t : tensors) {
        check_defined("stack", t);
        if (t.shape() != tensors[0].shape())
            throw std::invalid_argument("stack: all tensors need the same shape, got " + shape_str(tensors[0].shape()) +
                                        " and " + shape_str(t.shape()));
        expanded.push_back(unsqueeze(t, dim));
    }
    return concat(expanded, dim);
}

}  // namespace tinyattn
