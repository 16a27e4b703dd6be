// lesson_cli.cpp — argument parsing, progress lines and the JSON report.
#include "tinyattn/app/lesson_cli.hpp"

#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "tinyattn/rng.hpp"

namespace tinyattn {

static void print_usage(const LessonInfo& info, std::FILE* to) {
    std::fprintf(to, "%s — %s\n\nusage: build/bin/%s [options]\n\n", info.name.c_str(), info.summary.c_str(),
                 info.name.c_str());
    std::fprintf(to, "  --help            show this help\n");
    std::fprintf(to, "  --seed N          random seed (default 1): same seed, same numbers\n");
    std::fprintf(to, "  --threads N       OpenMP threads (default: all cores)\n");
    std::fprintf(to, "  --quick           a short run (seconds), as the tests use\n");
    std::fprintf(to, "  --report FILE     write the final metrics as one JSON object\n");
    std::fprintf(to, "  --plots DIR       where figures are written (default: plots/)\n");
    if (info.trains) {
        std::fprintf(to, "  --epochs N        training epochs (default %d)\n", info.default_epochs);
        std::fprintf(to, "  --data PATH       train on your own file instead of the shipped corpus\n");
        if (!info.data_help.empty()) std::fprintf(to, "                    format: %s\n", info.data_help.c_str());
        std::fprintf(to, "  --resume CKPT     continue training from a checkpoint\n");
        std::fprintf(to, "  --checkpoint FILE where to save the trained model (default build/%s.ckpt)\n",
                     info.name.c_str());
    }
}

LessonOptions parse_lesson_args(int argc, char** argv, const LessonInfo& info) {
    LessonOptions opt;
    opt.epochs = info.default_epochs;
    opt.plots_dir = std::string(TINYATTN_SOURCE_DIR) + "/plots";
    opt.checkpoint = std::string(TINYATTN_SOURCE_DIR) + "/build/" + info.name + ".ckpt";
    auto fail = [&](const std::string& message) {
        std::fprintf(stderr, "%s: %s\n\n", info.name.c_str(), message.c_str());
        print_usage(info, stderr);
        std::exit(2);
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) fail(arg + " needs a value");
            return argv[++i];
        };
        auto number = [&]() -> long {
            const std::string v = value();
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 0) fail(arg + " needs a non-negative whole number, got '" + v + "'");
            return n;
        };
        if (arg == "--help" || arg == "-h") {
            print_usage(info, stdout);
            std::exit(0);
        } else if (arg == "--seed") opt.seed = uint64_t(number());
        else if (arg == "--threads") opt.threads = int(number());
        else if (arg == "--quick") opt.quick = true;
        else if (arg == "--report") opt.report = value();
        else if (arg == "--plots") opt.plots_dir = value();
        else if (info.trains && arg == "--epochs") opt.epochs = int(number());
        else if (info.trains && arg == "--data") opt.data = value();
        else if (info.trains && arg == "--resume") opt.resume = value();
        else if (info.trains && arg == "--checkpoint") opt.checkpoint = value();
        else fail("unknown option '" + arg + "'");
    }
    if (opt.threads > 0) omp_set_num_threads(opt.threads);
    manual_seed(opt.seed);
    return opt;
}

// ---- progress -------------------------------------------------------------------------------
Progress::Progress(int epochs, int steps_per_epoch, double interval_seconds)
    : epochs_(epochs), steps_per_epoch_(steps_per_epoch), interval_(interval_seconds),
      start_(Clock::now()), last_print_(start_) {}

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
    const long total = long(epochs_) * steps_per_epoch_;
    const double eta = elapsed / double(steps_done_) * double(total - steps_done_);
    std::printf("epoch %d/%d  step %d/%d  loss %.4f  %.0f tok/s  elapsed %s  ETA %s\n", epoch + 1, epochs_, step + 1,
                steps_per_epoch_, loss_sum_ / loss_count_, double(tokens_) / std::max(elapsed, 1e-9),
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
