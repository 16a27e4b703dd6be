"""Writes fixture files in the format tests/fixture.hpp reads.

One tensor per line:  <name> <rank> <dims...> <values...>   (row-major, 9 significant digits,
so every float32 survives the round trip exactly).
"""
import os

import torch


def write_fixture(path, tensors):
    """tensors: dict name -> torch.Tensor (any dtype convertible to float32), written in insertion order."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for name, t in tensors.items():
            t = t.detach().to(torch.float32).contiguous()
            dims = list(t.shape)
            values = " ".join("%.9g" % v for v in t.reshape(-1).tolist())
            f.write(" ".join([name, str(len(dims))] + [str(d) for d in dims]) + (" " + values if values else "") + "\n")
