// gradcheck.hpp — compare autograd's gradients with finite differences.
//
// The check reduces f's output to a scalar L = Σ rᵢ · f(x)ᵢ with fixed random weights r (so
// every output element matters, with a different weight), then for each input element x:
//   numerical  dL/dx ≈ (L(x + h) - L(x - h)) / 2h        (central difference, error O(h²))
//   analytical dL/dx = what backward() computes
// and requires |numerical - analytical| ≤ atol + rtol · |numerical|.
//
// Why these defaults for float32: the forward pass rounds each value to about 6e-8 relative,
// so the difference quotient carries a rounding error of roughly 6e-8 · |L| / h, while the
// truncation error of the central difference is about h² · |f'''| / 6. With h = 1e-2 both are
// around 1e-5 for values of order 1; atol = 1e-3 and rtol = 1e-2 leave a 100× margin over
// that and still catch any wrong rule (a wrong rule is off by O(1), not by 1e-3).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn {

struct GradcheckResult {
    bool ok = true;
    double max_abs_error = 0.0;  // the largest |numerical - analytical| seen
    std::string message;         // where the first failure was, e.g. "input 1 element 3: ..."
};

struct GradcheckOptions {
    float h = 1e-2f;
    double atol = 1e-3;
    double rtol = 1e-2;
    uint64_t seed = 1234;  // for the random output weights r
};

// f maps the inputs to one output tensor. Inputs that require grad are checked.
GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          std::vector<Tensor> inputs, const GradcheckOptions& options = {});

}  // namespace tinyattn
