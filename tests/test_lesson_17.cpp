// test_lesson_17.cpp — lesson 17_attention_cost: the banded kernel gives full attention's numbers,
// and the measured peak memory grows as n² for self-attention but as n for the LSTM and the
// windowed attention. Peak memory is counted exactly (tensor_bytes_peak), so its slopes are the
// same on every run; the times are printed and plotted but never asserted (they depend on the load).
#include <catch2/catch.hpp>

#include "lesson_runner.hpp"

TEST_CASE("lesson 17_attention_cost --quick: attention's memory is quadratic, the LSTM's and the band's linear",
          "[lesson]") {
    const auto run = lesson_runner::run("17_attention_cost", "--quick --seed 1 --threads 1");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("max_n") == 1024);
    CHECK(run.number("windowed_max_error") < 1e-5);
    // Over n = 256 … 1024 the n² score buffers dominate attention's memory, but its n·d terms still
    // show (the slope reaches 2 only as n → ∞); the linear layers hold n·d-sized buffers only.
    CHECK(run.number("slope_memory_attention") > 1.7);
    CHECK(run.number("slope_memory_attention") < 2.1);
    CHECK(run.number("slope_memory_lstm") == Approx(1.0).margin(0.05));
    CHECK(run.number("slope_memory_windowed") == Approx(1.0).margin(0.05));
    // At n = 1024 attention's n×n buffers outweigh the LSTM's n steps of saved gates.
    CHECK(run.number("memory_attention_mb_at_max_n") > 2 * run.number("memory_lstm_mb_at_max_n"));
    CHECK(run.number("crossover_memory_n") > 32);
    CHECK(run.number("crossover_memory_n") < 1024);
    // Decoding with the KV cache gives the full decoder's outputs at every one of the 64 steps.
    CHECK(run.number("decode_steps") == 64);
    CHECK(run.number("decode_max_difference") < 1e-5);
    // Every time was measured and a slope fitted (their values are not asserted).
    CHECK(run.number("decode_ms_kv_cache") > 0);
    CHECK(run.number("slope_time_attention") > 0);
    CHECK(run.number("slope_time_lstm") > 0);
    CHECK(run.output.find("fitted slopes") != std::string::npos);
}
