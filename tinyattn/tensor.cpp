// tensor.cpp — the Tensor handle, factories and printing.
#include "tinyattn/tensor.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "tinyattn/kernels/parallel.hpp"

namespace tinyattn {

// ---- shapes -------------------------------------------------------------------------------
std::string shape_str(const Shape& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

size_t shape_numel(const Shape& shape) {
    size_t n = 1;
    for (int d : shape) n *= size_t(d);
    return n;
}

// ---- nodes --------------------------------------------------------------------------------
static std::atomic<long> g_live_nodes{0};
Node::Node() { ++g_live_nodes; }

// Freeing a graph must not recurse: a node's last reference dying would free its parents,
// whose destructors free theirs, ... — 30,000 unrolled LSTM steps would overflow the stack.
// So a dying node unlinks its ancestors one at a time with an explicit list.
Node::~Node() {
    --g_live_nodes;
    std::vector<std::shared_ptr<Node>> pending = std::move(parents);
    backward = nullptr;  // its captured parent handles; `pending` still keeps those nodes alive
    while (!pending.empty()) {
        std::shared_ptr<Node> node = std::move(pending.back());
        pending.pop_back();
        if (node.use_count() == 1) {  // the last reference: take its parents before it dies
            for (auto& p : node->parents) pending.push_back(std::move(p));
            node->parents.clear();
            node->backward = nullptr;
        }
    }  // each node dies here with no parents left, so its destructor does not recurse
}
long live_node_count() { return g_live_nodes.load(); }

// ---- the handle ---------------------------------------------------------------------------
Tensor::Tensor(std::shared_ptr<Node> node) : node_(std::move(node)) {}

void check_defined(const char* op, const Tensor& t) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": tensor is undefined");
}

const Shape& Tensor::shape() const { check_defined("shape", *this); return node_->shape; }
int Tensor::dim() const { return int(shape().size()); }
size_t Tensor::numel() const { check_defined("numel", *this); return node_->data.size(); }
int Tensor::size(int d) const { return shape()[normalize_dim("size", d, dim(), shape())]; }
float* Tensor::data() { check_defined("data", *this); return node_->data.data(); }
const float* Tensor::data() const { check_defined("data", *this); return node_->data.data(); }
std::vector<float> Tensor::to_vector() const { check_defined("to_vector", *this); return {node_->data.begin(), node_->data.end()}; }

float Tensor::item() const {
    if (numel() != 1)
        throw std::invalid_argument("item: tensor of shape " + shape_str(shape()) +
                                    " has " + std::to_string(numel()) + " elements, not 1");
    return node_->data[0];
}

float Tensor::at(const std::vector<int>& index) const {
    const Shape& s = shape();
    if (index.size() != s.size())
        throw std::out_of_range("at: index has " + std::to_string(index.size()) +
                                " coordinates for a tensor of shape " + shape_str(s));
    size_t flat = 0;
    for (size_t d = 0; d < s.size(); ++d) {
        if (index[d] < 0 || index[d] >= s[d])
            throw std::out_of_range("at: index " + std::to_string(index[d]) + " out of range for dim " +
                                    std::to_string(d) + " of shape " + shape_str(s));
        flat = flat * size_t(s[d]) + size_t(index[d]);
    }
    return node_->data[flat];
}

bool Tensor::requires_grad() const { return node_ && node_->requires_grad; }

Tensor& Tensor::requires_grad_(bool on) {
    check_defined("requires_grad_", *this);
    if (node_->backward)
        throw std::invalid_argument(std::string("requires_grad_: only leaf tensors can be marked; this one was made by ") +
                                    node_->op);
    node_->requires_grad = on;
    return *this;
}

bool Tensor::has_grad() const { return node_ && !node_->grad.empty(); }

Tensor Tensor::grad() const {
    if (!has_grad()) return Tensor();
    return tensor({node_->grad.begin(), node_->grad.end()}, node_->shape);
}

float* Tensor::grad_data() const {
    check_defined("grad_data", *this);
    FloatBuffer& grad = node_->grad;
    if (grad.size() != node_->data.size()) {  // first use: zeros (by all threads, for a big buffer)
        grad.resize(node_->data.size());
        float* g = grad.data();
        parallel_for(grad.size(), 1, [g](size_t begin, size_t end) { std::fill(g + begin, g + end, 0.0f); });
    }
    return grad.data();
}

void Tensor::zero_grad() {
    if (has_grad()) std::fill(node_->grad.begin(), node_->grad.end(), 0.0f);
}

Tensor Tensor::detach() const { return tensor(to_vector(), shape()); }
const char* Tensor::op() const { check_defined("op", *this); return node_->op; }

int normalize_dim(const char* op, int dim, int rank, const Shape& shape) {
    const int d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank)
        throw std::out_of_range(std::string(op) + ": dim " + std::to_string(dim) +
                                " out of range for shape " + shape_str(shape));
    return d;
}

// ---- factories ----------------------------------------------------------------------------
Tensor tensor(const std::vector<float>& values, const Shape& shape) {
    for (int d : shape)
        if (d < 0) throw std::invalid_argument("tensor: negative dimension in shape " + shape_str(shape));
    if (values.size() != shape_numel(shape))
        throw std::invalid_argument("tensor: " + std::to_string(values.size()) +
                                    " values do not fill shape " + shape_str(shape));
    auto node = std::make_shared<Node>();
    node->shape = shape;
    node->data.assign(values.begin(), values.end());
    return Tensor(std::move(node));
}

Tensor scalar(float value) { return tensor({value}, {}); }
Tensor full(const Shape& shape, float value) { return tensor(std::vector<float>(shape_numel(shape), value), shape); }
Tensor zeros(const Shape& shape) { return full(shape, 0.0f); }
Tensor ones(const Shape& shape) { return full(shape, 1.0f); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape()); }

Tensor arange(int n) {
    std::vector<float> v(size_t(n > 0 ? n : 0));
    for (int i = 0; i < n; ++i) v[size_t(i)] = float(i);
    return tensor(v, {n});
}

Tensor uniform(const Shape& shape, float low, float high, Rng& rng) {
    Tensor t = zeros(shape);
    for (size_t i = 0; i < t.numel(); ++i) t.data()[i] = rng.uniform(low, high);
    return t;
}

Tensor rand(const Shape& shape, Rng& rng) { return uniform(shape, 0.0f, 1.0f, rng); }

Tensor randn(const Shape& shape, Rng& rng) {
    Tensor t = zeros(shape);
    for (size_t i = 0; i < t.numel(); ++i) t.data()[i] = rng.normal();
    return t;
}

// ---- printing -----------------------------------------------------------------------------
// Prints nested brackets like PyTorch; long dimensions are elided with "..." after 3 + 3 entries.
static void print_dim(std::ostream& os, const Tensor& t, int d, size_t offset, int indent) {
    const Shape& s = t.shape();
    const int n = s[size_t(d)];
    size_t stride = 1;
    for (size_t k = size_t(d) + 1; k < s.size(); ++k) stride *= size_t(s[k]);
    os << "[";
    for (int i = 0; i < n; ++i) {
        if (n > 8 && i == 3) {
            os << (d + 1 == t.dim() ? "..., " : "...,\n" + std::string(size_t(indent + 1), ' '));
            i = n - 3;
        }
        if (d + 1 == t.dim()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.4f", double(t.data()[offset + size_t(i)]));
            os << buf;
        } else {
            print_dim(os, t, d + 1, offset + size_t(i) * stride, indent + 1);
        }
        if (i + 1 < n) os << (d + 1 == t.dim() ? ", " : ",\n" + std::string(size_t(indent + 1), ' '));
    }
    os << "]";
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
    if (!t.defined()) return os << "tensor(undefined)";
    os << "tensor(";
    if (t.dim() == 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4f", double(t.data()[0]));
        os << buf;
    } else {
        print_dim(os, t, 0, 0, 7);
    }
    os << ", shape=" << shape_str(t.shape());
    if (t.node()->backward) os << ", grad_fn=" << t.op();
    else if (t.requires_grad()) os << ", requires_grad=true";
    return os << ")";
}

}  // namespace tinyattn
