// autograd.cpp — graph recording, the topological sort and the backward pass.
#include "tinyattn/autograd.hpp"

#include "tinyattn/debug/anomaly.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace tinyattn {

namespace {
thread_local bool g_grad_enabled = true;
}

bool grad_enabled() { return g_grad_enabled; }

NoGrad::NoGrad() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGrad::~NoGrad() { g_grad_enabled = previous_; }

Tensor link_result(std::shared_ptr<Node> node, const char* op, const std::vector<Tensor>& parents) {
    node->op = op;
    if (g_grad_enabled) {
        for (const Tensor& p : parents)
            if (p.requires_grad()) node->requires_grad = true;
        if (node->requires_grad)
            for (const Tensor& p : parents)
                if (p.requires_grad()) node->parents.push_back(p.node_ptr());
    }
    Tensor out(std::move(node));
    if (is_anomaly_enabled()) anomaly_note_result(out, parents);  // NaN/Inf checks (debug/anomaly.hpp)
    return out;
}

Tensor make_result(const Shape& shape, const char* op, const std::vector<Tensor>& parents) {
    auto node = std::make_shared<Node>();
    node->shape = shape;
    node->data.assign(shape_numel(shape), 0.0f);
    return link_result(std::move(node), op, parents);
}
Tensor make_result(const Shape& shape, const char* op, std::initializer_list<Tensor> parents) {
    return make_result(shape, op, std::vector<Tensor>(parents));
}

void set_backward(Tensor& out, BackwardFn rule) {
    if (is_anomaly_enabled()) anomaly_check_pending();  // the op has just filled `out`
    out.node()->backward = std::move(rule);
}

// Order the graph below `root` so that every node appears after all of its parents.
// Iterative depth-first search with an explicit stack: an LSTM unrolled over thousands
// of steps makes a graph far deeper than the call stack could recurse.
static std::vector<Node*> topological_order(Node* root) {
    std::vector<Node*> order;
    std::unordered_set<Node*> visited;
    std::vector<std::pair<Node*, size_t>> stack;  // (node, index of the next parent to visit)
    stack.push_back({root, 0});
    visited.insert(root);
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->parents.size()) {
            Node* parent = node->parents[next++].get();
            if (visited.insert(parent).second) stack.push_back({parent, 0});
        } else {
            order.push_back(node);  // all parents are already in `order`
            stack.pop_back();
        }
    }
    return order;
}

void run_backward(const Tensor& root, const std::vector<float>& grad_output) {
    if (!root.defined()) throw std::invalid_argument("backward: called on an undefined tensor");
    if (!root.requires_grad())
        throw std::invalid_argument("backward: tensor of shape " + shape_str(root.shape()) +
                                    " does not require grad (no parameter or input reaches it)");
    if (grad_output.size() != root.numel())
        throw std::invalid_argument("backward: grad_output has " + std::to_string(grad_output.size()) +
                                    " elements, tensor " + shape_str(root.shape()) + " has " +
                                    std::to_string(root.numel()));
    if (is_anomaly_enabled()) anomaly_check_pending();
    std::vector<Node*> order = topological_order(root.node());
    // Intermediate gradients start from zero on every pass, so calling backward twice on one
    // graph adds exactly twice into the leaves (the leaves are the ones that accumulate).
    // Emptied here, they are zero-filled on first use (Tensor::grad_data), just before the
    // first rule adds into them: zeroing them all up front would write every buffer twice, the
    // first time long before it is needed, when it has left the cache again.
    for (Node* n : order)
        if (n->backward) n->grad.clear();
    Node* r = root.node();
    if (r->grad.size() != r->data.size()) r->grad.assign(r->data.size(), 0.0f);
    for (size_t i = 0; i < grad_output.size(); ++i) r->grad[i] += grad_output[i];
    // Walk from the root back towards the leaves: reverse topological order.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node* n = *it;
        if (!n->backward) continue;  // a leaf: its grad is the result
        if (n->grad.size() != n->data.size()) continue;  // no gradient reached it: nothing to pass on
        n->backward(*n);
        if (is_anomaly_enabled()) anomaly_check_backward(*n);
    }
}

// ---- Tensor::backward: the entry points ------------------------------------------------------

void Tensor::backward() const {
    if (numel() != 1)
        throw std::invalid_argument("backward: needs a one-element loss, got shape " + shape_str(shape()) +
                                    " (pass grad_output for non-scalar tensors)");
    run_backward(*this, {1.0f});
}

void Tensor::backward(const Tensor& grad_output) const {
    check_defined("backward", grad_output);
    if (grad_output.shape() != shape())
        throw std::invalid_argument("backward: grad_output shape " + shape_str(grad_output.shape()) +
                                    " differs from tensor shape " + shape_str(shape()));
    run_backward(*this, grad_output.to_vector());
}

}  // namespace tinyattn
