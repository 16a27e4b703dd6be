// test_lesson_interrupt.cpp — Ctrl-C during a lesson's training saves a checkpoint at the next
// step boundary and exits cleanly; --resume then continues from it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "lesson_runner.hpp"

namespace fs = std::filesystem;

static std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST_CASE("lesson 07: Ctrl-C saves a checkpoint at a step boundary, exits 130, and --resume continues", "[lesson][reliability]") {
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_interrupt_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path log = dir / "output.txt", ckpt = dir / "model.ckpt";
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the lesson, as a learner runs it, with its output in a file
        const std::string bin = std::string(TINYATTN_BINARY_DIR) + "/bin/07_attention";
        freopen(log.c_str(), "w", stdout);
        dup2(fileno(stdout), 2);
        execl(bin.c_str(), bin.c_str(), "--quick", "--threads", "1", "--checkpoint", ckpt.c_str(), "--plots",
              (dir / "plots").c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait until training has started (the first progress line), then press Ctrl-C.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (read_file(log).find("step ") == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(kill(child, SIGINT) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    const std::string output = read_file(log);
    INFO(output);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 130);  // 128 + SIGINT: the shell's "stopped by Ctrl-C"
    REQUIRE_THAT(output, Catch::Contains("interrupted: saved"));
    REQUIRE(fs::exists(ckpt));

    // The checkpoint is complete and verified: resuming from it trains on.
    const auto resumed = lesson_runner::run("07_attention", "--quick --threads 1 --epochs 1 --resume " + ckpt.string() +
                                                                " --checkpoint " + (dir / "resumed.ckpt").string());
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 0);
    REQUIRE(resumed.number("test_bleu") > 0.0);
    fs::remove_all(dir);
}
