// lesson_runner.hpp — run a lesson program the way a learner does and read its --report JSON.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace lesson_runner {

struct Run {
    int exit_code = -1;
    std::string output;                        // stdout + stderr
    std::map<std::string, std::string> report; // key -> raw JSON value (strings unquoted)

    double number(const std::string& key) const {
        auto it = report.find(key);
        INFO("report key '" << key << "' missing; output was:\n" << output);
        REQUIRE(it != report.end());
        return std::stod(it->second);
    }
};

// Runs `cmd` (a lesson command line that writes its --report to `report`) with its output sent
// to `log`; returns the exit code, the output and the report's fields.
inline Run run_command(const std::string& cmd, const std::filesystem::path& log, const std::filesystem::path& report) {
    Run r;
    const int status = std::system((cmd + " > " + log.string() + " 2>&1").c_str());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream lf(log);
    std::stringstream ss;
    ss << lf.rdbuf();
    r.output = ss.str();
    std::ifstream rf(report);
    std::string json((std::istreambuf_iterator<char>(rf)), std::istreambuf_iterator<char>());
    // A flat object of "key": number | "string" — all the lessons write.
    const std::regex field("\"([^\"]+)\":\\s*(\"([^\"]*)\"|[-+0-9.eEnaifNAIF]+)");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), field); it != std::sregex_iterator(); ++it)
        r.report[(*it)[1]] = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
    return r;
}

// A fresh directory for one test's plots, checkpoints and data files.
inline std::filesystem::path scratch(const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Runs build/bin/<lesson> <args> --report <tmp> --plots <tmp dir>, so tests never touch plots/.
inline Run run(const std::string& lesson, const std::string& args) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_test_" + lesson + "_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path report = dir / "report.json";
    const Run r = run_command(std::string(TINYATTN_BINARY_DIR) + "/bin/" + lesson + " " + args + " --report " +
                                  report.string() + " --plots " + (dir / "plots").string(),
                              dir / "output.txt", report);
    fs::remove_all(dir);
    return r;
}

}  // namespace lesson_runner
