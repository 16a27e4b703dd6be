#!/usr/bin/python3
"""torch_reference.py — the W1..W6 workloads of shared/WORKLOADS.md in PyTorch, written the way
a PyTorch user writes them (nn.LSTM encoder, nn.LSTMCell decoder loop, nn.Transformer,
torch.optim.Adam). Prints the same JSON lines as `build/bin/bench`.

    OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE=Zen /usr/bin/python3 bench/torch_reference.py W1 --threads 2

--threads N sets torch's intra-op threads to 1 when N > 1 and expects OPENBLAS_NUM_THREADS=N
in the environment (run_comparison.sh sets it): on two cores "2 + 2" threads oversubscribe.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS = 1


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def time_steps(step, warmup, steps):
    for _ in range(warmup):
        step()
    ms = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        ms.append((time.perf_counter() - start) * 1000.0)
    return ms


def print_step_json(workload, threads, ms, params):
    print(json.dumps({"workload": workload, "threads": threads,
                      "ms_per_step_median": round(statistics.median(ms), 3),
                      "ms_min": round(min(ms), 3), "ms_max": round(max(ms), 3),
                      "steps": len(ms), "params": params, "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)


def param_count(model):
    return sum(p.numel() for p in model.parameters())


def time_decode(workload, decode, model, args):
    """W6 / W8: decode() one sentence at a time; µs per sentence over 200 after 20 warm-ups."""
    ms = time_steps(decode, max(args.warmup, 20), max(args.steps, 200))
    print(json.dumps({"workload": workload, "threads": args.threads,
                      "us_per_sentence_median": round(1000 * statistics.median(ms), 1),
                      "us_min": round(1000 * min(ms), 1), "us_max": round(1000 * max(ms), 1),
                      "sentences": len(ms), "params": param_count(model),
                      "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)


def check_params(workload, model, expected):
    got = param_count(model)
    if got != expected:
        sys.exit(f"{workload}: model has {got} parameters, expected {expected}")


def random_ids(gen, shape, vocab):
    return torch.randint(4, vocab, shape, generator=gen)


# ---- W1 / W2 / W6: seq2seq with Bahdanau attention -------------------------------------------
class Seq2Seq(nn.Module):
    def __init__(self, vocab, emb, hidden):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, emb)
        self.encoder = nn.LSTM(emb, hidden, batch_first=True)
        self.tgt_emb = nn.Embedding(vocab, emb)
        self.W_q = nn.Linear(hidden, hidden, bias=False)
        self.W_k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.cell = nn.LSTMCell(emb + hidden, hidden)
        self.out = nn.Linear(2 * hidden, vocab)

    def encode(self, src):
        states, (h, c) = self.encoder(self.src_emb(src))  # [B, S, H]
        return states, self.W_k(states), h[0], c[0]

    def step(self, emb_prev, states, keys, s, c):
        energy = torch.tanh(self.W_q(s).unsqueeze(1) + keys)           # [B, S, H]
        alpha = torch.softmax(self.v(energy).squeeze(2), dim=1)        # [B, S]
        ctx = torch.bmm(alpha.unsqueeze(1), states).squeeze(1)         # [B, H]
        s, c = self.cell(torch.cat([emb_prev, ctx], 1), (s, c))
        return torch.cat([s, ctx], 1), s, c

    def loss(self, src, tgt):
        states, keys, s, c = self.encode(src)
        B, T = tgt.shape
        inputs = torch.cat([torch.full((B, 1), BOS, dtype=tgt.dtype), tgt[:, :-1]], 1)
        emb = self.tgt_emb(inputs)
        outputs = []
        for t in range(T):
            o, s, c = self.step(emb[:, t], states, keys, s, c)
            outputs.append(o)
        logits = self.out(torch.stack(outputs, 1))
        return F.cross_entropy(logits.reshape(B * T, -1), tgt.reshape(-1))


SEQ2SEQ = {"W1": dict(vocab=256, emb=64, hidden=128, batch=32, src_len=12, tgt_len=12, params=395776),
           "W2": dict(vocab=2000, emb=256, hidden=512, batch=64, src_len=20, tgt_len=20, params=7801808)}


def train_loop(workload, model, loss_fn, args, expected):
    check_params(workload, model, expected)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss_fn().backward()
        opt.step()
    ms = time_steps(step, args.warmup, args.steps)
    print_step_json(workload, args.threads, ms, param_count(model))


def run_seq2seq(workload, args):
    c = SEQ2SEQ[workload]
    gen = torch.Generator().manual_seed(1234)
    model = Seq2Seq(c["vocab"], c["emb"], c["hidden"])
    src = random_ids(gen, (c["batch"], c["src_len"]), c["vocab"])
    tgt = random_ids(gen, (c["batch"], c["tgt_len"]), c["vocab"])
    train_loop(workload, model, lambda: model.loss(src, tgt), args, c["params"])


def run_w6(args):
    c = SEQ2SEQ["W1"]
    gen = torch.Generator().manual_seed(1234)
    model = Seq2Seq(c["vocab"], c["emb"], c["hidden"]).eval()
    src = random_ids(gen, (1, c["src_len"]), c["vocab"])

    def decode():
        with torch.no_grad():
            states, keys, s, cc = model.encode(src)
            prev = torch.tensor([BOS])
            for _ in range(c["tgt_len"]):
                o, s, cc = model.step(model.tgt_emb(prev), states, keys, s, cc)
                prev = model.out(o).argmax(1)
    time_decode("W6", decode, model, args)


# ---- W3: sentiment LSTM with attention pooling ---------------------------------------------
class Sentiment(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5000, 64)
        self.rnn = nn.LSTM(64, 128, batch_first=True)
        self.W1 = nn.Linear(128, 64)
        self.w2 = nn.Linear(64, 1, bias=False)
        self.head = nn.Linear(128, 2)

    def forward(self, ids):
        H, _ = self.rnn(self.emb(ids))                                  # [B, T, 128]
        a = torch.softmax(self.w2(torch.tanh(self.W1(H))).squeeze(2), 1)  # [B, T]
        pooled = torch.bmm(a.unsqueeze(1), H).squeeze(1)                # [B, 128]
        return self.head(pooled)


def run_w3(args):
    gen = torch.Generator().manual_seed(1234)
    model = Sentiment()
    ids = random_ids(gen, (64, 32), 5000)
    labels = torch.randint(0, 2, (64,), generator=gen)
    train_loop("W3", model, lambda: F.cross_entropy(model(ids), labels), args, 427906)


# ---- W4: tiny pre-LN Transformer -----------------------------------------------------------
def sinusoids(length, d):
    pe = torch.zeros(length, d)
    pos = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    i2 = torch.arange(0, d, 2, dtype=torch.float64)
    angle = pos / torch.pow(10000.0, i2 / d)
    pe[:, 0::2] = torch.sin(angle).float()
    pe[:, 1::2] = torch.cos(angle).float()
    return pe


class TinyTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_emb = nn.Embedding(256, 128)
        self.tgt_emb = nn.Embedding(256, 128)
        self.register_buffer("pe", sinusoids(64, 128))
        self.transformer = nn.Transformer(d_model=128, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
                                          dim_feedforward=512, dropout=0.0, batch_first=True, norm_first=True)
        self.head = nn.Linear(128, 256)

    def forward(self, src, tgt_in, causal):
        s = self.src_emb(src) + self.pe[: src.shape[1]]
        t = self.tgt_emb(tgt_in) + self.pe[: tgt_in.shape[1]]
        return self.head(self.transformer(s, t, tgt_mask=causal))


def run_w4(args):
    gen = torch.Generator().manual_seed(1234)
    model = TinyTransformer()
    src = random_ids(gen, (32, 12), 256)
    tgt = random_ids(gen, (32, 12), 256)
    tgt_in = torch.cat([torch.full((32, 1), BOS, dtype=tgt.dtype), tgt[:, :-1]], 1)
    causal = nn.Transformer.generate_square_subsequent_mask(12)
    train_loop("W4", model, lambda: F.cross_entropy(model(src, tgt_in, causal).reshape(-1, 256), tgt.reshape(-1)),
               args, 1024768)


# W8: the W4 model decoding greedily, batch 1, 12 tokens, no grad. torch.nn.TransformerDecoder has
# no key/value cache, so PyTorch's way is the encoder once and the decoder on the whole prefix at
# every step (causal mask), keeping the last position, under inference_mode (its fastest no-grad mode).
def run_w8(args):
    gen = torch.Generator().manual_seed(1234)
    model = TinyTransformer().eval()
    check_params("W8", model, 1024768)
    src = random_ids(gen, (1, 12), 256)
    masks = [nn.Transformer.generate_square_subsequent_mask(n) for n in range(1, 13)]

    def decode():
        with torch.inference_mode():
            memory = model.transformer.encoder(model.src_emb(src) + model.pe[:12])
            prefix = torch.tensor([[BOS]])
            for step in range(12):
                t = model.tgt_emb(prefix) + model.pe[: step + 1]
                y = model.transformer.decoder(t, memory, tgt_mask=masks[step])
                prev = model.head(y[:, -1]).argmax(1)
                prefix = torch.cat([prefix, prev[:, None]], 1)
    time_decode("W8", decode, model, args)


# ---- W5: sgemm through torch.mm (OpenBLAS) -------------------------------------------------
def run_w5(args):
    gen = torch.Generator().manual_seed(1234)
    for n in (64, 128, 256, 512, 1024):
        a = torch.rand(n, n, generator=gen) * 2 - 1
        b = torch.rand(n, n, generator=gen) * 2 - 1
        c = torch.empty(n, n)
        flops = 2.0 * n ** 3
        reps = max(1, int(2e9 / flops))

        def run():
            for _ in range(reps):
                torch.mm(a, b, out=c)
        ms = time_steps(run, 3, max(args.steps, 10))
        med = statistics.median(ms)
        print(json.dumps({"workload": "W5", "threads": args.threads, "n": n,
                          "gflops": round(flops * reps / (med * 1e6), 2),
                          "ms_per_gemm_median": round(med / reps, 4)}), flush=True)


# ---- W7: lesson 13's soft-attention captioner (lessons/13_show_attend_tell/captioner.hpp) -------
class Captioner(nn.Module):
    def __init__(self, vocab=17):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 1)
        self.position = nn.Parameter(torch.randn(64, 64) * 0.1)
        self.embed = nn.Embedding(vocab, 32)
        self.W_q = nn.Linear(128, 64, bias=False)
        self.W_k = nn.Linear(128, 64)
        self.v = nn.Linear(64, 1, bias=False)
        self.init_h = nn.Linear(64, 128)
        self.init_c = nn.Linear(64, 128)
        self.cell = nn.LSTMCell(32 + 64, 128)
        self.out = nn.Linear(128 + 64, vocab)

    def loss(self, images, inputs, targets, penalty):
        B, T = inputs.shape
        x = F.max_pool2d(F.relu(self.conv1(images)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        what = x.reshape(B, 64, 64).transpose(1, 2)                       # [B, 64 regions, 64]
        regions = torch.cat([what, self.position.expand(B, 64, 64)], 2)   # [what_i; where_i] [B, 64, 128]
        keys = self.W_k(regions)
        summary = what.mean(1)
        h, c = torch.tanh(self.init_h(summary)), torch.tanh(self.init_c(summary))
        emb = self.embed(inputs)
        logits, alphas = [], []
        for t in range(T):
            alpha = torch.softmax(self.v(torch.tanh(self.W_q(h).unsqueeze(1) + keys)).squeeze(2), dim=1)
            ctx = torch.bmm(alpha.unsqueeze(1), regions).squeeze(1)          # [what; where] [B, 128]
            h, c = self.cell(torch.cat([emb[:, t], ctx[:, 64:]], 1), (h, c))  # the LSTM reads where
            logits.append(self.out(torch.cat([h, ctx[:, :64]], 1)))          # the word from what
            alphas.append(alpha)
        ce = F.cross_entropy(torch.stack(logits, 1).reshape(B * T, -1), targets.reshape(-1))
        seen = torch.stack(alphas, 1).sum(1)                              # Σ_t α_ti
        return ce + penalty * ((1 - seen) ** 2).sum() / B


W7_PENALTY = 0.0003  # lesson13::kPenalty


def run_w7(args):
    gen = torch.Generator().manual_seed(1234)
    model = Captioner()
    images = torch.rand((32, 3, 32, 32), generator=gen)
    inputs = random_ids(gen, (32, 16), 17)
    targets = random_ids(gen, (32, 16), 17)
    train_loop("W7", model, lambda: model.loss(images, inputs, targets, W7_PENALTY), args, 172177)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--warmup", type=int, default=5)
    args = p.parse_args()
    if args.steps is None:
        args.steps = 10 if args.workload == "W2" else 20
    # 2 cores: torch intra-op 1 thread, OpenBLAS N threads (WORKLOADS.md, "Fair comparison").
    torch.set_num_threads(1)
    blas = os.environ.get("OPENBLAS_NUM_THREADS")
    if blas is not None and int(blas) != args.threads:
        sys.exit(f"torch_reference: --threads {args.threads} but OPENBLAS_NUM_THREADS={blas}")
    torch.manual_seed(1234)
    {"W1": lambda: run_seq2seq("W1", args), "W2": lambda: run_seq2seq("W2", args), "W3": lambda: run_w3(args),
     "W4": lambda: run_w4(args), "W5": lambda: run_w5(args), "W6": lambda: run_w6(args),
     "W7": lambda: run_w7(args),
     "W8": lambda: run_w8(args)}[args.workload]()


if __name__ == "__main__":
    main()
