// classification_lessons.hpp — run a sentiment lesson (04, 05, 09) into a scratch directory
// that the test keeps until it has checked the figures and result files.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "lesson_runner.hpp"

namespace classification_lessons {

namespace fs = std::filesystem;

struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name)
        : dir(fs::temp_directory_path() / ("tinyattn_" + name + "_" + std::to_string(::getpid()))) {
        fs::remove_all(dir);
        fs::create_directories(dir / "plots");
    }
    ~Scratch() { fs::remove_all(dir); }
    fs::path plots() const { return dir / "plots"; }
};

// Runs build/bin/<lesson> <args> --report, --plots and --checkpoint inside `scratch`, with one
// thread (the tests run beside other work) and returns the exit code, output and report.
inline lesson_runner::Run run(const std::string& lesson, const std::string& args, const Scratch& scratch) {
    const fs::path report = scratch.dir / (lesson + ".json");
    return lesson_runner::run_command(std::string(TINYATTN_BINARY_DIR) + "/bin/" + lesson + " --threads 1 " + args +
                                          " --report " + report.string() + " --plots " + scratch.plots().string() +
                                          " --checkpoint " + (scratch.dir / (lesson + ".ckpt")).string(),
                                      scratch.dir / (lesson + ".log"), report);
}

// Both files of a figure exist and the PNG is not empty (gnuplot is a build dependency).
inline void require_figure(const Scratch& scratch, const std::string& name) {
    INFO("figure " << name);
    CHECK(fs::exists(scratch.plots() / (name + ".txt")));
    REQUIRE(fs::exists(scratch.plots() / (name + ".png")));
    CHECK(fs::file_size(scratch.plots() / (name + ".png")) > 1000);
}

}  // namespace classification_lessons
