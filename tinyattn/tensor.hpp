// tensor.hpp — the Tensor handle: shape, float32 data, gradient, and the graph it came from.
//
// A Tensor is a cheap handle (a shared_ptr) to a Node. Copying a Tensor copies the handle,
// not the numbers — like a Python variable naming a torch.Tensor. Each Node remembers the
// op that made it, the parent Nodes it was computed from, and a backward function that
// turns the Node's gradient into gradients for its parents (see autograd.hpp).
//
// Data is float32, contiguous and row-major: element [i, j] of a [R, C] tensor lives at
// data[i * C + j]. There are no strided views; reshape/transpose produce new tensors.
#pragma once
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tinyattn/kernels/memory.hpp"  // FloatBuffer: a std::vector<float>, see there
#include "tinyattn/rng.hpp"

namespace tinyattn {

using Shape = std::vector<int>;

std::string shape_str(const Shape& shape);  // "[2, 3]"
size_t shape_numel(const Shape& shape);     // product of the dims (1 for a scalar [])

struct Node;
// A backward rule reads the output node (its data and its grad) and adds into the parents'
// grads. It captures its parents (as Tensors), never its own output: no ownership cycles.
using BackwardFn = std::function<void(const Node& out)>;

struct Node {
    Shape shape;
    FloatBuffer data;
    FloatBuffer grad;                  // empty until a gradient flows here, then data.size()
    bool requires_grad = false;
    const char* op = "leaf";           // the op that produced this node ("leaf" for inputs)
    std::vector<std::shared_ptr<Node>> parents;  // graph edges, for the topological sort
    BackwardFn backward;               // empty for leaves

    Node();
    ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
};

// How many Nodes are alive right now (tests use it to prove graphs are freed).
long live_node_count();

// Bytes held right now by tensor buffers (data and gradients, FloatBuffer), and the most held
// at once since the last reset_tensor_bytes_peak() (counted in kernels/memory.cpp) — PyTorch's torch.cuda.max_memory_allocated
// for our tensors. Lesson 17 reads it to measure the peak memory of a forward + backward pass.
std::size_t tensor_bytes_in_use();
std::size_t tensor_bytes_peak();
void reset_tensor_bytes_peak();  // peak := bytes in use now

class Tensor {
public:
    Tensor() = default;                           // an undefined handle
    explicit Tensor(std::shared_ptr<Node> node);

    bool defined() const { return node_ != nullptr; }
    const Shape& shape() const;
    int dim() const;                              // number of dimensions
    int size(int d) const;                        // size of dim d (negative counts from the end)
    size_t numel() const;

    float* data();
    const float* data() const;
    std::vector<float> to_vector() const;         // a copy of the values
    float item() const;                           // the value of a one-element tensor
    float at(const std::vector<int>& index) const;  // one element, bounds-checked

    // Autograd.
    bool requires_grad() const;
    Tensor& requires_grad_(bool on = true);       // mark a leaf as a parameter/input to differentiate
    bool has_grad() const;                        // has a gradient been accumulated?
    Tensor grad() const;                          // a copy of the gradient (undefined if none)
    float* grad_data() const;                     // the gradient buffer, allocated (zeros) on first use
    void zero_grad();                             // grad = 0 (keeps the buffer)
    void backward() const;                        // from a one-element loss: dL/dL = 1 (autograd.cpp)
    void backward(const Tensor& grad_output) const;  // from any tensor, with a given upstream grad
    Tensor detach() const;                        // same values, new leaf, no history
    const char* op() const;                       // name of the op that made it ("leaf" for inputs)

    Node* node() const { return node_.get(); }
    const std::shared_ptr<Node>& node_ptr() const { return node_; }

private:
    std::shared_ptr<Node> node_;
};

// ---- factories (names as in PyTorch) -------------------------------------------------------
Tensor tensor(const std::vector<float>& values, const Shape& shape);  // values copied, row-major
Tensor scalar(float value);                                           // shape []
Tensor zeros(const Shape& shape);
Tensor ones(const Shape& shape);
Tensor full(const Shape& shape, float value);
Tensor arange(int n);                                                 // [0, 1, ..., n-1]
Tensor rand(const Shape& shape, Rng& rng = global_rng());             // uniform in [0, 1)
Tensor uniform(const Shape& shape, float low, float high, Rng& rng = global_rng());
Tensor randn(const Shape& shape, Rng& rng = global_rng());            // standard normal
Tensor zeros_like(const Tensor& t);

// Printing: tensor([[1.0000, 2.0000], [3.0000, 4.0000]], shape=[2, 2], grad_fn=matmul)
std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Checks used by ops to produce messages that name the op and the shapes.
void check_defined(const char* op, const Tensor& t);
int normalize_dim(const char* op, int dim, int rank, const Shape& shape);

}  // namespace tinyattn
