"""PyTorch reference fixtures for the recurrent layers (tinyattn/nn/lstm.hpp, gru.hpp).

Writes out_dir/recurrent/*.txt, read by tests/test_nn_recurrent.cpp:
  lstm_cell.txt, gru_cell.txt        one step of torch.nn.LSTMCell / GRUCell with a given state
  lstm.txt, gru.txt                  2 layers, bidirectional, a padded batch with unsorted lengths
                                     through pack_padded_sequence / pad_packed_sequence, given h0 (c0)
  lstm_batch_first.txt, gru_batch_first.txt
                                     2 layers, batch_first=True, bias=False, no lengths, zero state
  parameter_counts.txt               sum of numel over parameters() for a few configurations

Every layer fixture follows the convention of tests/nn_checks.hpp:
  in.<name>        inputs (lengths as floats)
  param.<name>     every parameter under its PyTorch name (weight_ih_l0, bias_hh_l1_reverse, ...)
  out.<name>       outputs: h1 (and c1) for a cell; output, h_n (and c_n) for a whole layer
  upstream.<name>  a random upstream gradient for each output
  grad.in.<name>, grad.param.<name>
                   gradients of L = Σ_outputs Σ (out · upstream) w.r.t. inputs and parameters.

The parameters are PyTorch's own float32 initialisation and the inputs float32 draws; the
forward and backward passes then run in float64, so the fixture holds the exact answer for
those float32 numbers and the C++ float32 result is compared against it.

Run:  cd tests/reference && /usr/bin/python3 -c "import gen_recurrent; gen_recurrent.main('fixtures')"
"""
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_format import write_fixture


def uniform(*shape):
    """float32 draws in [-1, 1), then widened to float64 exactly."""
    return (torch.rand(*shape, dtype=torch.float32) * 2 - 1).double()


def leaf(t):
    return t.clone().requires_grad_(True)


def finish(path, module, inputs, outputs):
    """Backpropagates L = Σ_outputs Σ (out · upstream) for random upstream gradients and writes
    the case in the convention of tests/nn_checks.hpp (the same as gen_attention.py).

    inputs / outputs: dicts name -> tensor (inputs that require grad get a grad.in entry)."""
    upstream = {name: uniform(*t.shape) for name, t in outputs.items()}
    loss = sum((t * upstream[name]).sum() for name, t in outputs.items())
    loss.backward()
    tensors = {"in." + name: t for name, t in inputs.items()}
    for name, p in module.named_parameters():
        tensors["param." + name] = p
    for name, t in outputs.items():
        tensors["out." + name] = t
        tensors["upstream." + name] = upstream[name]
    for name, t in inputs.items():
        if t.requires_grad:
            tensors["grad.in." + name] = t.grad
    for name, p in module.named_parameters():
        tensors["grad.param." + name] = p.grad
    write_fixture(path, tensors)


def cells(out):
    B, I, H = 3, 5, 4
    torch.manual_seed(10)
    lstm = torch.nn.LSTMCell(I, H).double()
    x, h, c = leaf(uniform(B, I)), leaf(uniform(B, H)), leaf(uniform(B, H))
    h1, c1 = lstm(x, (h, c))
    finish(os.path.join(out, "lstm_cell.txt"), lstm, {"x": x, "h": h, "c": c}, {"h1": h1, "c1": c1})

    torch.manual_seed(11)
    gru = torch.nn.GRUCell(I, H).double()
    x, h = leaf(uniform(B, I)), leaf(uniform(B, H))
    h1 = gru(x, h)
    finish(os.path.join(out, "gru_cell.txt"), gru, {"x": x, "h": h}, {"h1": h1})


def packed(out, kind, seed):
    """2 layers, bidirectional, time-major, lengths unsorted and shorter than T, given state."""
    T, B, I, H, layers = 4, 3, 3, 4, 2
    lengths = [2, 4, 3]
    torch.manual_seed(seed)
    rnn = getattr(torch.nn, kind)(I, H, num_layers=layers, bidirectional=True).double()
    x = leaf(uniform(T, B, I))  # the padded steps hold numbers too: they must be ignored
    h0 = leaf(uniform(2 * layers, B, H))
    inputs = {"x": x, "lengths": torch.tensor(lengths), "h0": h0}
    packed_x = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    if kind == "LSTM":
        c0 = leaf(uniform(2 * layers, B, H))
        inputs["c0"] = c0
        packed_y, (h_n, c_n) = rnn(packed_x, (h0, c0))
        finals = {"h_n": h_n, "c_n": c_n}
    else:
        packed_y, h_n = rnn(packed_x, h0)
        finals = {"h_n": h_n}
    output, _ = pad_packed_sequence(packed_y, total_length=T)
    inputs["lengths"] = inputs["lengths"].double()  # not differentiable; stored for the C++ side
    finish(os.path.join(out, kind.lower() + ".txt"), rnn, inputs, dict(output=output, **finals))


def batch_first(out, kind, seed):
    """2 layers, one direction, batch_first=True, bias=False, full lengths, zero initial state."""
    B, T, I, H = 2, 3, 3, 4
    torch.manual_seed(seed)
    rnn = getattr(torch.nn, kind)(I, H, num_layers=2, bias=False, batch_first=True).double()
    x = leaf(uniform(B, T, I))
    output, final = rnn(x)
    finals = {"h_n": final[0], "c_n": final[1]} if kind == "LSTM" else {"h_n": final}
    finish(os.path.join(out, kind.lower() + "_batch_first.txt"), rnn, {"x": x}, dict(output=output, **finals))


def parameter_counts(out):
    configs = {
        "LSTM_64_128": torch.nn.LSTM(64, 128),
        "LSTMCell_192_128": torch.nn.LSTMCell(192, 128),
        "LSTM_64_128_layers2_bidirectional": torch.nn.LSTM(64, 128, num_layers=2, bidirectional=True),
        "LSTM_64_128_nobias": torch.nn.LSTM(64, 128, bias=False),
        "GRU_64_128": torch.nn.GRU(64, 128),
        "GRUCell_192_128": torch.nn.GRUCell(192, 128),
        "GRU_32_64_layers2_bidirectional": torch.nn.GRU(32, 64, num_layers=2, bidirectional=True),
    }
    counts = {name: torch.tensor(float(sum(p.numel() for p in m.parameters()))) for name, m in configs.items()}
    write_fixture(os.path.join(out, "parameter_counts.txt"), counts)


def main(out_dir):
    out = os.path.join(out_dir, "recurrent")
    cells(out)
    packed(out, "LSTM", 20)
    packed(out, "GRU", 21)
    batch_first(out, "LSTM", 30)
    batch_first(out, "GRU", 31)
    parameter_counts(out)
