"""Optimizer, gradient-clipping and LR-scheduler fixtures (tests/test_optim.cpp).

main(out_dir) writes out_dir/optim/*.txt in the format of fixture_format.py:

* one file per optimizer configuration (sgd_*.txt, adam*.txt): two parameters ("param.0" [3, 4],
  "param.1" [5]) and five gradients per parameter ("grad.<step>.<index>", step 1..5). At step 3
  parameter 1 gets no gradient (grad None), so torch.optim skips it and its state (Adam's step
  count) falls one behind. After each step: "after.<step>.<index>" and the optimizer state
  ("momentum_buffer.*", "exp_avg.*", "exp_avg_sq.*", "step.*").
* clip.txt: torch.nn.utils.clip_grad_norm_ total norm and clipped gradients, for a max_norm
  that clips and one that does not.
* schedulers.txt: the lr after n = 0..N scheduler.step() calls, for StepLR and for the warmup +
  inverse-square-root schedule (written as a torch LambdaLR with the paper's formula).

Run: cd tests/reference && /usr/bin/python3 -c "import gen_optim; gen_optim.main('fixtures')"
"""
import math
import os

import torch

from fixture_format import write_fixture

STEPS = 5
SKIP = (3, 1)  # (step, parameter index) that has no gradient


def initial_tensors():
    g = torch.Generator().manual_seed(1234)
    params = [torch.randn(3, 4, generator=g), torch.randn(5, generator=g)]
    # Gradients of different sizes from step to step, so momentum/moments matter.
    grads = {}
    for step in range(1, STEPS + 1):
        for i, p in enumerate(params):
            if (step, i) != SKIP:
                grads[(step, i)] = torch.randn(p.shape, generator=g) * (0.5 + step * 0.3)
    return params, grads


def run_optimizer(make, state_names):
    params0, grads = initial_tensors()
    params = [p.clone().requires_grad_(True) for p in params0]
    opt = make(params)
    out = {}
    for i, p in enumerate(params0):
        out["param.%d" % i] = p
    for step in range(1, STEPS + 1):
        for i, p in enumerate(params):
            p.grad = grads[(step, i)].clone() if (step, i) in grads else None
            if p.grad is not None:
                out["grad.%d.%d" % (step, i)] = p.grad
        opt.step()
        for i, p in enumerate(params):
            out["after.%d.%d" % (step, i)] = p.detach().clone()
            for name in state_names:
                value = opt.state[p].get(name)
                if value is not None:
                    out["%s.%d.%d" % (name, step, i)] = torch.as_tensor(value).detach().clone().reshape(p.shape if name != "step" else [])
    return out


OPTIMIZERS = {
    "sgd_plain": (lambda ps: torch.optim.SGD(ps, lr=0.1), []),
    "sgd_momentum": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), ["momentum_buffer"]),
    "sgd_nesterov": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True), ["momentum_buffer"]),
    "sgd_weight_decay": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.25, weight_decay=0.1),
                         ["momentum_buffer"]),
    "adam": (lambda ps: torch.optim.Adam(ps, lr=0.01), ["exp_avg", "exp_avg_sq", "step"]),
    "adam_weight_decay": (lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1),
                          ["exp_avg", "exp_avg_sq", "step"]),
    "adamw": (lambda ps: torch.optim.AdamW(ps, lr=0.01), ["exp_avg", "exp_avg_sq", "step"]),
    "adamw_betas": (lambda ps: torch.optim.AdamW(ps, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
                    ["exp_avg", "exp_avg_sq", "step"]),
}


def clip_fixture():
    g = torch.Generator().manual_seed(99)
    shapes = [[4, 3], [3], [2, 2]]
    grads = [torch.randn(s, generator=g) for s in shapes]
    out = {}
    for i, gr in enumerate(grads):
        out["grad.%d" % i] = gr
    for tag, max_norm in (("clipped", 1.5), ("unclipped", 100.0)):
        params = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p, gr in zip(params, grads):
            p.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        out["%s.max_norm" % tag] = torch.tensor(max_norm)
        out["%s.total_norm" % tag] = total
        for i, p in enumerate(params):
            out["%s.grad.%d" % (tag, i)] = p.grad
    return out


def lr_sequence(make_scheduler, lr, n):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    sched = make_scheduler(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(n):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return torch.tensor(lrs, dtype=torch.float64)


def noam(s, d_model, warmup, factor):
    """Vaswani et al. (2017) eq. 3 for optimizer step s (from 1)."""
    return factor * d_model ** -0.5 * min(s ** -0.5, s * warmup ** -1.5)


def peak(s, peak_lr, warmup):
    return peak_lr * min(s / warmup, math.sqrt(warmup / s))


def scheduler_fixture():
    LambdaLR = torch.optim.lr_scheduler.LambdaLR
    return {
        # StepLR(step_size=3, gamma=0.5) from lr 0.5
        "step_lr": lr_sequence(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 0.5, 12),
        # d_model 64, warmup 4, factor 2; LambdaLR multiplies the base lr 1.0. After n calls
        # the lr is for optimizer step n + 1.
        "noam": lr_sequence(lambda o: LambdaLR(o, lambda n: noam(n + 1, 64, 4, 2.0)), 1.0, 12),
        "peak": lr_sequence(lambda o: LambdaLR(o, lambda n: peak(n + 1, 1e-3, 4)), 1.0, 12),
    }


def main(out_dir):
    d = os.path.join(out_dir, "optim")
    for name, (make, state_names) in OPTIMIZERS.items():
        write_fixture(os.path.join(d, name + ".txt"), run_optimizer(make, state_names))
    write_fixture(os.path.join(d, "clip.txt"), clip_fixture())
    write_fixture(os.path.join(d, "schedulers.txt"), scheduler_fixture())


if __name__ == "__main__":
    main(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
