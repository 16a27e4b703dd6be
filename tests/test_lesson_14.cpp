// test_lesson_14.cpp — attention by hand: the loops, scaled_dot_product_attention and
// MultiheadAttention agree; order is invisible without positions; a mask gives exactly 0; √d keeps
// the softmax alive; Nadaraya–Watson ranks average > fixed > learned; every figure is written.
#include <catch2/catch.hpp>

#include "classification_lessons.hpp"

using namespace classification_lessons;

TEST_CASE("lesson 14: attention by hand equals the library, and its properties hold", "[lesson]") {
    const Scratch scratch("lesson14");
    // No training, so no --checkpoint (which classification_lessons::run passes).
    const auto run = lesson_runner::run_command(std::string(TINYATTN_BINARY_DIR) +
                                                    "/bin/14_attention_by_hand --quick --seed 1 --threads 1 --report " +
                                                    (scratch.dir / "r.json").string() + " --plots " +
                                                    scratch.plots().string(),
                                                scratch.dir / "out.txt", scratch.dir / "r.json");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(run.number("all_checks_passed") == 1.0);
    CHECK(run.number("by_hand_vs_sdpa_max_diff") < 1e-5);
    CHECK(run.number("by_hand_vs_multihead_max_diff") < 1e-5);
    CHECK(run.number("gradcheck_max_error") < 1e-3);
    CHECK(run.number("permutation_max_diff") < 1e-5);
    CHECK(run.number("masked_weight_max") == 0.0);
    // Unscaled, a 512-d dot product saturates the softmax: near one-hot, a vanishing gradient.
    CHECK(run.number("entropy_scaled_d512") > 2.0);
    CHECK(run.number("entropy_unscaled_d512") < 0.5);
    CHECK(run.number("gradient_norm_unscaled_d512") < 0.5 * run.number("gradient_norm_scaled_d512"));
    // The learned kernel width must have learned something: better than the fixed width.
    CHECK(run.number("mse_average_pooling") > run.number("mse_fixed_kernel"));
    CHECK(run.number("mse_fixed_kernel") > run.number("mse_learned_kernel"));
    CHECK(run.number("learned_width") > 1.0);
    for (const char* name : {"14_neuron_view", "14_sqrt_d", "14_nadaraya_watson", "14_positional_encoding"}) require_figure(scratch, name);
}
