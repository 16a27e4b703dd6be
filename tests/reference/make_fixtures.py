#!/usr/bin/env python3
"""Regenerates every PyTorch reference fixture under tests/reference/fixtures/.

Run from anywhere:  /usr/bin/python3 tests/reference/make_fixtures.py
(needs Debian's python3-torch: apt-get install python3-torch). Each gen_*.py module beside
this file writes one family of fixtures (ops, layers, attention, optimizers) through its
main(out_dir) function. The fixtures are committed; the C++ tests never need torch.
"""
import glob
import importlib
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

if __name__ == "__main__":
    torch.manual_seed(0)
    torch.set_num_threads(1)  # deterministic reductions
    sys.path.insert(0, HERE)
    for path in sorted(glob.glob(os.path.join(HERE, "gen_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        print("tinyattn fixtures:", name)
        importlib.import_module(name).main(OUT)
