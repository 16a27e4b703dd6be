// test_lesson_kill.cpp — kill -9 a lesson at 60 moments spread over its run, saves included:
// the checkpoint on disk is always a complete one (the previous or the new), never torn.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "bad_input_runner.hpp"
#include "tinyattn/io/checkpoint.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

// Starts lesson 03 (40 epochs, a checkpoint saved after every one, so saves are a good part of
// its time) with its output thrown away; returns the child's pid.
pid_t start_lesson(const std::string& ckpt, const std::string& plots) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        const std::string bin = std::string(TINYATTN_BINARY_DIR) + "/bin/03_training_loop";
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
        execl(bin.c_str(), bin.c_str(), "--epochs", "40", "--threads", "1", "--checkpoint", ckpt.c_str(), "--plots",
              plots.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return child;
}

}  // namespace

TEST_CASE("lesson 03 killed (SIGKILL) at 60 moments, saves included: the checkpoint always loads",
          "[lesson][reliability][bad-input]") {
    const bad_input::Scratch s("kill");
    const std::string ckpt = s.path("03.ckpt"), plots = s.path("plots");

    // The previous checkpoint, and how long a whole run takes on this machine now.
    const auto t0 = std::chrono::steady_clock::now();
    int status = 0;
    const pid_t first = start_lesson(ckpt, plots);
    REQUIRE(waitpid(first, &status, 0) == first);
    REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    const double run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    int torn_temp_files = 0, finished = 0;
    for (int k = 0; k < 60; ++k) {
        const pid_t child = start_lesson(ckpt, plots);
        std::this_thread::sleep_for(std::chrono::duration<double>(run_seconds * (k + 0.5) / 60.0));
        kill(child, SIGKILL);
        REQUIRE(waitpid(child, &status, 0) == child);
        finished += WIFEXITED(status);
        torn_temp_files += fs::exists(ckpt + ".tmp");  // killed in the middle of a save
        INFO("kill " << k << " after " << run_seconds * (k + 0.5) / 60.0 << " s");
        const io::Checkpoint c = io::read_checkpoint(ckpt);  // throws if torn or truncated
        REQUIRE(c.metadata.at("lesson") == "03_training_loop");
        const int epoch = std::stoi(c.metadata.at("epoch"));
        CHECK((epoch >= 1 && epoch <= 40));
    }
    INFO("kills during a save (a temp file left): " << torn_temp_files << ", runs that finished first: " << finished);
    CHECK(finished < 60);  // the kills did land while the lesson ran

    // And the lesson itself resumes from what is left.
    const auto resumed = bad_input::run("03_training_loop", "--epochs 41 --resume " + ckpt + " --checkpoint " +
                                                               s.path("resumed.ckpt"), s);
    INFO(resumed.out << resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.out.find("resumed the MLP") != std::string::npos);
}
