// test_lesson_12.cpp — lesson 12_fast_matmul: every step from the naive loop to the threaded
// kernel is run and reported, and every step's product agrees with gemm_reference.
// Speed is measured in the lesson and in bench/ (W5), never asserted here: timings depend on
// the machine and its load.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "lesson_runner.hpp"

namespace {

struct Row {
    std::string label;
    double gflops, speedup, max_error;
};

// The summary table's rows: "c. 4x16 register tile    34.20    22.4x    5.7e-06".
std::vector<Row> table_rows(const std::string& output) {
    const std::regex row(R"(^([a-e]\. .+?)\s+([0-9.]+)\s+([0-9.]+)x\s+([0-9.]+e[-+][0-9]+)\s*$)");
    std::vector<Row> rows;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_match(line, m, row))
            rows.push_back({m[1].str(), std::stod(m[2].str()), std::stod(m[3].str()), std::stod(m[4].str())});
    }
    return rows;
}

// Runs the lesson at size n and checks the table: steps a-e in order, each correct.
void check_run(int n, const std::string& extra_args) {
    const auto run = lesson_runner::run("12_fast_matmul", "--quick --seed 1 --threads 2" + extra_args);
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("n") == n);
    CHECK(run.number("all_correct") == 1);
    const std::vector<Row> rows = table_rows(run.output);
    REQUIRE(rows.size() == 5);
    const char* expected[] = {"a. naive", "b. loop order i-k-j", "c. 4x16 register tile", "d. packed gemm, 1 thread",
                              "e. packed gemm, 2 threads"};
    // Float sums of n products in any order stay far inside 1e-6 per term of the double
    // reference; a wrong index or a dropped tile would be off by ~0.1-1.
    const double tolerance = 1e-6 * (n + 1);
    for (size_t s = 0; s < rows.size(); ++s) {
        INFO("step " << rows[s].label);
        CHECK(rows[s].label.rfind(expected[s], 0) == 0);
        CHECK(rows[s].max_error <= tolerance);
        CHECK(rows[s].gflops > 0);  // measured and printed (its size is not asserted)
    }
    CHECK(run.output.find("GFLOP/s per step") != std::string::npos);  // the figure's terminal view
}

}  // namespace

TEST_CASE("lesson 12_fast_matmul --quick: every step from naive to threaded gemm is correct", "[lesson]") {
    check_run(128, "");
}

TEST_CASE("lesson 12_fast_matmul --n 37: ragged edges (n not a multiple of the 4x16 or 6x16 tile)", "[lesson]") {
    check_run(37, " --n 37");
}
