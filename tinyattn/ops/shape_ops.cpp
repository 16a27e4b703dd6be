// shape_ops.cpp — ops that move numbers around without changing them.
//
// Most are a *gather*: out[i] = a[source[i]] for an index map `source`. The backward rule
// of every gather is the matching scatter-add: dL/da[source[i]] += dL/dout[i].
#include <numeric>

#include "tinyattn/autograd.hpp"
#include "tinyattn/ops.hpp"

namespace tinyattn {

// out[i] = a[source[i]]:  dL/da[source[i]] += dL/dout[i]
static Tensor gather(const char* name, const Tensor& a, const Shape& shape, std::vector<size_t> source) {
    Tensor out = make_result(shape, name, {a});
    const float* x = a.data();
    float* y = out.data();
    for (size_t i = 0; i < source.size(); ++i) y[i] = x[source[i]];
    if (out.requires_grad())
        set_backward(out, [a, source = std::move(source)](const Node& node) {
            float* ga = a.grad_data();
            for (size_t i = 0; i < source.size(); ++i) ga[source[i]] += node.grad[i];
        });
    return out;
}

// Row-major strides: how far apart consecutive entries of each dim are.
static std::vector<size_t> strides_of(const Shape& s) {
    std::vector<size_t> st(s.size(), 1);
    for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * size_t(s[d]);
    return st;
}

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
    Tensor out = make_result(target, "reshape", {a});
    std::copy(a.data(), a.data() + a.numel(), out.data());
    if (out.requires_grad())
        set_backward(out, [a](const Node& node) {
            float* ga = a.grad_data();
            for (size_t i = 0; i < node.grad.size(); ++i) ga[i] += node.grad[i];
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
    Shape shape(in.size());
    for (size_t i = 0; i < perm.size(); ++i) shape[i] = in[size_t(perm[i])];
    const std::vector<size_t> in_stride = strides_of(in);
    std::vector<size_t> source(a.numel());
    std::vector<int> coord(shape.size(), 0);  // odometer over output coordinates
    size_t from = 0;
    for (size_t i = 0; i < source.size(); ++i) {
        source[i] = from;
        for (size_t d = shape.size(); d-- > 0;) {
            const size_t step = in_stride[size_t(perm[d])];
            from += step;
            if (++coord[d] < shape[d]) break;
            from -= step * size_t(shape[d]);
            coord[d] = 0;
        }
    }
    return gather("permute", a, shape, std::move(source));
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
    Shape shape = a.shape();
    shape[size_t(d)] = length;
    size_t outer = 1, inner = 1;
    for (int k = 0; k < d; ++k) outer *= size_t(a.shape()[size_t(k)]);
    for (size_t k = size_t(d) + 1; k < shape.size(); ++k) inner *= size_t(shape[k]);
    std::vector<size_t> source;
    source.reserve(outer * size_t(length) * inner);
    for (size_t o = 0; o < outer; ++o)
        for (int k = start; k < start + length; ++k)
            for (size_t i = 0; i < inner; ++i) source.push_back((o * size_t(n) + size_t(k)) * inner + i);
    return gather("narrow", a, shape, std::move(source));
}

// One index along dim, that dim removed: a[:, index] for dim 1.
Tensor select(const Tensor& a, int dim, int index) {
    check_defined("select", a);
    const int d = normalize_dim("select", dim, a.dim(), a.shape());
    const int n = a.shape()[size_t(d)];
    if (index < -n || index >= n)
        throw std::out_of_range("select: index " + std::to_string(index) + " out of range for dim " +
                                std::to_string(dim) + " of shape " + shape_str(a.shape()));
    return squeeze(narrow(a, d, index < 0 ? index + n : index, 1), d);
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
    Tensor out = make_result(shape, "concat", tensors);
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
                if (t.requires_grad()) {
                    float* gt = t.grad_data();
                    for (size_t o = 0; o < outer; ++o)
                        for (size_t i = 0; i < chunk; ++i) gt[o * chunk + i] += node.grad[o * row + offset + i];
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
