// memory.hpp — where tensors' numbers live, and the three ways tinyattn avoids writing zeros
// that are about to be overwritten. None of this changes a single result; read tensor.hpp and
// autograd.hpp first, where every buffer simply starts at zero.
//
// Why bother. A training step of the lessons' models runs a few hundred ops, and most of them
// are cheap per element (an add, a tanh, a copy): their time goes into moving memory, not into
// arithmetic. Writing a buffer full of zeros first and then the real values moves that memory
// twice. Three places did so, and each is undone here:
//
// 1. Op outputs. std::vector<float> zero-fills what resize() adds. FloatBuffer is a
//    std::vector<float> whose allocator leaves new elements as they are (like torch.empty), so
//    Tensor data and gradients are FloatBuffers. Ops that write every element of their output ask
//    for it with make_empty_result instead of make_result (autograd.hpp, which zero-fills).
//    Sanitizer builds (TINYATTN_POISON_EMPTY_RESULTS) fill such buffers with NaN instead, so an op
//    that misses an element fails the gradchecks and reference tests rather than reading old memory.
//
// 2. Gradients written whole. A backward rule adds into its parents' gradients (g += v), so a
//    gradient buffer normally starts at zero (Tensor::grad_data). A rule that writes EVERY element
//    of a parent's gradient may ask grad_data_fresh instead: it returns the buffer and `fresh` =
//    "no gradient has reached this tensor yet"; a fresh buffer is not zeroed, and the rule stores
//    its values there (add_or_store: g = v when fresh, g += v otherwise). Only safe when one rule
//    covers the whole buffer: two rules writing halves of it must both use grad_data and +=.
//
// 3. Freed memory. glibc's malloc serves blocks of 128 KiB and more straight from the kernel
//    (mmap) and gives freed memory at the top of the heap back to it; a training step allocates
//    and frees the same few hundred buffers every time, so every step would get fresh pages again:
//    a page fault and a kernel memset per 4 KiB. memory.cpp raises both thresholds (mallopt) when
//    the library loads, so freed memory stays in the process for the next step. Peak memory use is
//    unchanged; it is just not returned between steps.
//
// What each of these was worth when it was made: bench/README.md ("What the library's comments
// used to say").
#pragma once
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

namespace tinyattn {

// 1. The storage of a tensor's numbers and of its gradient: std::allocator with one change,
//    "construct a float with no value" does nothing. Zeros are asked for explicitly: assign(n, 0.0f).
//    It also counts the bytes it holds, so lesson 17 can measure what a forward + backward pass
//    keeps alive at its peak (tensor_bytes_peak, tensor.hpp).
void count_tensor_bytes(std::ptrdiff_t bytes);  // + on allocate, - on deallocate (memory.cpp)
template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind { using other = UninitializedAllocator<U>; };
    T* allocate(std::size_t n) {
        count_tensor_bytes(std::ptrdiff_t(n * sizeof(T)));
        return std::allocator<T>::allocate(n);
    }
    void deallocate(T* p, std::size_t n) {
        count_tensor_bytes(-std::ptrdiff_t(n * sizeof(T)));
        std::allocator<T>::deallocate(p, n);
    }
    template <class U>
    void construct(U*) noexcept {}  // new elements: left as they are (no value-initialisation)
    template <class U, class... Args>
    void construct(U* p, Args&&... args) { ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...); }
};
using FloatBuffer = std::vector<float, UninitializedAllocator<float>>;

class Tensor;
using Shape = std::vector<int>;

// 1. make_result (autograd.hpp) without the zero-fill, for ops that write every output element.
Tensor make_empty_result(const Shape& shape, const char* op, std::initializer_list<Tensor> parents);
Tensor make_empty_result(const Shape& shape, const char* op, const std::vector<Tensor>& parents);

// 2. t's gradient buffer for a rule that writes all of it; fresh = no gradient reached t yet, and
//    then the buffer is NOT zeroed. Write each element with add_or_store.
float* grad_data_fresh(const Tensor& t, bool& fresh);
inline void add_or_store(float& g, float v, bool fresh) { g = fresh ? v : g + v; }

}  // namespace tinyattn
