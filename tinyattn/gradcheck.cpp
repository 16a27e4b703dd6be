// gradcheck.cpp — central finite differences against backward().
#include "tinyattn/gradcheck.hpp"

#include <cmath>
#include <cstdio>

#include "tinyattn/autograd.hpp"

namespace tinyattn {

// L = Σ rᵢ · outᵢ, accumulated in double so the comparison sees as little rounding as possible.
static double weighted_sum(const Tensor& out, const std::vector<float>& r) {
    double total = 0.0;
    for (size_t i = 0; i < out.numel(); ++i) total += double(r[i]) * double(out.data()[i]);
    return total;
}

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          std::vector<Tensor> inputs, const GradcheckOptions& options) {
    GradcheckResult result;
    // Analytical: one backward pass with upstream gradient r.
    for (Tensor& x : inputs) x.zero_grad();
    Tensor out = f(inputs);
    Rng rng(options.seed);
    std::vector<float> r(out.numel());
    for (float& v : r) v = rng.uniform(-1.0f, 1.0f);
    run_backward(out, r);

    // Numerical: nudge every input element both ways, re-run f without recording a graph.
    NoGrad no_grad;
    for (size_t k = 0; k < inputs.size(); ++k) {
        Tensor& x = inputs[k];
        if (!x.requires_grad()) continue;
        const std::vector<float> analytical = x.has_grad() ? x.grad().to_vector() : std::vector<float>(x.numel(), 0.0f);
        for (size_t i = 0; i < x.numel(); ++i) {
            const float saved = x.data()[i];
            x.data()[i] = saved + options.h;
            const double plus = weighted_sum(f(inputs), r);
            x.data()[i] = saved - options.h;
            const double minus = weighted_sum(f(inputs), r);
            x.data()[i] = saved;
            const double numerical = (plus - minus) / (2.0 * double(options.h));
            const double error = std::fabs(numerical - double(analytical[i]));
            result.max_abs_error = std::max(result.max_abs_error, error);
            if (result.ok && !(error <= options.atol + options.rtol * std::fabs(numerical))) {
                char buf[200];
                std::snprintf(buf, sizeof buf, "input %zu %s element %zu: numerical %.6g, analytical %.6g",
                              k, shape_str(x.shape()).c_str(), i, numerical, double(analytical[i]));
                result.ok = false;
                result.message = buf;
            }
        }
    }
    return result;
}

}  // namespace tinyattn
