// anomaly.hpp — find the op that first produced a NaN or an Inf (torch.autograd.set_detect_anomaly).
//
// A loss that turns into NaN after 3,000 steps says nothing about where it came from: one
// NaN spreads through every op after it. In anomaly mode each op's output is checked right
// after it is computed, and each backward rule's gradients right after the rule runs, so the
// exception names the op where it started and the shapes it was working on:
//
//     set_detect_anomaly(true);          // or: DetectAnomaly guard;  for one scope
//     log(x)   ->  "detect_anomaly: forward of 'log' produced nan from inputs without nan
//                   (output [2, 3]; inputs [2, 3])"
//
// The rule (what counts as an anomaly):
//   forward   - NaN in an output whose inputs had no NaN;
//             - +Inf or -Inf in an output whose inputs were all finite (overflow, log(0), 1/0),
//               except masked_fill, whose whole job is to write -inf into masked scores.
//               -inf flowing *through* ops is legitimate: scores + a -inf mask, softmax over a
//               fully masked row (gives zeros), log_softmax of masked entries (gives -inf).
//             - a leaf tensor (data, parameters) containing NaN, reported by the first op reading it.
//   backward  - a rule that writes NaN or ±Inf into any of its inputs' gradients
//               (e.g. sqrt at 0: d√x/dx = 1/(2√x) = inf).
//
// When is an output checked? An op fills its result after make_result() and then, if the
// result needs a gradient, attaches its rule with set_backward(): that is where the check
// runs, so the op itself throws. A result that needs no gradient (inputs without
// requires_grad, or under NoGrad) is checked when the next op starts, or at backward().
//
// Off by default; when off, the cost is one branch per op (autograd.cpp).
#pragma once
#include <vector>

#include "tinyattn/tensor.hpp"

namespace tinyattn {

void set_detect_anomaly(bool on);
bool is_anomaly_enabled();

// RAII guard, like `with torch.autograd.detect_anomaly():` — on inside its scope.
struct DetectAnomaly {
    DetectAnomaly();
    ~DetectAnomaly();
    DetectAnomaly(const DetectAnomaly&) = delete;
    DetectAnomaly& operator=(const DetectAnomaly&) = delete;

private:
    bool previous_;
};

// ---- hooks called by autograd.cpp, only when anomaly mode is on ----------------------------
// make_result: checks the previous still-unchecked result, then remembers this one and its inputs.
void anomaly_note_result(const Tensor& out, const std::vector<Tensor>& inputs);
// set_backward and run_backward: checks the remembered result now (its data is filled).
void anomaly_check_pending();
// run_backward, after node.backward ran: checks the gradients it wrote into its parents.
void anomaly_check_backward(const Node& node);

}  // namespace tinyattn
