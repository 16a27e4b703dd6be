// Lesson 02 — autograd: build a graph, run backward, check a gradient by hand and by
// finite differences, and see why gradients accumulate.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

int main(int argc, char** argv) {
    const LessonOptions opt = parse_lesson_args(
        argc, argv, {"02_autograd", "autograd: a small graph, backward, a gradient by hand and by gradcheck"});
    Report report;
    report.set("lesson", "02_autograd");

    // 1. A tiny neuron: y = tanh(w·x + b), loss = (y - target)².
    std::cout << "== 1. A graph ==\n";
    Tensor x = tensor({0.5f, -1.0f}, {2});
    Tensor w = tensor({0.8f, 0.3f}, {2}).requires_grad_();  // parameters: we want dL/dw and dL/db
    Tensor b = tensor({0.1f}, {1}).requires_grad_();
    const float target = 0.7f;
    Tensor z = sum(w * x) + b;           // w·x + b
    Tensor y = tanh(z);
    Tensor loss = sum(pow(y - target, 2.0f));
    std::cout << "z = " << z << "\ny = " << y << "\nloss = " << loss << "\n";
    std::cout << "every result remembers the op that made it: loss <- " << loss.op() << " <- " << y.op()
              << " ...\n\n";

    // 2. backward() walks the graph from the loss back to the parameters.
    std::cout << "== 2. backward() ==\n";
    loss.backward();
    std::cout << "dL/dw = " << w.grad() << "\ndL/db = " << b.grad() << "\n\n";

    // 3. The same gradient by hand, with the chain rule:
    //    dL/dy = 2(y - t),  dy/dz = 1 - y²,  dz/dw_i = x_i
    std::cout << "== 3. By hand ==\n";
    const float yv = y.item();
    const float dL_dz = 2.0f * (yv - target) * (1.0f - yv * yv);
    const float by_hand = dL_dz * x.at({0});
    std::printf("dL/dw_0 = 2(y - t)(1 - y²)x_0 = 2(%.4f - %.1f)(1 - %.4f²)(%.1f) = %.6f\n", yv, target, yv,
                x.at({0}), by_hand);
    std::printf("autograd says                                         %.6f\n\n", w.grad().at({0}));
    report.set("dw0_by_hand", by_hand);
    report.set("dw0_autograd", w.grad().at({0}));

    // 4. gradcheck: nudge each input by ±h and compare (L(w+h) - L(w-h)) / 2h with autograd.
    std::cout << "== 4. gradcheck ==\n";
    const GradcheckResult check = gradcheck(
        [&](const std::vector<Tensor>& in) { return sum(pow(tanh(sum(in[0] * x) + in[1]) - target, 2.0f)); },
        {w, b});
    std::printf("gradcheck: %s (largest difference %.2e)\n\n", check.ok ? "passed" : check.message.c_str(),
                check.max_abs_error);
    report.set("gradcheck_ok", check.ok ? 1.0 : 0.0);

    // 5. Gradients accumulate: a second backward adds to .grad — call zero_grad() between steps.
    std::cout << "== 5. Gradients accumulate ==\n";
    Tensor a = tensor({3.0f}, {1}).requires_grad_();
    Tensor twice = a + a;               // a is used twice: both paths contribute
    Tensor c = sum(twice * twice);      // c = (2a)² = 4a²,  dc/da = 8a = 24
    c.backward();
    std::cout << "c = (a + a)², a = 3:  dc/da = " << a.grad().item() << "  (8a = 24: both uses of a count)\n";
    sum(a * a).backward();              // another backward without zero_grad: 24 + 2a = 30
    const float accumulated = a.grad().item();
    std::cout << "after a second backward of a²: a.grad = " << accumulated << "  (24 + 6: they add up)\n";
    a.zero_grad();
    std::cout << "after zero_grad(): a.grad = " << a.grad().item() << "\n";
    report.set("accumulated_grad", accumulated);
    report.write(opt.report);
    return check.ok ? 0 : 1;
}
