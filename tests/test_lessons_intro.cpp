// test_lessons_intro.cpp — lessons 01 and 02 run and print what their chapters promise.
#include <catch2/catch.hpp>

#include "lesson_runner.hpp"

TEST_CASE("lesson 01_tensors runs and computes its products", "[lesson]") {
    const auto run = lesson_runner::run("01_tensors", "");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    // x = [[1,2,3],[4,5,6]], w = [[1,0],[0,1],[1,1]]: x·w = [[4,5],[10,11]]
    REQUIRE(run.number("matmul_00") == 4.0);
    REQUIRE(run.number("matmul_11") == 11.0);
    REQUIRE(run.number("softmax_row0_sum") == Approx(1.0));
    REQUIRE(run.number("errors_caught") == 2.0);
    REQUIRE_THAT(run.output, Catch::Contains("matmul: inner dimensions differ: [32, 64] x [128, 256]"));
}

TEST_CASE("lesson 02_autograd: the hand-derived gradient equals autograd's, gradcheck passes", "[lesson]") {
    const auto run = lesson_runner::run("02_autograd", "");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.number("dw0_autograd") == Approx(run.number("dw0_by_hand")).epsilon(1e-5));
    REQUIRE(run.number("gradcheck_ok") == 1.0);
    REQUIRE(run.number("accumulated_grad") == Approx(30.0));  // 8a + 2a at a = 3
}

TEST_CASE("lessons reject unknown options in one line and exit code 2", "[lesson]") {
    const auto run = lesson_runner::run("01_tensors", "--no-such-option");
    REQUIRE(run.exit_code == 2);
    REQUIRE(run.output == "01_tensors: error: unknown option '--no-such-option' (see --help)\n");
}
