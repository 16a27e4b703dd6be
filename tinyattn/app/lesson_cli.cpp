// lesson_cli.cpp — argument parsing, progress lines and the JSON report.
#include "tinyattn/app/lesson_cli.hpp"

#include <omp.h>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <new>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn {

namespace fs = std::filesystem;

constexpr int kMaxThreads = 64;     // more threads than this only queue for the same cores
constexpr int kMaxEpochs = 100000;  // a typo guard; a lesson's full run is a few epochs
constexpr int kMaxCount = 100000000;  // --min-freq, --max-vocab: more than any file holds
constexpr int kMaxBpeMerges = 100000;  // real systems use 10k-50k; more than a toy model can use

// ---- how a lesson ends on an error ---------------------------------------------------------

static std::string g_lesson_name = "tinyattn";  // set by parse_lesson_args
static const fs::file_time_type g_start = fs::file_time_type::clock::now();

void lesson_error_exit(const std::string& message, int code) {
    std::fflush(stdout);  // what the lesson printed so far comes first, also when piped to a file
    std::fprintf(stderr, "%s: error: %s\n", g_lesson_name.c_str(), message.c_str());
    std::fflush(stderr);
    std::_Exit(code);
}

// An exception nobody catches ends in std::terminate, whose default prints "terminate called
// after throwing ..." and aborts (exit 134, a core dump, stdout's buffer lost). A lesson's errors
// are a learner's mistakes (a missing file, a bad line, a wrong checkpoint), so the handler
// turns the exception in flight into its one-line message and exit status 1 instead. It also
// catches exceptions thrown inside OpenMP threads, which main() could never catch.
static void on_uncaught_exception() {
    std::string message = "unknown error";
    if (std::exception_ptr e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const std::bad_alloc&) {
            message = "out of memory (std::bad_alloc): try a smaller --data file or fewer examples";
        } catch (const std::exception& ex) {
            message = ex.what();
        } catch (...) {
        }
    }
    lesson_error_exit(message, 1);
}

// ---- the command line -----------------------------------------------------------------------

static void print_usage(const LessonInfo& info, std::FILE* to) {
    std::fprintf(to, "%s — %s\n\nusage: build/bin/%s [options]\n\n", info.name.c_str(), info.summary.c_str(),
                 info.name.c_str());
    std::fprintf(to, "  --help            show this help\n");
    std::fprintf(to, "  --seed N          random seed (default 1): same seed, same numbers\n");
    std::fprintf(to, "  --threads N       OpenMP threads, 1 to %d (default: all %d cores)\n", kMaxThreads,
                 omp_get_num_procs());
    std::fprintf(to, "  --quick           a short run (seconds), as the tests use\n");
    std::fprintf(to, "  --report FILE     write the final metrics as one JSON object\n");
    std::fprintf(to, "  --plots DIR       where figures are written (default: plots/, the README's figures,\n");
    std::fprintf(to, "                    for a full run on the shipped data; build/plots/ with --quick or --data)\n");
    if (info.trains) {
        std::fprintf(to, "  --epochs N        total training epochs, 0 to %d (default %d; %d with --quick)\n",
                     kMaxEpochs, info.default_epochs, info.quick_epochs);
        std::fprintf(to, "                    with --resume: trains on up to N epochs in all\n");
        std::fprintf(to, "  --data PATH       train on your own file instead of the shipped corpus\n");
        if (!info.data_help.empty()) std::fprintf(to, "                    format: %s\n", info.data_help.c_str());
        std::fprintf(to, "  --resume CKPT     continue training from a checkpoint of this lesson (same data)\n");
        std::fprintf(to, "  --checkpoint FILE where to save the trained model (default build/%s.ckpt)\n",
                     info.name.c_str());
        if (info.subwords) {
            std::fprintf(to, "  --bpe N           subword pieces: N byte-pair-encoding merges a side, learned on the\n");
            std::fprintf(to, "                    training split (0 to %d; default 0: whole words)\n", kMaxBpeMerges);
        }
    }
    if (info.text_data) {
        std::fprintf(to, "  --min-freq N      training words seen fewer than N times become <unk>, so <unk> is trained\n");
        if (info.translation)
            std::fprintf(to, "                    (default 1 on the shipped corpus or with --bpe: every token kept; %d with\n"
                             "                    --data)\n", kOwnDataMinFreq);
        else
            std::fprintf(to, "                    (default 1: every word kept, also with --data; see the chapter)\n");
        std::fprintf(to, "  --max-vocab N     keep at most N tokens (with the 4 specials) of each vocabulary, the most\n");
        if (info.translation)
            std::fprintf(to, "                    frequent; the rest become <unk> (default 0: no cap; %d with --data)\n",
                         kOwnDataMaxVocab);
        else
            std::fprintf(to, "                    frequent; the rest become <unk> (default 0: no cap)\n");
        std::fprintf(to, "  --patience N      early stopping: stop after N epochs without a better validation score\n");
        std::fprintf(to, "                    (%s); keep the best epoch in the checkpoint and for the test numbers\n",
                     info.translation ? "valid loss per token" : "valid accuracy");
        std::fprintf(to, "                    (default: off on the shipped corpus, %d with --data; 0: off, last epoch kept)\n",
                     kOwnDataPatience);
        std::fprintf(to, "  --keep-last       with early stopping, also save the last epoch to <checkpoint>.last\n");
        if (info.translation) {
            std::fprintf(to, "  --src-lang CODE   language of column 1 (default en), for the tokenizer's rules: only fr\n");
            std::fprintf(to, "                    splits elisions (l'homme -> l' homme); en keeps don't whole\n");
            std::fprintf(to, "  --tgt-lang CODE   language of column 2 (default fr)\n");
        }
        std::fprintf(to, "\nThe test split's predictions go next to the figures, %s_test_predictions.tsv:\n%s\n",
                     info.name.c_str(),
                     info.translation ? "source<TAB>reference<TAB>output" : "text<TAB>label<TAB>prediction<TAB>confidence");
        std::fprintf(to, "with the words the model reads as <unk> shown as ⟨unk:word⟩ (there and in what it prints).\n");
    }
    if (info.trains) {
        std::fprintf(to, "\nCtrl-C saves the checkpoint and stops (exit status 130).\n");
    }
    std::fprintf(to, "A mistake ends with one line \"%s: error: ...\": exit status 1, or 2 for a bad option.\n",
                 info.name.c_str());
}

// A whole number in [lo, hi], or a usage error naming the flag. std::from_chars reports
// overflow instead of wrapping ("--epochs 2147483648" must not become -2147483648).
long long parse_number(const std::string& flag, const std::string& text, long long lo, long long hi) {
    long long n = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc() || ptr != end || n < lo || n > hi)
        lesson_error_exit(flag + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                              ", got '" + text + "' (see --help)",
                          2);
    return n;
}

// A language code such as "en" or "fr": 2 or 3 lower-case ASCII letters, else a usage error.
static std::string language_code(const std::string& flag, const std::string& text) {
    bool ok = text.size() == 2 || text.size() == 3;
    for (char c : text) ok = ok && c >= 'a' && c <= 'z';
    if (!ok)
        lesson_error_exit(flag + " needs a language code of 2 or 3 lower-case letters such as en or fr, got '" + text +
                              "' (see --help)",
                          2);
    return text;
}

// Can a file be created in `dir`? Creates the directory if needed, then a probe file, and
// removes the probe. Errors name the flag, so a read-only --checkpoint fails now, not after
// the first epoch.
static void check_writable_dir(const std::string& flag, const fs::path& dir, const std::string& value) {
    std::error_code ec;
    if (!dir.empty()) fs::create_directories(dir, ec);
    if (ec) lesson_error_exit(flag + " " + value + ": cannot create directory " + dir.string() + " (" + ec.message() + ")");
    if (!dir.empty() && !fs::is_directory(dir)) lesson_error_exit(flag + " " + value + ": " + dir.string() + " is not a directory");
    const fs::path probe = (dir.empty() ? fs::path(".") : dir) / (".tinyattn_write_test_" + std::to_string(getpid()));
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) lesson_error_exit(flag + " " + value + ": cannot write in " + (dir.empty() ? std::string(".") : dir.string()) +
                              " (" + std::strerror(errno) + ")");
    std::fclose(f);
    fs::remove(probe, ec);
}

// `create_dir`: a missing directory is created (the default checkpoint's build/), else it must exist.
static void check_output_file(const std::string& flag, const std::string& path, bool create_dir) {
    if (path.empty()) return;
    if (fs::is_directory(path)) lesson_error_exit(flag + " " + path + ": is a directory, not a file");
    const fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    if (!create_dir && !dir.empty() && !fs::is_directory(dir, ec))
        lesson_error_exit(flag + " " + path + ": no directory " + dir.string());
    check_writable_dir(flag, dir, path);
}

static void check_input(const std::string& flag, const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) lesson_error_exit(flag + " " + path + ": no such file or directory");
}

LessonOptions parse_lesson_args(int argc, char** argv, const LessonInfo& info) {
    g_lesson_name = info.name;
    std::set_terminate(on_uncaught_exception);
    LessonOptions opt;
    opt.checkpoint = std::string(TINYATTN_SOURCE_DIR) + "/build/" + info.name + ".ckpt";
    bool plots_given = false, min_freq_given = false, max_vocab_given = false, patience_given = false;
    auto usage_error = [&](const std::string& message) { lesson_error_exit(message + " (see --help)", 2); };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc || std::string(argv[i + 1]).rfind("--", 0) == 0) usage_error(arg + " needs a value");
            const std::string v = argv[++i];
            if (v.empty()) usage_error(arg + " needs a value, got an empty string");
            return v;
        };
        if (arg == "--help" || arg == "-h") {
            print_usage(info, stdout);
            std::exit(0);
        } else if (arg == "--seed") opt.seed = uint64_t(parse_number(arg, value(), 0, std::numeric_limits<long long>::max()));
        else if (arg == "--threads") opt.threads = int(parse_number(arg, value(), 1, kMaxThreads));
        else if (arg == "--quick") opt.quick = true;
        else if (arg == "--report") opt.report = value();
        else if (arg == "--plots") { opt.plots_dir = value(); plots_given = true; }
        else if (info.trains && arg == "--epochs") { opt.epochs = int(parse_number(arg, value(), 0, kMaxEpochs)); opt.epochs_given = true; }
        else if (info.trains && arg == "--data") opt.data = value();
        else if (info.trains && arg == "--resume") opt.resume = value();
        else if (info.trains && arg == "--checkpoint") opt.checkpoint = value();
        else if (info.text_data && arg == "--min-freq") { opt.min_freq = int(parse_number(arg, value(), 1, kMaxCount)); min_freq_given = true; }
        else if (info.text_data && arg == "--max-vocab") { opt.max_vocab = int(parse_number(arg, value(), 5, kMaxCount)); max_vocab_given = true; }
        else if (info.text_data && arg == "--patience") { opt.patience = int(parse_number(arg, value(), 0, kMaxEpochs)); patience_given = true; }
        else if (info.text_data && arg == "--keep-last") opt.keep_last = true;
        else if (info.translation && arg == "--src-lang") opt.src_lang = language_code(arg, value());
        else if (info.translation && arg == "--tgt-lang") opt.tgt_lang = language_code(arg, value());
        else if (info.subwords && arg == "--bpe") opt.bpe = int(parse_number(arg, value(), 0, kMaxBpeMerges));
        else usage_error("unknown option '" + arg + "'");
    }
    // --epochs is the total everywhere. --quick picks the short default but never overrides an
    // --epochs the learner typed.
    if (!opt.epochs_given) opt.epochs = opt.quick ? info.quick_epochs : info.default_epochs;
    // --data in words (not --bpe, whose vocabulary is its pieces): rare words become <unk>, at most
    // kOwnDataMaxVocab a side.
    const bool own_words = info.translation && !opt.data.empty() && opt.bpe == 0;
    if (own_words && !min_freq_given) opt.min_freq = kOwnDataMinFreq;
    if (own_words && !max_vocab_given) opt.max_vocab = kOwnDataMaxVocab;
    if (info.text_data && !patience_given && !opt.data.empty()) opt.patience = kOwnDataPatience;
    if (!plots_given)  // plots/ holds the README's figures: only a full run on the shipped data writes there
        opt.plots_dir = std::string(TINYATTN_SOURCE_DIR) + (opt.quick || !opt.data.empty() ? "/build/plots" : "/plots");

    // Every input and output path, before anything is trained.
    if (!opt.data.empty()) check_input("--data", opt.data);
    if (!opt.resume.empty()) check_input("--resume", opt.resume);
    if (info.trains) check_output_file("--checkpoint", opt.checkpoint, /*create_dir=*/true);
    check_writable_dir("--plots", opt.plots_dir, opt.plots_dir);
    check_output_file("--report", opt.report, /*create_dir=*/false);

    if (opt.threads > 0) omp_set_num_threads(opt.threads);
    manual_seed(opt.seed);
    return opt;
}

// ---- what a run leaves behind -----------------------------------------------------------------
static std::vector<std::pair<std::string, std::string>> g_outputs;  // (what, path), from note_output

void note_output(const std::string& what, const std::string& path) { g_outputs.push_back({what, path}); }

void print_outputs(const LessonOptions& opt) {
    std::string figures;
    for (const std::string& base : plot::figures_written()) {
        const fs::path png = base + ".png";
        const std::string name = fs::exists(png) ? png.filename().string() : fs::path(base + ".txt").filename().string();
        if (figures.find(" " + name) == std::string::npos) figures += " " + name;
    }
    if (!figures.empty()) std::printf("figures (%s):%s\n", opt.plots_dir.c_str(), figures.c_str());
    for (const auto& [what, path] : g_outputs) std::printf("%s: %s\n", what.c_str(), path.c_str());
    std::error_code ec;
    if (!opt.checkpoint.empty() && fs::exists(opt.checkpoint, ec) && fs::last_write_time(opt.checkpoint, ec) >= g_start)
        std::printf("checkpoint: %s\n", opt.checkpoint.c_str());
    else if (!opt.checkpoint.empty() && !opt.resume.empty())
        std::printf("checkpoint: none written this run (nothing trained); the model is still %s\n", opt.resume.c_str());
}

// ---- progress -------------------------------------------------------------------------------
bool nothing_to_train(int first_epoch, int epochs) {
    if (first_epoch < epochs) return false;
    if (first_epoch == 0)
        std::printf("--epochs 0: nothing to train, evaluating the untrained model\n");
    else if (first_epoch == epochs)
        std::printf("checkpoint is at epoch %d of %d: nothing to train, evaluating\n", first_epoch, epochs);
    else
        std::printf("checkpoint is at epoch %d, --epochs is %d in all: nothing to train, evaluating\n", first_epoch,
                    epochs);
    return true;
}

Progress::Progress(int first_epoch, int epochs, int steps_per_epoch, double interval_seconds, std::string unit)
    : first_epoch_(first_epoch), epochs_(epochs), steps_per_epoch_(steps_per_epoch), unit_(std::move(unit)),
      interval_(interval_seconds), start_(Clock::now()), last_print_(start_) {}

double Progress::elapsed_seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string format_duration(double seconds) {
    const long s = long(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

void Progress::step(int epoch, int step, float loss, long tokens) {
    ++steps_done_;
    tokens_ += tokens;
    loss_sum_ += loss;
    ++loss_count_;
    const auto now = Clock::now();
    const bool epoch_end = step + 1 == steps_per_epoch_;
    if (!epoch_end && std::chrono::duration<double>(now - last_print_).count() < interval_) return;
    const double elapsed = elapsed_seconds();
    const long total = long(std::max(0, epochs_ - first_epoch_)) * steps_per_epoch_;
    const double eta = elapsed / double(steps_done_) * double(std::max(0L, total - steps_done_));
    std::printf("epoch %d/%d  step %d/%d  loss %.4f  %.0f %s/s  elapsed %s  ETA %s\n", epoch + 1, epochs_, step + 1,
                steps_per_epoch_, loss_sum_ / loss_count_, double(tokens_) / std::max(elapsed, 1e-9), unit_.c_str(),
                format_duration(elapsed).c_str(), format_duration(eta).c_str());
    std::fflush(stdout);
    last_print_ = now;
    loss_sum_ = 0.0;
    loss_count_ = 0;
}

// ---- report ---------------------------------------------------------------------------------
std::string json_escape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') { out += '\\'; out += char(c); }
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20) { char buf[8]; std::snprintf(buf, sizeof buf, "\\u%04x", c); out += buf; }
        else out += char(c);  // UTF-8 bytes pass through unchanged
    }
    return out;
}

static void set_field(std::vector<std::pair<std::string, std::string>>& fields, const std::string& key,
                      const std::string& literal) {
    for (auto& [k, v] : fields)
        if (k == key) { v = literal; return; }
    fields.push_back({key, literal});
}

void Report::set(const std::string& key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    set_field(fields_, key, buf);
}

void Report::set(const std::string& key, const std::string& value) {
    set_field(fields_, key, "\"" + json_escape(value) + "\"");
}

std::string Report::json() const {
    std::string s = "{";
    for (size_t i = 0; i < fields_.size(); ++i)
        s += (i ? ", " : "") + ("\"" + json_escape(fields_[i].first) + "\": ") + fields_[i].second;
    return s + "}";
}

void Report::write(const std::string& path) const {
    if (path.empty()) return;
    std::ofstream out(path);
    if (!out) throw std::runtime_error("report: cannot write " + path);
    out << json() << "\n";
}

}  // namespace tinyattn
