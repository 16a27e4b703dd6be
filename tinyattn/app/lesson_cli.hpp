// lesson_cli.hpp — what every lesson program shares: its command line, a progress line,
// and the --report JSON file. Lessons read top to bottom; this keeps the plumbing out of them.
//
// How a lesson program ends (the same for all of them, decided here and nowhere else):
//   exit 0    it ran to the end
//   exit 1    an error: "NN_name: error: <message>" on stderr, after everything already
//             printed to stdout has been flushed (any exception that leaves main() ends here,
//             see parse_lesson_args; no lesson aborts with a core dump)
//   exit 2    a usage error: a bad flag or value, "NN_name: error: --flag ..." (see --help)
//   exit 130  Ctrl-C (or kill): the checkpoint was saved first (interrupt.hpp)
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tinyattn {

struct LessonInfo {
    LessonInfo(std::string lesson_name, std::string one_line_summary)
        : name(std::move(lesson_name)), summary(std::move(one_line_summary)) {}
    std::string name;         // "07_attention"
    std::string summary;      // one line: what the lesson does
    bool trains = false;      // training lessons also take --data, --epochs, --resume
    int default_epochs = 0;   // --epochs when it is not given
    int quick_epochs = 1;     // --epochs under --quick when it is not given
    std::string data_help;    // the --data file format, for --help
    bool subwords = false;    // a translation lesson that also takes --bpe N (tasks/subword_data.hpp)
    bool text_data = false;   // text lessons (05-11, 15): also --min-freq, --max-vocab, --patience, --keep-last
    bool translation = false; // sentence pairs: also --src-lang and --tgt-lang
};

// The defaults for a learner's own --data (the shipped toy corpora keep every word and train
// their fixed number of epochs, so their results do not change):
// A word seen once in a sentence-pair file's training split becomes <unk>. The sentiment lessons
// keep every word (1): on gen_real_sentiment's file min-freq 2 averaged 92.5% test accuracy
// against 94.1% (three seeds, lesson 09's chapter) — a sentiment word seen once still says its label.
inline constexpr int kOwnDataMinFreq = 2;
// A sentence-pair --data file, in words (not --bpe, whose size is its merges): each vocabulary keeps
// at most this many tokens (with the specials). Why a cap: the output layer and its softmax cost ∝
// the target vocabulary, and a whole real file (Tatoeba's 142k pairs: 25k French word types) would
// spend almost all of each step there (measured in lessons/07_attention/README.md, "A big file").
// 2000 rather than 4000: on that file it makes a step 1.6-1.8x cheaper for one more point of <unk>
// in the test split (English 1.3% -> 2.3%, French 2.5% -> 3.5%).
inline constexpr int kOwnDataMaxVocab = 2000;
inline constexpr int kOwnDataPatience = 3;  // stop after 3 epochs without a better validation score

struct LessonOptions {
    uint64_t seed = 1;
    int threads = 0;          // 0: all cores
    int epochs = 0;           // the TOTAL number of epochs: --epochs, else the lesson's default
                              // (quick_epochs under --quick); --resume trains up to it
    bool epochs_given = false;
    bool quick = false;       // a short run (used by the tests)
    std::string report;       // --report FILE: final metrics as one JSON object
    std::string data;         // --data PATH: train on the learner's own file
    std::string resume;       // --resume CKPT: continue from a checkpoint
    std::string plots_dir;    // --plots DIR: where figures go. Default: plots/ (the figures the
                              // README shows) for a full run on the shipped data; build/plots/
                              // for --quick and --data runs, which never replace them
    std::string checkpoint;   // --checkpoint FILE: where to save (default: build/<lesson>.ckpt)
    int bpe = 0;              // --bpe N: N byte-pair merges a side (0: words)
    // Vocabulary (training lessons): words seen fewer than min_freq times in the training split
    // become <unk>, so <unk> is trained; max_vocab caps the size (0: none). --min-freq's default:
    // 1 on the shipped corpus (every word kept), kOwnDataMinFreq with --data.
    int min_freq = 1;
    int max_vocab = 0;
    // Early stopping: stop after `patience` epochs without a better validation score and keep the
    // best epoch's weights (0: off, every epoch is trained and the last is kept). Default: off on
    // the shipped corpus, kOwnDataPatience with --data. keep_last: also save <checkpoint>.last.
    int patience = 0;
    bool keep_last = false;
    // The languages of the pair file's two columns (translation lessons): data::tokenize's rules.
    std::string src_lang = "en", tgt_lang = "fr";
};

// Parses argv; prints --help and exits 0, or prints the error and exits 2. Numbers are checked
// for range (no overflow). Then checks that every output path (--checkpoint, --plots, --report)
// can be written and that --data and --resume exist, before any training starts. Also sets the
// OpenMP thread count, seeds the global Rng, and installs the error exit (lesson_error_exit) for
// any exception the lesson lets escape.
LessonOptions parse_lesson_args(int argc, char** argv, const LessonInfo& info);

// A lesson's own numeric flag: `text` as a whole number in [lo, hi], else the usage error
// "NN_name: error: --n needs a whole number from 1 to 4096, got 'x' (see --help)", exit 2.
long long parse_number(const std::string& flag, const std::string& text, long long lo, long long hi);

// Flushes stdout, prints "NN_name: error: <message>" on stderr and exits with `code`
// (1: an error, 2: a usage error). The lesson name is the one parse_lesson_args saw.
[[noreturn]] void lesson_error_exit(const std::string& message, int code = 1);

// The closing lines every lesson prints: the figures THIS run wrote (plot::figures_written) and
// the checkpoint, if this run saved one:
//     figures (build/plots): 07_attention_reorder.png 07_attention_evolution.png ...
//     checkpoint: build/07_attention.ckpt
void print_outputs(const LessonOptions& opt);
// Notes a file this run wrote besides figures, which print_outputs then lists as "<what>: <path>"
// (e.g. "test predictions: build/plots/07_attention_test_predictions.tsv").
void note_output(const std::string& what, const std::string& path);

// True when a run starting at `first_epoch` (0, or a resumed checkpoint's) has no epoch left
// before the total `epochs`; then it also says so: "checkpoint is at epoch 3 of 3: nothing to
// train, evaluating" (or "--epochs 0: nothing to train, evaluating the untrained model").
bool nothing_to_train(int first_epoch, int epochs);

// Prints "epoch 2/10  step 150/400  loss 1.2345  8,120 tok/s  ETA 0:42" (the loss is the mean of
// the steps since the previous line) at most every `interval` seconds and at the end of each epoch, one line each (readable in CI
// logs too). Epochs are counted from 0 to `epochs` (the total); a resumed run starts at
// `first_epoch`. `unit` names what step() counts: "tok" (tokens) or "ex" (examples).
class Progress {
public:
    Progress(int first_epoch, int epochs, int steps_per_epoch, double interval_seconds = 2.0,
             std::string unit = "tok");
    // Call after every step with the step's loss and how many tokens (or examples) it saw.
    void step(int epoch, int step, float loss, long tokens);
    double elapsed_seconds() const;

private:
    using Clock = std::chrono::steady_clock;
    int first_epoch_, epochs_, steps_per_epoch_;
    std::string unit_;
    double interval_;
    Clock::time_point start_, last_print_;
    long tokens_ = 0;
    long steps_done_ = 0;
    double loss_sum_ = 0.0;   // since the last printed line
    int loss_count_ = 0;
};

// Wall-clock seconds since construction, for lines like "trained in 57 s".
struct Timer {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

// A flat JSON object of metrics: {"lesson": "07_attention", "test_bleu": 0.96, ...}
class Report {
public:
    void set(const std::string& key, double value);
    void set(const std::string& key, const std::string& value);
    std::string json() const;
    void write(const std::string& path) const;  // no-op for an empty path

private:
    std::vector<std::pair<std::string, std::string>> fields_;  // key -> JSON literal, in order
};

std::string json_escape(const std::string& s);
std::string format_duration(double seconds);  // "1:05", "0:42"

}  // namespace tinyattn
