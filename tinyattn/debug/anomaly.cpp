// anomaly.cpp — anomaly mode: the NaN/Inf checks on forward results and backward gradients
// (the rule is in anomaly.hpp).
#include "tinyattn/debug/anomaly.hpp"

#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace tinyattn {

namespace {

std::atomic<bool> g_detect_anomaly{false};

// What is in a buffer: any NaN? any ±Inf?
struct Finiteness {
    bool nan = false, inf = false;
};

Finiteness scan(const FloatBuffer& values) {
    Finiteness f;
    for (float v : values) {
        if (std::isnan(v)) f.nan = true;
        else if (std::isinf(v)) f.inf = true;
    }
    return f;
}

// The last result made by make_result and not yet checked (one per thread: ops run on one).
struct PendingResult {
    std::weak_ptr<Node> node;
    const char* op = "";
    std::string input_shapes;   // "[2, 3], [3]"
    bool inputs_nan = false;    // did any input contain NaN / ±Inf?
    bool inputs_inf = false;
};
thread_local PendingResult t_pending;

std::string join_shapes(const std::vector<Tensor>& inputs) {
    std::string s;
    for (const Tensor& t : inputs) s += (s.empty() ? "" : ", ") + (t.defined() ? shape_str(t.shape()) : "undefined");
    return s;
}

[[noreturn]] void report(const std::string& what) { throw std::runtime_error("detect_anomaly: " + what); }

}  // namespace

void set_detect_anomaly(bool on) { g_detect_anomaly = on; }
bool is_anomaly_enabled() { return g_detect_anomaly; }

DetectAnomaly::DetectAnomaly() : previous_(g_detect_anomaly) { g_detect_anomaly = true; }
DetectAnomaly::~DetectAnomaly() { g_detect_anomaly = previous_; }

void anomaly_check_pending() {
    PendingResult p = std::move(t_pending);
    t_pending = PendingResult();
    const std::shared_ptr<Node> node = p.node.lock();
    if (!node) return;  // already gone, nobody can read it
    const Finiteness out = scan(node->data);
    const std::string shapes = "(output " + shape_str(node->shape) + "; inputs " + p.input_shapes + ")";
    if (out.nan && !p.inputs_nan)
        report("forward of '" + std::string(p.op) + "' produced nan from inputs without nan " + shapes);
    // masked_fill writes its fill value (usually -inf) by design: only NaN is an anomaly there.
    if (out.inf && !p.inputs_nan && !p.inputs_inf && std::strcmp(p.op, "masked_fill") != 0)
        report("forward of '" + std::string(p.op) + "' produced inf from finite inputs " + shapes);
}

void anomaly_note_result(const Tensor& out, const std::vector<Tensor>& inputs) {
    anomaly_check_pending();  // the previous op has filled its result by now
    PendingResult p;
    p.node = out.node_ptr();
    p.op = out.op();
    p.input_shapes = join_shapes(inputs);
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].defined()) continue;
        const Node& in = *inputs[i].node();
        const Finiteness f = scan(in.data);
        // A NaN inside data or a parameter (a leaf) is reported by the first op that reads it.
        if (f.nan && !in.backward && std::strcmp(in.op, "leaf") == 0)
            report("'" + std::string(p.op) + "' reads input " + std::to_string(i + 1) + " of shape " +
                   shape_str(in.shape) + ", a leaf tensor (data or parameter) that contains nan");
        p.inputs_nan = p.inputs_nan || f.nan;
        p.inputs_inf = p.inputs_inf || f.inf;
    }
    t_pending = std::move(p);
}

void anomaly_check_backward(const Node& node) {
    for (const std::shared_ptr<Node>& parent : node.parents) {
        const Finiteness g = scan(parent->grad);
        if (!g.nan && !g.inf) continue;
        std::string inputs;
        for (const auto& q : node.parents) inputs += (inputs.empty() ? "" : ", ") + shape_str(q->shape);
        report("backward of '" + std::string(node.op) + "' wrote " + (g.nan ? "nan" : "inf") +
               " into the gradient of its input of shape " + shape_str(parent->shape) + " (made by '" + parent->op +
               "') (output " + shape_str(node.shape) + "; inputs needing grad " + inputs + ")");
    }
}

}  // namespace tinyattn
