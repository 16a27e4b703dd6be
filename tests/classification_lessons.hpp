// classification_lessons.hpp — run a sentiment lesson (04, 05, 09) into a scratch directory
// that the test keeps until it has checked the figures and result files.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
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
    const fs::path report = scratch.dir / (lesson + ".json"), log = scratch.dir / (lesson + ".log");
    const std::string cmd = std::string(TINYATTN_BINARY_DIR) + "/bin/" + lesson + " --threads 1 " + args +
                            " --report " + report.string() + " --plots " + scratch.plots().string() +
                            " --checkpoint " + (scratch.dir / (lesson + ".ckpt")).string() + " > " + log.string() +
                            " 2>&1";
    lesson_runner::Run r;
    const int status = std::system(cmd.c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream lf(log);
    std::stringstream ss;
    ss << lf.rdbuf();
    r.output = ss.str();
    std::ifstream rf(report);
    const std::string json((std::istreambuf_iterator<char>(rf)), std::istreambuf_iterator<char>());
    const std::regex field("\"([^\"]+)\":\\s*(\"([^\"]*)\"|[-+0-9.eEnaifNAIF]+)");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), field); it != std::sregex_iterator(); ++it)
        r.report[(*it)[1]] = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
    return r;
}

// Both files of a figure exist and the PNG is not empty (gnuplot is a build dependency).
inline void require_figure(const Scratch& scratch, const std::string& name) {
    INFO("figure " << name);
    CHECK(fs::exists(scratch.plots() / (name + ".txt")));
    REQUIRE(fs::exists(scratch.plots() / (name + ".png")));
    CHECK(fs::file_size(scratch.plots() / (name + ".png")) > 1000);
}

}  // namespace classification_lessons
