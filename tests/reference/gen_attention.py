"""PyTorch references for the attention family (tinyattn/nn/*attention*, layer_norm, transformer).

main(out_dir) writes out_dir/attention/<case>.txt, one file per case, each holding
  in.<name>        inputs (masks are 0/1 floats, 1 = masked/padded)
  param.<name>     every parameter under its PyTorch / tinyattn name
  out.<name>       outputs (context, weights, ...)
  upstream.<name>  a random upstream gradient for each output
  grad.in.<name>, grad.param.<name>
                   gradients of  L = Σ_outputs Σ (out · upstream)  w.r.t. inputs and parameters.
Where PyTorch has the module (MultiheadAttention, TransformerEncoderLayer/DecoderLayer,
Transformer, LayerNorm) the module itself is used; for additive, Luong, local-p and pooling
attention the papers' formulas are written out below in torch. Values are drawn in float32
(so the fixture holds them exactly) and the reference is computed in float64.

Run:  cd tests/reference && /usr/bin/python3 -c "import gen_attention; gen_attention.main('fixtures')"
"""
import math
import os

import torch

from fixture_format import write_fixture


def randn(*shape):
    return torch.randn(shape, dtype=torch.float32).double()


def padding_mask(lengths, max_len):
    """[B, S] float mask, 1 at positions >= length (padded)."""
    return torch.tensor([[1.0 if s >= n else 0.0 for s in range(max_len)] for n in lengths], dtype=torch.float64)


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def record(out_dir, case, inputs, params, outputs, extra=None):
    """Backpropagates L = Σ (out · upstream) and writes the case file.
    inputs/params: dicts of leaf tensors (inputs not requiring grad, e.g. masks, get no grad entry)."""
    upstream = {k: randn(*v.shape) for k, v in outputs.items()}
    loss = sum((outputs[k] * upstream[k]).sum() for k in outputs)
    loss.backward()
    data = {}
    for k, v in inputs.items():
        data["in." + k] = v
    for k, v in params.items():
        data["param." + k] = v
    for k, v in outputs.items():
        data["out." + k] = v
        data["upstream." + k] = upstream[k]
    for k, v in inputs.items():
        if v.requires_grad:
            data["grad.in." + k] = v.grad
    for k, v in params.items():
        data["grad.param." + k] = v.grad
    data.update(extra or {})
    write_fixture(os.path.join(out_dir, "attention", case + ".txt"), data)


def linear_weight(out_features, in_features):
    bound = 1.0 / math.sqrt(in_features)
    return leaf((torch.rand(out_features, in_features) * 2 - 1).double() * bound)


def linear_bias(out_features, in_features):
    bound = 1.0 / math.sqrt(in_features)
    return leaf((torch.rand(out_features) * 2 - 1).double() * bound)


def masked_softmax(scores, mask):
    if mask is not None:
        scores = scores.masked_fill(mask.bool(), float("-inf"))
    return torch.softmax(scores, dim=-1)


# ---- additive (Bahdanau et al. 2015, eq. 6 / A.1.2): e_j = vᵀ tanh(W_q q + W_k k_j) ------------
def additive(out_dir):
    B, S, Dq, Dk, A, Dv = 3, 5, 4, 6, 7, 3
    p = {"W_q.weight": linear_weight(A, Dq), "W_k.weight": linear_weight(A, Dk), "W_k.bias": linear_bias(A, Dk),
         "v.weight": linear_weight(1, A)}
    x = {"query": leaf(randn(B, Dq)), "keys": leaf(randn(B, S, Dk)), "values": leaf(randn(B, S, Dv)),
         "key_padding_mask": padding_mask([5, 3, 4], S)}
    q = x["query"] @ p["W_q.weight"].T                                   # [B, A]
    k = x["keys"] @ p["W_k.weight"].T + p["W_k.bias"]                    # [B, S, A]
    e = (torch.tanh(q[:, None, :] + k) @ p["v.weight"].T).squeeze(-1)    # [B, S]
    w = masked_softmax(e, x["key_padding_mask"])
    ctx = torch.einsum("bs,bsd->bd", w, x["values"])
    record(out_dir, "additive", x, p, {"context": ctx, "weights": w})


# ---- scaled dot-product (Vaswani et al. 2017, eq. 1): softmax(Q Kᵀ / √d) V ---------------------
def sdpa_formula(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    w = masked_softmax(scores, mask)
    return w @ v, w


def sdpa(out_dir):
    # 3-D, key padding mask [B, 1, Tk]
    B, Tq, Tk, d, dv = 2, 3, 5, 4, 3
    x = {"query": leaf(randn(B, Tq, d)), "key": leaf(randn(B, Tk, d)), "value": leaf(randn(B, Tk, dv)),
         "mask": padding_mask([5, 2], Tk)[:, None, :]}
    ctx, w = sdpa_formula(x["query"], x["key"], x["value"], x["mask"])
    record(out_dir, "sdpa_padding", x, {}, {"context": ctx, "weights": w})
    # 4-D with heads, causal [T, T] + key padding [B, 1, 1, T] combined by adding
    B, H, T, d, dv = 2, 2, 4, 3, 3
    causal = torch.triu(torch.ones(T, T, dtype=torch.float64), diagonal=1)
    x = {"query": leaf(randn(B, H, T, d)), "key": leaf(randn(B, H, T, d)), "value": leaf(randn(B, H, T, dv)),
         "mask": causal + padding_mask([4, 3], T)[:, None, None, :]}
    ctx, w = sdpa_formula(x["query"], x["key"], x["value"], x["mask"])
    record(out_dir, "sdpa_causal", x, {}, {"context": ctx, "weights": w})


# ---- LayerNorm: torch.nn.LayerNorm itself, with non-trivial weight and bias ------------------
def layer_norm(out_dir):
    m = torch.nn.LayerNorm(6)
    with torch.no_grad():
        m.weight.copy_(torch.randn(6))
        m.bias.copy_(torch.randn(6))
    m = m.double()
    x = {"x": leaf(randn(2, 3, 6) * 2 + 1)}
    record(out_dir, "layer_norm", x, dict(m.named_parameters()), {"y": m(x["x"])})


# ---- Luong global (Luong et al. 2015, eq. 8): dot, general, concat --------------------------
def luong(out_dir):
    B, S, D, A = 3, 5, 4, 6
    for kind in ("dot", "general", "concat"):
        x = {"query": leaf(randn(B, D)), "keys": leaf(randn(B, S, D)), "values": leaf(randn(B, S, D)),
             "key_padding_mask": padding_mask([5, 2, 4], S)}
        q, k = x["query"], x["keys"]
        if kind == "dot":
            p = {}
            e = torch.einsum("bd,bsd->bs", q, k)                                        # h_tᵀ h̄_s
        elif kind == "general":
            p = {"W_a": linear_weight(D, D)}
            e = torch.einsum("bi,ij,bsj->bs", q, p["W_a"], k)                          # h_tᵀ W_a h̄_s
        else:
            p = {"W_a": linear_weight(A, 2 * D), "v_a": linear_weight(1, A)}
            qk = torch.cat([q[:, None, :].expand(B, S, D), k], dim=-1)                # [h_t; h̄_s]
            e = (torch.tanh(qk @ p["W_a"].T) @ p["v_a"].T).squeeze(-1)               # v_aᵀ tanh(W_a [h_t; h̄_s])
        w = masked_softmax(e, x["key_padding_mask"])
        ctx = torch.einsum("bs,bsd->bd", w, x["values"])
        record(out_dir, "luong_" + kind, x, p, {"context": ctx, "weights": w})


# ---- Luong local-p (section 3.2, eqs. 9-10) -------------------------------------------------
def local_p(out_dir):
    B, S, Dq, Dk, P, Dwin = 3, 9, 4, 5, 6, 2
    p = {"W_p.weight": linear_weight(P, Dq), "v_p.weight": linear_weight(1, P), "W_a.weight": linear_weight(Dq, Dk)}
    x = {"keys": leaf(randn(B, S, Dk)), "values": leaf(randn(B, S, 3)), "key_padding_mask": padding_mask([9, 6, 8], S)}
    mask = x["key_padding_mask"]
    lengths = (S - mask.sum(dim=1))[:, None]                                             # true S per row
    s = torch.arange(S, dtype=torch.float64)[None, :]
    while True:  # a query whose window edges are not within 0.05 of a position (the hard cut is a step)
        x["query"] = leaf(randn(B, Dq))
        pt = lengths * torch.sigmoid(torch.tanh(x["query"] @ p["W_p.weight"].T) @ p["v_p.weight"].T)  # [B, 1]
        if (((s - pt).abs() - Dwin).abs() + 1e9 * mask).min().item() > 0.05:
            break
    outside = ((s - pt).abs() > Dwin).double() + mask                                    # window cut + padding
    e = torch.einsum("bi,ij,bsj->bs", x["query"], p["W_a.weight"], x["keys"])         # general score
    align = masked_softmax(e, outside.detach())
    sigma = Dwin / 2.0
    w = align * torch.exp(-((s - pt) ** 2) / (2 * sigma ** 2))
    ctx = torch.einsum("bs,bsd->bd", w, x["values"])
    record(out_dir, "local_p", x, p, {"context": ctx, "weights": w, "position": pt})


# ---- structured self-attentive pooling (Lin et al. 2017) --------------------------------------
def pooling(out_dir):
    B, T, h, da, r = 3, 6, 5, 4, 3
    p = {"W_s1.weight": linear_weight(da, h), "W_s2.weight": linear_weight(r, da)}
    x = {"H": leaf(randn(B, T, h)), "key_padding_mask": padding_mask([6, 3, 5], T)}
    scores = (torch.tanh(x["H"] @ p["W_s1.weight"].T) @ p["W_s2.weight"].T).transpose(1, 2)  # [B, r, T]
    A = masked_softmax(scores, x["key_padding_mask"][:, None, :])
    M = A @ x["H"]
    eye = torch.eye(r, dtype=torch.float64)
    penalty = (((A @ A.transpose(1, 2)) - eye) ** 2).sum() / B                    # batch mean of ‖AAᵀ − I‖²_F
    record(out_dir, "pooling", x, p, {"context": M, "weights": A, "penalty": penalty})


# ---- torch.nn.MultiheadAttention, batch_first=True --------------------------------------------
def torch_params(module):
    return {k: v for k, v in module.named_parameters()}


def mha(out_dir):
    E, H, B, Tq, Tk = 6, 2, 2, 3, 4
    m = torch.nn.MultiheadAttention(E, H, batch_first=True)
    with torch.no_grad():  # non-zero biases, so their gradients are tested too
        m.in_proj_bias.copy_(torch.randn(3 * E) * 0.5)
        m.out_proj.bias.copy_(torch.randn(E) * 0.5)
    m = m.double()
    # cross-attention with key padding
    x = {"query": leaf(randn(B, Tq, E)), "key": leaf(randn(B, Tk, E)), "value": leaf(randn(B, Tk, E)),
         "key_padding_mask": padding_mask([4, 2], Tk)}
    out, w = m(x["query"], x["key"], x["value"], key_padding_mask=x["key_padding_mask"].bool(),
               need_weights=True, average_attn_weights=False)
    _, avg = m(x["query"], x["key"], x["value"], key_padding_mask=x["key_padding_mask"].bool())
    record(out_dir, "mha_padding", x, torch_params(m), {"output": out, "weights": w},
           {"expected.average_weights": avg})
    m.zero_grad()
    # self-attention with a causal attn_mask and key padding
    T = 4
    x = {"x": leaf(randn(B, T, E)), "key_padding_mask": padding_mask([4, 3], T),
         "attn_mask": torch.triu(torch.ones(T, T, dtype=torch.float64), diagonal=1)}
    out, w = m(x["x"], x["x"], x["x"], key_padding_mask=x["key_padding_mask"].bool(),
               attn_mask=x["attn_mask"].bool(), need_weights=True, average_attn_weights=False)
    record(out_dir, "mha_causal", x, torch_params(m), {"output": out, "weights": w})


# ---- torch.nn.TransformerEncoderLayer / DecoderLayer / Transformer, pre-LN and post-LN -------------
def randomise_norms(module):
    """LayerNorms start at ones/zeros; perturb them so their gradients and roles are tested."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "norm" in name or name.endswith("bias"):
                p.add_(torch.randn(p.shape) * 0.2)


def attention_mask(rows, cols, masked):
    """[rows, cols] float mask, 1 at the (i, j) pairs given; no row is fully masked."""
    m = torch.zeros(rows, cols, dtype=torch.float64)
    for i, j in masked:
        m[i, j] = 1.0
    return m


def layer_case(out_dir, case, module, make_inputs, positional):
    """Runs module(*positional inputs, every *mask input by its torch keyword) and records it."""
    randomise_norms(module)
    module = module.double()
    x = make_inputs()
    masks = {k: v.bool() for k, v in x.items() if k.endswith("mask")}
    y = module(*[x[k] for k in positional], **masks)
    record(out_dir, case, x, torch_params(module), {"output": y})


def transformer_layers(out_dir, norm_first, suffix):
    """Encoder layer, decoder layer and a 2 + 2 layer Transformer. Pre-LN: padding and causal
    masks; post-LN (PyTorch's default, norm_first=False) adds src_mask and memory_mask."""
    d, H, ff, B, S, T = 8, 2, 16, 2, 5, 4
    kw = dict(dropout=0.0, batch_first=True, norm_first=True) if norm_first else dict(dropout=0.0, batch_first=True)
    attn_masks = not norm_first

    def src_inputs(x):
        x["src_key_padding_mask"] = padding_mask([5, 3], S)
        if attn_masks:
            x["src_mask"] = attention_mask(S, S, [(0, 4), (1, 0), (3, 2)])
        return x

    def tgt_inputs(x):
        x["tgt_mask"] = torch.triu(torch.ones(T, T, dtype=torch.float64), diagonal=1)
        x["tgt_key_padding_mask"] = padding_mask([4, 3], T)
        x["memory_key_padding_mask"] = padding_mask([5, 3], S)
        if attn_masks:
            x["memory_mask"] = attention_mask(T, S, [(0, 1), (2, 0), (3, 4)])
        return x

    layer_case(out_dir, "encoder_layer" + suffix, torch.nn.TransformerEncoderLayer(d, H, ff, **kw),
               lambda: src_inputs({"src": leaf(randn(B, S, d))}), ["src"])
    layer_case(out_dir, "decoder_layer" + suffix, torch.nn.TransformerDecoderLayer(d, H, ff, **kw),
               lambda: tgt_inputs({"tgt": leaf(randn(B, T, d)), "memory": leaf(randn(B, S, d))}), ["tgt", "memory"])
    model = torch.nn.Transformer(d, H, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=ff, **kw)
    assert model.encoder.layers[0].norm_first == norm_first
    layer_case(out_dir, "transformer" + suffix, model,
               lambda: tgt_inputs(src_inputs({"src": leaf(randn(B, S, d)), "tgt": leaf(randn(B, T, d))})),
               ["src", "tgt"])


def w4_parameter_count(out_dir):
    """W4's Transformer (shared/WORKLOADS.md): parameter count without embeddings and head."""
    w4 = torch.nn.Transformer(128, 4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=512,
                              dropout=0.0, batch_first=True, norm_first=True)
    count = sum(p.numel() for p in w4.parameters())
    write_fixture(os.path.join(out_dir, "attention", "w4_parameter_count.txt"),
                  {"parameter_count": torch.tensor([float(count)])})

# ---- content-based (cosine, NTM §3.3.1) and location-based (Luong eq. 8) scores --------------
def content_and_location(out_dir):
    B, S, D, L = 3, 5, 4, 7
    x = {"query": leaf(randn(B, D)), "keys": leaf(randn(B, S, D)), "values": leaf(randn(B, S, 3)),
         "key_padding_mask": padding_mask([5, 2, 4], S)}
    q, k = x["query"], x["keys"]
    p = {"log_beta": leaf(torch.tensor([math.log(3.0)], dtype=torch.float32).double())}
    unit = lambda t: t / torch.sqrt((t * t).sum(-1, keepdim=True) + 1e-8)     # x / ‖x‖
    e = torch.exp(p["log_beta"]) * torch.einsum("bd,bsd->bs", unit(q), unit(k))   # β · cos(s_t, h̄_s)
    w = masked_softmax(e, x["key_padding_mask"])
    record(out_dir, "cosine", x, p, {"context": torch.einsum("bs,bsd->bd", w, x["values"]), "weights": w})

    # the scores never read the keys, so no gradient reaches them: keys is a plain (non-leaf) input
    x = {k_: leaf(v.detach()) if v.requires_grad and k_ != "keys" else v.detach() for k_, v in x.items()}
    p = {"W_a": linear_weight(L, D)}
    e = (x["query"] @ p["W_a"].T)[:, :S]                                           # (W_a h_t)[0 .. S-1]
    w = masked_softmax(e, x["key_padding_mask"])
    record(out_dir, "location", x, p, {"context": torch.einsum("bs,bsd->bd", w, x["values"]), "weights": w})


# ---- Luong local-m (section 3.2): the general score in a window around a given p_t -------------
def local_m(out_dir):
    B, S, Dq, Dk, Dwin = 3, 9, 4, 5, 2
    p = {"W_a": linear_weight(Dq, Dk)}
    x = {"query": leaf(randn(B, Dq)), "keys": leaf(randn(B, S, Dk)), "values": leaf(randn(B, S, 3)),
         "key_padding_mask": padding_mask([9, 6, 8], S)}
    centres = torch.tensor([[1.0], [5.0], [4.5]], dtype=torch.float64)                  # p_t per row
    s = torch.arange(S, dtype=torch.float64)[None, :]
    outside = ((s - centres).abs() > Dwin).double() + x["key_padding_mask"]             # window + padding
    e = torch.einsum("bi,ij,bsj->bs", x["query"], p["W_a"], x["keys"])                 # h_tᵀ W_a h̄_s
    w = masked_softmax(e, outside)
    record(out_dir, "local_m", x, p, {"context": torch.einsum("bs,bsd->bd", w, x["values"]), "weights": w},
           {"in.centres": centres.reshape(-1)})


def main(out_dir):
    torch.manual_seed(20240603)
    torch.set_num_threads(1)
    additive(out_dir)
    sdpa(out_dir)
    layer_norm(out_dir)
    luong(out_dir)
    local_p(out_dir)
    pooling(out_dir)
    mha(out_dir)
    transformer_layers(out_dir, norm_first=True, suffix="")
    w4_parameter_count(out_dir)
    transformer_layers(out_dir, norm_first=False, suffix="_post_norm")  # last: the cases above keep their numbers
    torch.manual_seed(21)  # its own seed: the cases above keep their numbers
    content_and_location(out_dir)
    local_m(out_dir)
