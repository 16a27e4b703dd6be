// op_list.cpp — the one list of differentiable ops. tests/test_gradcheck.cpp reads it and
// fails if any op here has no gradient check, so adding an op means adding its check.
#include "tinyattn/ops.hpp"

namespace tinyattn {

const std::vector<std::string>& differentiable_ops() {
    static const std::vector<std::string> ops = {
        // elementwise
        "add", "sub", "mul", "div", "add_scalar", "mul_scalar", "rsub_scalar", "rdiv_scalar",
        "neg", "exp", "log", "sqrt", "pow", "tanh", "sigmoid", "relu",
        // reductions
        "sum", "sum_dim", "mean", "mean_dim", "max", "max_dim",
        // products
        "matmul", "linear",
        // shape
        "reshape", "transpose", "permute", "concat", "stack", "narrow", "select", "unsqueeze", "squeeze",
        // indexing
        "index_select", "embedding", "masked_fill",
        // softmax, losses, regularisation, normalisation
        "softmax", "log_softmax", "cross_entropy", "dropout", "layer_norm",
        // fused kernels
        "lstm_cell_c", "lstm_cell_h", "additive_scores", "head_scores", "head_context",
        // images
        "conv2d", "max_pool2d",
        "windowed_attention",  // banded self-attention (nn/windowed_attention.cpp)
    };
    return ops;
}

}  // namespace tinyattn
