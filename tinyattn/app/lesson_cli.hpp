// lesson_cli.hpp — what every lesson program shares: its command line, a progress line,
// and the --report JSON file. Lessons read top to bottom; this keeps the plumbing out of them.
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
    int default_epochs = 0;
    std::string data_help;    // the --data file format, for --help
};

struct LessonOptions {
    uint64_t seed = 1;
    int threads = 0;          // 0: all cores
    int epochs = 0;           // the lesson's default unless --epochs is given
    bool quick = false;       // a short run (used by the tests)
    std::string report;       // --report FILE: final metrics as one JSON object
    std::string data;         // --data PATH: train on the learner's own file
    std::string resume;       // --resume CKPT: continue from a checkpoint
    std::string plots_dir;    // --plots DIR: where figures go (default: the repo's plots/)
    std::string checkpoint;   // --checkpoint FILE: where to save (default: build/<lesson>.ckpt)
};

// Parses argv; prints --help and exits 0, or prints the error and usage and exits 2.
// Also sets the OpenMP thread count and seeds the global Rng.
LessonOptions parse_lesson_args(int argc, char** argv, const LessonInfo& info);

// Prints "epoch 2/10  step 150/400  loss 1.2345  8,120 tok/s  ETA 0:42" at most every
// `interval` seconds and at the end of each epoch, one line each (readable in CI logs too).
class Progress {
public:
    Progress(int epochs, int steps_per_epoch, double interval_seconds = 2.0);
    // Call after every step with the step's loss and how many tokens (or examples) it saw.
    void step(int epoch, int step, float loss, long tokens);
    double elapsed_seconds() const;

private:
    using Clock = std::chrono::steady_clock;
    int epochs_, steps_per_epoch_;
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
