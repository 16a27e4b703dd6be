#!/usr/bin/python3
"""run_comparison.py — tinyattn against PyTorch on the W1..W6 workloads, in one run.

    /usr/bin/python3 bench/run_comparison.py [--bench build/bin/bench] [--threads 2] [--rounds 3]
                                             [--workloads W1,W2,W3,W4,W5,W6,W7,W8]

For every round and workload it runs `bench W --threads N` and then
`torch_reference.py W --threads N` (interleaved, so both sides see the same machine load),
then prints one table: the median over the rounds of each side's per-run median, and the ratio.
PyTorch gets its best set-up (shared/WORKLOADS.md, "Fair comparison"): OpenBLAS as the BLAS,
OPENBLAS_CORETYPE for the real CPU, torch intra-op threads 1 and OpenBLAS threads N.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def openblas_coretype():
    flags = open("/proc/cpuinfo").read()
    if " avx512f" in flags:
        return "SkylakeX"
    return "Zen" if "AuthenticAMD" in flags else "Haswell"


def run(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def key_of(r):
    return (r["workload"], r["threads"], r.get("n"))


def value_of(r):
    for k in ("ms_per_step_median", "gflops", "us_per_sentence_median"):
        if k in r:
            return k, r[k]
    raise KeyError(r)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench", default=os.path.join(HERE, "..", "build", "bin", "bench"))
    p.add_argument("--threads", default="2", help="comma-separated, e.g. 1,2")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6,W7,W8")
    args = p.parse_args()
    coretype = openblas_coretype()
    results = {"tinyattn": {}, "pytorch": {}}
    rss = {}
    start = time.time()
    for rnd in range(args.rounds):
        for w in args.workloads.split(","):
            for n in [int(t) for t in args.threads.split(",")]:
                env = dict(os.environ, OPENBLAS_CORETYPE=coretype, OPENBLAS_NUM_THREADS=str(n))
                sides = [("tinyattn", [args.bench, w, "--threads", str(n)]),
                         ("pytorch", ["/usr/bin/python3", os.path.join(HERE, "torch_reference.py"), w,
                                      "--threads", str(n)])]
                for side, cmd in (sides if rnd % 2 == 0 else sides[::-1]):  # alternate who goes first
                    for r in run(cmd, env):
                        results[side].setdefault(key_of(r), []).append(value_of(r))
                        if "peak_rss_mb" in r:
                            rss.setdefault((side, key_of(r)), []).append(r["peak_rss_mb"])
                print(f"round {rnd + 1}/{args.rounds} {w} threads={n} done ({time.time() - start:.0f} s)",
                      file=sys.stderr, flush=True)
    print(f"OPENBLAS_CORETYPE={coretype}; torch threads=1, OpenBLAS threads=N; "
          f"median of {args.rounds} interleaved runs per side")
    print(f"{'workload':<10} {'thr':>3} {'metric':<14} {'tinyattn':>10} {'PyTorch':>10} {'ratio':>7}  "
          f"{'RSS tinyattn/PyTorch MiB':>24}")
    for key in results["tinyattn"]:
        if key not in results["pytorch"]:
            continue
        metric, _ = results["tinyattn"][key][0]
        ours = statistics.median(v for _, v in results["tinyattn"][key])
        theirs = statistics.median(v for _, v in results["pytorch"][key])
        # ratio > 1 means tinyattn is better: time ratio PyTorch/tinyattn, GFLOP/s ratio tinyattn/PyTorch
        ratio = ours / theirs if metric == "gflops" else theirs / ours
        name = key[0] + (f" n={key[2]}" if key[2] else "")
        unit = {"ms_per_step_median": "ms/step", "gflops": "GFLOP/s", "us_per_sentence_median": "us/sentence"}[metric]
        mem = ""
        if ("tinyattn", key) in rss and ("pytorch", key) in rss:
            mem = f"{max(rss[('tinyattn', key)]):.0f} / {max(rss[('pytorch', key)]):.0f}"
        print(f"{name:<10} {key[1]:>3} {unit:<14} {ours:>10.2f} {theirs:>10.2f} {ratio:>6.2f}x  {mem:>24}")
    print(f"total {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
