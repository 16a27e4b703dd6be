"""PyTorch reference fixtures for every differentiable op: tests/reference/fixtures/ops/<case>.txt.

Called by make_fixtures.py (main(out_dir)). Each case is named "<op>__<variant>", where <op> is
the name in tinyattn's differentiable_ops() list; tests/test_ops_reference.cpp runs the same op in
tinyattn and compares. A fixture holds:
    in_<name>    an input that is differentiated (float)
    arg_<name>   a fixed argument: a dim, a flag, indices, targets, a mask (integers stored as floats)
    out          PyTorch's output
    grad_out     a random upstream gradient g
    grad_<name>  d(sum(out * g))/d(input), from out.backward(g), for every in_<name>
Inputs are drawn after torch.manual_seed(crc32(case name)), so adding a case changes no other file.
"""
import glob
import os
import zlib

import torch
import torch.nn.functional as F

from fixture_format import write_fixture

CASES = []  # (name, make_inputs, forward, args)


def case(name, make_inputs, forward, **args):
    """make_inputs() -> dict of input tensors; forward(*inputs in dict order, **args) -> output."""
    CASES.append((name, make_inputs, forward, args))


def r(*shape, lo=-1.0, hi=1.0):
    return torch.rand(shape) * (hi - lo) + lo


def distinct(*shape):
    """Values 0.1 apart in shuffled order: no ties, so max has one arg-max."""
    n = 1
    for d in shape:
        n *= d
    return (torch.randperm(n).float() * 0.1 - 0.05 * n).reshape(shape)


def mask(*shape, p=0.4):
    return (torch.rand(shape) < p).float()


# ---- elementwise ---------------------------------------------------------------------------
BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b}
for op, fn in BINARY.items():
    lo_b = 0.5 if op == "div" else -1.0  # keep divisors away from 0
    for variant, sa, sb in [("same_shape", (2, 3), (2, 3)), ("broadcast_row", (2, 3), (3,)),
                            ("broadcast_both", (2, 1, 4), (3, 1)), ("scalar_tensor", (2, 3), ()),
                            ("scalar_first", (), (4,))]:
        case(f"{op}__{variant}", lambda sa=sa, sb=sb, lo_b=lo_b: dict(a=r(*sa), b=r(*sb, lo=lo_b, hi=lo_b + 1.5)),
             lambda a, b, fn=fn: fn(a, b))
    # the same tensor as both operands (the C++ runner passes `a` twice when there is no `b`)
    case(f"{op}__reused", lambda: dict(a=r(2, 3, lo=0.5, hi=1.5)), lambda a, fn=fn: fn(a, a))

case("add_scalar__basic", lambda: dict(a=r(2, 3)), lambda a, s: a + s, s=2.5)
case("mul_scalar__basic", lambda: dict(a=r(2, 3)), lambda a, s: a * s, s=-1.5)
case("rsub_scalar__basic", lambda: dict(a=r(2, 3)), lambda a, s: s - a, s=3.0)
case("rdiv_scalar__basic", lambda: dict(a=r(2, 3, lo=0.5, hi=2.0)), lambda a, s: s / a, s=2.0)
case("neg__basic", lambda: dict(a=r(2, 3)), lambda a: -a)
case("exp__basic", lambda: dict(a=r(2, 3, lo=-2, hi=2)), torch.exp)
case("log__basic", lambda: dict(a=r(2, 3, lo=0.1, hi=3.0)), torch.log)
case("sqrt__basic", lambda: dict(a=r(2, 3, lo=0.1, hi=3.0)), torch.sqrt)
case("pow__cube", lambda: dict(a=r(2, 3)), lambda a, exponent: a ** exponent, exponent=3.0)
case("pow__fractional", lambda: dict(a=r(2, 3, lo=0.2, hi=2.0)), lambda a, exponent: a ** exponent, exponent=2.5)
case("pow__negative", lambda: dict(a=r(2, 3, lo=0.5, hi=2.0)), lambda a, exponent: a ** exponent, exponent=-1.5)
case("tanh__basic", lambda: dict(a=r(3, 4, lo=-3, hi=3)), torch.tanh)
case("sigmoid__basic", lambda: dict(a=r(3, 4, lo=-6, hi=6)), torch.sigmoid)
case("sigmoid__extreme", lambda: dict(a=torch.tensor([-100.0, -30.0, -10.0, 0.0, 10.0, 30.0, 100.0])), torch.sigmoid)
case("relu__basic", lambda: dict(a=r(3, 4)), torch.relu)

# ---- reductions ----------------------------------------------------------------------------
case("sum__all", lambda: dict(a=r(2, 3, 4)), torch.sum)
case("mean__all", lambda: dict(a=r(2, 3, 4)), torch.mean)
case("max__all", lambda: dict(a=distinct(3, 4)), torch.max)
for dim in (0, 1, -1):
    for keepdim in (0, 1):
        v = f"d{dim}_k{keepdim}".replace("-", "m")
        case(f"sum_dim__{v}", lambda: dict(a=r(2, 3, 4)), lambda a, dim, keepdim: a.sum(dim, keepdim=bool(keepdim)),
             dim=dim, keepdim=keepdim)
        case(f"mean_dim__{v}", lambda: dict(a=r(2, 3, 4)), lambda a, dim, keepdim: a.mean(dim, keepdim=bool(keepdim)),
             dim=dim, keepdim=keepdim)
        case(f"max_dim__{v}", lambda: dict(a=distinct(2, 3, 4)),
             lambda a, dim, keepdim: a.max(dim, keepdim=bool(keepdim)).values, dim=dim, keepdim=keepdim)

# ---- products ------------------------------------------------------------------------------
for variant, sa, sb in [("2d", (2, 3), (3, 4)), ("batched", (2, 2, 3), (2, 3, 4)),
                        ("batch_broadcast_a", (1, 2, 3), (3, 3, 4)), ("batch_broadcast_b", (3, 2, 3), (1, 3, 4)),
                        ("batch_times_2d", (2, 2, 3), (3, 4)), ("odd_sizes", (7, 33), (33, 5))]:
    case(f"matmul__{variant}", lambda sa=sa, sb=sb: dict(a=r(*sa), b=r(*sb)), torch.matmul)
case("matmul__reused", lambda: dict(a=r(3, 3)), lambda a: a @ a)
case("linear__bias", lambda: dict(x=r(2, 3), weight=r(4, 3), bias=r(4)), F.linear)
case("linear__bias_3d", lambda: dict(x=r(2, 5, 3), weight=r(4, 3), bias=r(4)), F.linear)
case("linear__no_bias", lambda: dict(x=r(2, 3), weight=r(4, 3)), F.linear)

# ---- shape ops -----------------------------------------------------------------------------
case("reshape__infer", lambda: dict(a=r(2, 3, 4)), lambda a, shape: a.reshape(shape), shape=[4, -1])
case("transpose__outer", lambda: dict(a=r(2, 3, 4)), lambda a, dim0, dim1: a.transpose(dim0, dim1), dim0=0, dim1=2)
case("transpose__negative", lambda: dict(a=r(2, 3, 4)), lambda a, dim0, dim1: a.transpose(dim0, dim1), dim0=-1, dim1=-2)
case("permute__rotate", lambda: dict(a=r(2, 3, 4)), lambda a, dims: a.permute(dims), dims=[2, 0, 1])
case("concat__dim1", lambda: dict(t0=r(2, 1, 3), t1=r(2, 2, 3), t2=r(2, 3, 3)),
     lambda t0, t1, t2, dim: torch.cat([t0, t1, t2], dim), dim=1)
case("concat__dim_neg1", lambda: dict(t0=r(2, 2), t1=r(2, 1), t2=r(2, 3)),
     lambda t0, t1, t2, dim: torch.cat([t0, t1, t2], dim), dim=-1)
case("stack__dim0", lambda: dict(t0=r(2, 3), t1=r(2, 3), t2=r(2, 3)),
     lambda t0, t1, t2, dim: torch.stack([t0, t1, t2], dim), dim=0)
case("stack__dim_neg1", lambda: dict(t0=r(2, 3), t1=r(2, 3), t2=r(2, 3)),
     lambda t0, t1, t2, dim: torch.stack([t0, t1, t2], dim), dim=-1)
case("narrow__middle", lambda: dict(a=r(2, 4, 3)), lambda a, dim, start, length: a.narrow(dim, start, length),
     dim=1, start=1, length=2)
case("select__middle", lambda: dict(a=r(2, 4, 3)), lambda a, dim, index: a.select(dim, index), dim=1, index=2)
case("select__negative_index", lambda: dict(a=r(2, 4, 3)), lambda a, dim, index: a.select(dim, index), dim=0, index=-1)
case("unsqueeze__middle", lambda: dict(a=r(2, 3)), lambda a, dim: a.unsqueeze(dim), dim=1)
case("unsqueeze__last", lambda: dict(a=r(2, 3)), lambda a, dim: a.unsqueeze(dim), dim=-1)
case("squeeze__middle", lambda: dict(a=r(2, 1, 3)), lambda a, dim: a.squeeze(dim), dim=1)

# ---- indexing ------------------------------------------------------------------------------
case("index_select__repeated", lambda: dict(a=r(2, 4, 3)),
     lambda a, dim, indices: torch.index_select(a, dim, torch.tensor(indices)), dim=1, indices=[3, 0, 3, 3])
case("index_select__dim0", lambda: dict(a=r(5, 2)),
     lambda a, dim, indices: torch.index_select(a, dim, torch.tensor(indices)), dim=0, indices=[4, 1])
case("embedding__repeated", lambda: dict(weight=r(6, 3)),
     lambda weight, ids, padding_idx: F.embedding(ids.long(), weight),
     ids=torch.tensor([[1, 4, 1], [1, 0, 5]]), padding_idx=-1)
case("embedding__padding_idx", lambda: dict(weight=r(5, 3)),
     lambda weight, ids, padding_idx: F.embedding(ids.long(), weight, padding_idx=padding_idx),
     ids=torch.tensor([[2, 0, 3, 0], [2, 1, 0, 4]]), padding_idx=0)
case("masked_fill__broadcast", lambda: dict(a=r(2, 3, 4)),
     lambda a, mask, value: a.masked_fill(mask.bool(), value), mask=torch.tensor([[1.0], [0.0], [1.0]]), value=-5.0)
case("masked_fill__row_mask", lambda: dict(a=r(3, 4)),
     lambda a, mask, value: a.masked_fill(mask.bool(), value), mask=torch.tensor([0.0, 1.0, 1.0, 0.0]), value=0.0)

# ---- softmax family and loss ---------------------------------------------------------------
NEG_INF = float("-inf")
for op, fn in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
    for dim in (0, 1, -1):
        case(f"{op}__dim{dim}".replace("-", "neg"), lambda: dict(a=r(2, 3, 4, lo=-3, hi=3)),
             lambda a, dim, fn=fn: fn(a, dim), dim=dim)
    # logits of ±1e4: naive exp overflows; the stable form must still give exact answers
    case(f"{op}__extreme", lambda: dict(a=torch.tensor([[1e4, -1e4, 0.0, 1e4 - 1.0],
                                                        [-1e4, -1e4 + 2.0, -1e4 + 1.0, -1e4 - 1.0]])),
         lambda a, dim, fn=fn: fn(a, dim), dim=-1)
    # attention-style key mask: masked_fill(-inf) then softmax over the keys (no row fully masked;
    # a fully masked row is tested in C++ only, because PyTorch gives NaN there and tinyattn zeros)
    case(f"{op}__masked", lambda: dict(a=r(3, 5, lo=-2, hi=2)),
         lambda a, dim, mask, fn=fn: fn(a.masked_fill(mask.bool(), NEG_INF), dim),
         dim=-1, mask=torch.tensor([[0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]))

def ce(logits, targets, ignore_index):
    return F.cross_entropy(logits, targets.long(), ignore_index=ignore_index)


case("cross_entropy__basic", lambda: dict(logits=r(4, 5, lo=-2, hi=2)), ce,
     targets=torch.tensor([1, 4, 0, 2]), ignore_index=-100)
case("cross_entropy__ignore_index", lambda: dict(logits=r(5, 6, lo=-2, hi=2)), ce,
     targets=torch.tensor([1, -100, 5, -100, 0]), ignore_index=-100)
case("cross_entropy__pad_id_0", lambda: dict(logits=r(4, 5, lo=-2, hi=2)), ce,
     targets=torch.tensor([0, 3, 0, 2]), ignore_index=0)
case("cross_entropy__extreme", lambda: dict(logits=torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4 - 3.0]])), ce,
     targets=torch.tensor([1, 2]), ignore_index=-100)

# ---- regularisation and normalisation -------------------------------------------------------
# Dropout's training-mode mask comes from a different generator in each library, so only the
# deterministic behaviour is compared: eval mode and p = 0 are the identity. The statistics of
# training mode (mean preserved, fraction zeroed ≈ p) are tested in C++.
case("dropout__eval", lambda: dict(a=r(3, 4)), lambda a, p, training: F.dropout(a, p, bool(training)),
     p=0.5, training=0)
case("dropout__p0_training", lambda: dict(a=r(3, 4)), lambda a, p, training: F.dropout(a, p, bool(training)),
     p=0.0, training=1)

def ln(a, weight=None, bias=None):
    return F.layer_norm(a, a.shape[-1:], weight, bias, eps=1e-5)



case("layer_norm__weight_bias", lambda: dict(a=r(3, 5, lo=-2, hi=2), weight=r(5, lo=0.5, hi=1.5), bias=r(5)), ln)
case("layer_norm__plain_3d", lambda: dict(a=r(2, 3, 4, lo=-2, hi=2)), ln)
case("layer_norm__weight_only", lambda: dict(a=r(3, 5), weight=r(5, lo=0.5, hi=1.5)), ln)
case("layer_norm__bias_only", lambda: dict(a=r(3, 5), bias=r(5)), lambda a, bias: ln(a, None, bias))
# Rows near 100 with a spread of 0.05: float32 PyTorch loses about 1e-4 of accuracy here (its
# float32 variance suffers cancellation), so this reference is computed in float64 (see FLOAT64).
case("layer_norm__large_offset", lambda: dict(a=r(2, 6) * 0.1 + 100.0, weight=r(6), bias=r(6)), ln)

# ---- fused kernels (tinyattn/ops/lstm_cell.cpp, additive_scores.cpp) ----------------------
def lstm_gates(gates_x, gates_h, c):
    i, f, g, o = (gates_x + gates_h).chunk(4, 1)  # PyTorch's gate order
    c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return c_new, torch.sigmoid(o) * torch.tanh(c_new)


def lstm_inputs():
    return dict(gates_x=r(3, 8, lo=-2, hi=2), gates_h=r(3, 8, lo=-2, hi=2), c=r(3, 2, lo=-2, hi=2))


case("lstm_cell_c__basic", lstm_inputs, lambda gates_x, gates_h, c: lstm_gates(gates_x, gates_h, c)[0])
case("lstm_cell_h__basic", lstm_inputs, lambda gates_x, gates_h, c: lstm_gates(gates_x, gates_h, c)[1])
case("additive_scores__basic", lambda: dict(query=r(2, 3), keys=r(2, 4, 3, lo=-2, hi=2), v=r(1, 3)),
     lambda query, keys, v: (v.reshape(-1) * torch.tanh(query.unsqueeze(1) + keys)).sum(-1))


# multi-head attention's products on heads read in place (tinyattn/ops/attention_heads.cpp),
# written the PyTorch way: split [B, T, E] into [B, H, T, d] heads, multiply, merge back.
def split_heads(x, heads):
    B, T, E = x.shape
    return x.reshape(B, T, heads, E // heads).transpose(1, 2)


def merge_heads(x):
    B, H, T, d = x.shape
    return x.transpose(1, 2).reshape(B, T, H * d)


case("head_scores__basic", lambda: dict(q=r(2, 3, 6), k=r(2, 4, 6)),
     lambda q, k, heads, scale: split_heads(q, heads) @ split_heads(k, heads).transpose(-1, -2) * scale,
     heads=3, scale=0.4)
case("head_context__basic", lambda: dict(weights=torch.softmax(r(2, 2, 3, 4, lo=-2, hi=2), -1), v=r(2, 4, 6)),
     lambda weights, v: merge_heads(weights @ split_heads(v, weights.shape[1])))

# banded self-attention (tinyattn/nn/windowed_attention.cpp), written the PyTorch way: full
# scaled dot-product attention with the band |i - j| > window masked out.
def windowed(q, k, v, window):
    T = q.shape[1]
    i = torch.arange(T)
    allowed = (i[:, None] - i[None, :]).abs() <= int(window)  # True = may attend
    scores = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5
    return torch.softmax(scores.masked_fill(~allowed, float("-inf")), -1) @ v


case("windowed_attention__w1", lambda: dict(q=r(2, 5, 3, lo=-2, hi=2), k=r(2, 5, 3, lo=-2, hi=2), v=r(2, 5, 3)),
     windowed, window=1)
case("windowed_attention__w2_long", lambda: dict(q=r(1, 9, 4, lo=-2, hi=2), k=r(1, 9, 4, lo=-2, hi=2), v=r(1, 9, 4)),
     windowed, window=2)

# Cases whose reference values are computed in float64 (from the same float32 inputs) and then
# rounded to float32: the exact answer, where float32 PyTorch is itself too far from it.
FLOAT64 = {"layer_norm__large_offset"}


# ---- images (NCHW) ---------------------------------------------------------------------------
case("conv2d__pad1_bias", lambda: dict(input=r(2, 3, 6, 5), weight=r(4, 3, 3, 3), bias=r(4)), F.conv2d,
     stride=1, padding=1)
case("conv2d__stride2_no_bias", lambda: dict(input=r(2, 2, 7, 8), weight=r(3, 2, 2, 3)), F.conv2d, stride=2, padding=0)
case("conv2d__stride2_pad2", lambda: dict(input=r(1, 3, 5, 5), weight=r(2, 3, 3, 3), bias=r(2)), F.conv2d,
     stride=2, padding=2)
case("max_pool2d__k2", lambda: dict(input=distinct(2, 3, 4, 6)), F.max_pool2d, kernel_size=2, stride=2)
case("max_pool2d__k3_s2_overlap", lambda: dict(input=distinct(1, 2, 7, 5)), F.max_pool2d, kernel_size=3, stride=2)


def emit(path, make_inputs, forward, args, float64):
    inputs = make_inputs()
    dtype = torch.float64 if float64 else torch.float32
    leaves = {k: v.to(dtype).requires_grad_(True) for k, v in inputs.items()}
    out = forward(*leaves.values(), **args)
    g = torch.randn(out.shape)
    out.backward(g.to(dtype))
    tensors = {"in_" + k: v for k, v in inputs.items()}
    tensors.update({"arg_" + k: torch.as_tensor(v, dtype=torch.float32) for k, v in args.items()})
    tensors["out"] = out
    tensors["grad_out"] = g
    for k, leaf in leaves.items():
        tensors["grad_" + k] = leaf.grad if leaf.grad is not None else torch.zeros_like(leaf)
    write_fixture(path, tensors)


def main(out_dir):
    ops_dir = os.path.join(out_dir, "ops")
    os.makedirs(ops_dir, exist_ok=True)
    for old in glob.glob(os.path.join(ops_dir, "*.txt")):  # a removed case leaves no stale file
        os.remove(old)
    for name, make_inputs, forward, args in CASES:
        torch.manual_seed(zlib.crc32(name.encode()))
        emit(os.path.join(ops_dir, name + ".txt"), make_inputs, forward, args, name in FLOAT64)
    print(f"  wrote {len(CASES)} op fixtures to {ops_dir}")


if __name__ == "__main__":
    main(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
