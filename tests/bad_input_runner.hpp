// bad_input_runner.hpp — run a lesson program on a learner's mistake and check how it ends:
// the exit code, ONE line on stderr "NN_name: error: ..." naming the file/line or the flag,
// no abort (no "terminate called", no signal), and what it printed before the error kept.
#pragma once
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bad_input {

namespace fs = std::filesystem;

inline std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A fresh directory for one test's files, removed at the end.
struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name)
        : dir(fs::temp_directory_path() / ("tinyattn_bad_" + name + "_" + std::to_string(::getpid()))) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() { fs::remove_all(dir); }
    std::string file(const std::string& name, const std::string& bytes) const {
        std::ofstream(dir / name, std::ios::binary) << bytes;
        return (dir / name).string();
    }
    std::string path(const std::string& name) const { return (dir / name).string(); }
};

struct Ended {
    int exit_code = -1;    // -1: killed by a signal; 134: an abort seen through the shell
    std::string out, err;  // stdout, stderr
};

// build/bin/<lesson> <args>, one thread, figures and the default checkpoint inside `scratch`
// unless the arguments give their own.
inline Ended run(const std::string& lesson, const std::string& args, const Scratch& scratch) {
    std::string cmd = std::string(TINYATTN_BINARY_DIR) + "/bin/" + lesson + " " + args;
    if (args.find("--threads") == std::string::npos) cmd += " --threads 1";
    if (args.find("--plots") == std::string::npos) cmd += " --plots " + scratch.path("plots");
    const bool trains = lesson != "01_tensors" && lesson != "02_autograd" && lesson != "12_fast_matmul";
    if (trains && args.find("--checkpoint") == std::string::npos) cmd += " --checkpoint " + scratch.path("run.ckpt");
    const fs::path out = scratch.dir / "stdout.txt", err = scratch.dir / "stderr.txt";
    const int status = std::system((cmd + " > " + out.string() + " 2> " + err.string()).c_str());
    Ended e;
    e.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;  // an abort via sh: 134
    e.out = read_all(out);
    e.err = read_all(err);
    return e;
}

// The run ended with `code` and exactly one stderr line "<lesson>: error: ...<needle>...".
inline void require_error(const Ended& e, const std::string& lesson, int code, const std::string& needle) {
    INFO("stdout:\n" << e.out << "\nstderr:\n" << e.err);
    REQUIRE(e.exit_code == code);
    CHECK(e.err.find("terminate called") == std::string::npos);
    CHECK(e.err.rfind(lesson + ": error: ", 0) == 0);
    REQUIRE(!e.err.empty());
    CHECK(e.err.back() == '\n');
    CHECK(e.err.find('\n') == e.err.size() - 1);  // one line
    CHECK(e.err.find(needle) != std::string::npos);
}

}  // namespace bad_input
