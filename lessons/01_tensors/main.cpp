// Lesson 01 — tensors: shapes, broadcasting, matrix products, and errors that explain themselves.
//
// Read this file top to bottom beside lessons/01_tensors/README.md.
#include <iostream>

#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

int main(int argc, char** argv) {
    const LessonOptions opt = parse_lesson_args(
        argc, argv, {"01_tensors", "tensors: shapes, broadcasting, matmul, softmax, shape errors"});
    Report report;
    report.set("lesson", "01_tensors");

    // 1. A tensor is a shape plus float32 numbers stored row-major.
    std::cout << "== 1. Making tensors ==\n";
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    std::cout << "x = " << x << "\n";
    std::cout << "x has " << x.dim() << " dims, shape " << shape_str(x.shape()) << ", " << x.numel()
              << " numbers; x[1, 2] = " << x.at({1, 2}) << "\n";
    std::cout << "zeros({2, 2}) = " << zeros({2, 2}) << "\n";
    std::cout << "arange(5) = " << arange(5) << "\n";
    Rng rng(opt.seed);  // the project's own generator: the same seed prints the same numbers everywhere
    std::cout << "randn({2, 3}) with seed " << opt.seed << " = " << randn({2, 3}, rng) << "\n\n";

    // 2. Broadcasting: shapes are aligned on the right and dims of size 1 stretch.
    std::cout << "== 2. Broadcasting ==\n";
    Tensor bias = tensor({10, 20, 30}, {3});
    Tensor column = tensor({100, 200}, {2, 1});
    std::cout << "x + bias      ([2, 3] + [3])    = " << x + bias << "\n";
    std::cout << "x + column    ([2, 3] + [2, 1]) = " << x + column << "\n";
    std::cout << "x * 2 - 1                        = " << x * 2.0f - 1.0f << "\n\n";

    // 3. Reductions and products.
    std::cout << "== 3. Reductions and matrix products ==\n";
    std::cout << "sum(x) = " << sum(x) << "\n";
    std::cout << "sum(x, dim 0) = " << sum(x, 0) << "   mean(x, dim 1) = " << mean(x, 1) << "\n";
    Tensor w = tensor({1, 0, 0, 1, 1, 1}, {3, 2});
    Tensor y = matmul(x, w);  // [2, 3] x [3, 2] -> [2, 2]
    std::cout << "matmul(x [2, 3], w [3, 2]) = " << y << "\n";
    Tensor batch = stack({x, x * 10.0f}, 0);  // [2, 2, 3]: a batch of two matrices
    std::cout << "batched matmul: [2, 2, 3] x [3, 2] -> " << shape_str(matmul(batch, w).shape()) << "\n\n";
    report.set("matmul_00", y.at({0, 0}));
    report.set("matmul_11", y.at({1, 1}));

    // 4. Softmax turns scores into probabilities: the heart of every attention layer.
    std::cout << "== 4. Softmax ==\n";
    Tensor scores = tensor({2.0f, 1.0f, 0.1f, 1e4f, 0.0f, -1e4f}, {2, 3});
    Tensor probs = softmax(scores, 1);
    std::cout << "scores = " << scores << "\nsoftmax(scores, dim 1) = " << probs << "\n";
    std::cout << "each row sums to 1: " << sum(probs, 1) << "  (even with logits of ±1e4)\n\n";
    report.set("softmax_row0_sum", sum(probs, 1).at({0}));

    // 5. Shapes that do not fit give errors that name the op and the shapes.
    std::cout << "== 5. When shapes do not fit ==\n";
    int errors = 0;
    try {
        matmul(zeros({32, 64}), zeros({128, 256}));
    } catch (const std::exception& e) {
        std::cout << "error: " << e.what() << "\n";
        ++errors;
    }
    try {
        x + tensor({1, 2}, {2});
    } catch (const std::exception& e) {
        std::cout << "error: " << e.what() << "\n";
        ++errors;
    }
    report.set("errors_caught", errors);
    report.write(opt.report);
    return 0;
}
