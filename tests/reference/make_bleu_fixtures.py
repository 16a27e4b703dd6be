#!/usr/bin/env python3
"""Write tests/reference/bleu_fixtures.txt: BLEU scores computed by NLTK, for test_bleu.cpp.

Run from anywhere with Debian's python3-nltk:
    /usr/bin/python3 tests/reference/make_bleu_fixtures.py

NLTK (nltk.translate.bleu_score) is the independent implementation tinyattn's BLEU is checked
against. Each case is a small corpus of tokenized hypotheses with their references, and the
score NLTK gives it:
  kind corpus   -> corpus_bleu(list_of_references, hypotheses, weights)        (no smoothing)
  kind sentence -> sentence_bleu(references, hypothesis, weights,
                                 smoothing_function=SmoothingFunction(epsilon=0.1).method1)

File format (plain text, one record per line, tokens separated by single spaces):
    case <name>
    kind corpus|sentence
    n <max n-gram order>                 weights are uniform: (1/n, ..., 1/n)
    hyp <tokens...>                      starts a new sentence (may have no tokens)
    ref <tokens...>                      a reference of the latest hyp (one or more)
    expected <score, repr of a Python float>
    end
"""
import os
import random
import warnings

import nltk
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu

warnings.filterwarnings("ignore")  # NLTK warns on zero n-gram matches; those cases are intended

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bleu_fixtures.txt")


def t(s):
    return s.split()


CASES = []  # (name, kind, n, [(hyp_tokens, [ref_tokens, ...]), ...])


def add(name, kind, sentences, n=4):
    CASES.append((name, kind, n, [(t(h), [t(r) for r in refs]) for h, refs in sentences]))


# ---- corpus BLEU ------------------------------------------------------------------------
add("perfect_match", "corpus", [("the red car is fast .", ["the red car is fast ."])])
add("zero_matches", "corpus", [("a b c d e", ["v w x y z"])])
add("no_four_gram_match", "corpus", [("the cat sat on a mat", ["the cat is on the mat"])])
add("short_hypothesis_3_tokens", "corpus", [("le chat noir", ["le chat noir dort"])])
add("short_hypothesis_in_corpus", "corpus",
    [("le chat", ["le chat dort"]),
     ("la voiture rouge est rapide .", ["la voiture rouge est très rapide ."])])
add("brevity_penalty", "corpus", [("the quick brown fox jumps", ["the quick brown fox jumps over the lazy dog"])])
add("longer_than_reference", "corpus",
    [("the quick brown fox jumps over the lazy dog again and again", ["the quick brown fox jumps over the lazy dog"])])
add("clipping_repeated_word", "corpus",
    [("the the the the the the the", ["the cat is on the mat"]),
     ("there is a cat on the mat", ["the cat is on the mat"])])
add("multi_sentence_corpus", "corpus",
    [("je ne mange pas de pommes .", ["je ne mange pas de pommes ."]),
     ("il a une voiture rouge .", ["il a une voiture rouge ."]),
     ("nous allons au marché demain", ["nous allons au marché demain ."]),
     ("elle est plus grande que lui .", ["elle est plus grande que son frère ."]),
     ("c' est le livre de le professeur .", ["c' est le livre du professeur ."])])
add("nltk_doc_multi_reference", "corpus",
    [("It is a guide to action which ensures that the military always obeys the commands of the party",
      ["It is a guide to action that ensures that the military will forever heed Party commands",
       "It is the guiding principle which guarantees the military forces always being under the command of the Party",
       "It is the practical guide for the army always to heed the directions of the party"]),
     ("he read the book because he was interested in world history",
      ["he was interested in world history because he read the book"])])
add("closest_reference_tie_takes_shorter", "corpus",
    [("a b c d e f g h i j k l", ["a b c d e f g h i j k l m", "a b c d e f g h i j k"])])
add("closest_reference_mteval", "corpus",
    [("a b c d e f g", ["a b c d e f g h i j k", "a b c d e f g h"])])
add("empty_hypothesis_in_corpus", "corpus",
    [("", ["the cat sleeps"]),
     ("the dog runs in the park", ["the dog runs in the big park"])])
add("bleu_2_short", "corpus", [("le chat", ["le chat noir"])], n=2)
add("dates_iso", "corpus",
    [("2021 - 03 - 03", ["2021 - 03 - 03"]),
     ("1999 - 12 - 31", ["1999 - 11 - 30"]),
     ("2005 - 07 - 14", ["2005 - 07 - 14"])])

# ---- smoothed sentence BLEU ---------------------------------------------------------------
add("sentence_perfect", "sentence", [("the red car is fast .", ["the red car is fast ."])])
add("sentence_no_four_gram", "sentence", [("the cat sat on a mat", ["the cat is on the mat"])])
add("sentence_two_tokens", "sentence", [("le chat", ["le chat noir dort"])])
add("sentence_one_token", "sentence", [("oui", ["oui"])])
add("sentence_zero_matches", "sentence", [("a b c", ["x y z"])])
add("sentence_brevity", "sentence", [("il ne mange pas", ["il ne mange pas de pommes ce soir"])])
add("sentence_multi_reference", "sentence",
    [("the cat is on the mat", ["there is a cat on the mat", "the cat is on a mat"])])

# ---- random corpora over a small vocabulary (many partial matches) -------------------------
rng = random.Random(2024)
words = "le la un une chat chien voiture rouge noir petit grand mange dort est pas ne".split()
for k in range(8):
    sentences = []
    for _ in range(rng.randint(2, 7)):
        ref = [rng.choice(words) for _ in range(rng.randint(3, 12))]
        hyp = list(ref)
        for _ in range(rng.randint(0, 4)):  # corrupt: substitute, delete or insert a word
            op = rng.choice(["sub", "del", "ins"])
            pos = rng.randrange(len(hyp) + (1 if op == "ins" else 0)) if hyp or op == "ins" else 0
            if op == "sub" and hyp:
                hyp[pos] = rng.choice(words)
            elif op == "del" and len(hyp) > 1:
                del hyp[pos]
            elif op == "ins":
                hyp.insert(pos, rng.choice(words))
        sentences.append((" ".join(hyp), [" ".join(ref)]))
    add(f"random_corpus_{k}", "corpus", sentences)
    add(f"random_sentence_{k}", "sentence", sentences[:1])


def score(kind, n, sentences):
    weights = tuple([1.0 / n] * n)
    if kind == "corpus":
        return corpus_bleu([refs for _, refs in sentences], [h for h, _ in sentences], weights=weights)
    (hyp, refs), = sentences
    return sentence_bleu(refs, hyp, weights=weights, smoothing_function=SmoothingFunction(epsilon=0.1).method1)


with open(OUT, "w", encoding="utf-8", newline="\n") as f:
    f.write(f"# BLEU fixtures written by tests/reference/make_bleu_fixtures.py with nltk {nltk.__version__}.\n")
    f.write("# Do not edit by hand; regenerate with /usr/bin/python3 tests/reference/make_bleu_fixtures.py\n")
    for name, kind, n, sentences in CASES:
        f.write(f"case {name}\nkind {kind}\nn {n}\n")
        for hyp, refs in sentences:
            f.write(("hyp " + " ".join(hyp)).rstrip() + "\n")
            for ref in refs:
                f.write("ref " + " ".join(ref) + "\n")
        f.write(f"expected {float(score(kind, n, sentences))!r}\nend\n")
print(f"wrote {len(CASES)} cases to {OUT}")
