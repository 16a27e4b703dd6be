// test_nn_transformer.cpp — pre-LN TransformerEncoderLayer / DecoderLayer and the Transformer:
// PyTorch fixtures (norm_first=True, dropout 0, batch_first=True), gradcheck with padding and
// causal masks, parameter names and the W4 parameter count, per-layer attention weights.
#include <catch2/catch.hpp>

#include "nn_checks.hpp"
#include "tinyattn/nn/transformer.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

TEST_CASE("TransformerEncoderLayer: torch.nn.TransformerEncoderLayer (pre-LN) with padding", "[nn][transformer]") {
    const fixture::Fixture f = fixture::load("attention/encoder_layer.txt");
    nn::TransformerEncoderLayer layer(8, 2, 16, 0.0f);
    load_parameters(layer, f);
    Tensor src = input(f, "src");
    const nn::EncoderLayerOutput out = layer.forward(src, input(f, "src_key_padding_mask", false));
    REQUIRE(out.self_weights.shape() == Shape{2, 2, 5, 5});
    require_matches_fixture(f, &layer, {{"src", src}}, {{"output", out.output}});
}

TEST_CASE("TransformerDecoderLayer: torch.nn.TransformerDecoderLayer (pre-LN) with causal and padding masks",
          "[nn][transformer]") {
    const fixture::Fixture f = fixture::load("attention/decoder_layer.txt");
    nn::TransformerDecoderLayer layer(8, 2, 16, 0.0f);
    load_parameters(layer, f);
    Tensor tgt = input(f, "tgt"), memory = input(f, "memory");
    const nn::DecoderLayerOutput out =
        layer.forward(tgt, memory, input(f, "tgt_mask", false), input(f, "tgt_key_padding_mask", false),
                      input(f, "memory_key_padding_mask", false));
    REQUIRE(out.self_weights.shape() == Shape{2, 2, 4, 4});
    REQUIRE(out.cross_weights.shape() == Shape{2, 2, 4, 5});
    require_matches_fixture(f, &layer, {{"tgt", tgt}, {"memory", memory}}, {{"output", out.output}});
}

TEST_CASE("Transformer: torch.nn.Transformer (2 + 2 pre-LN layers, final norms) with all three masks",
          "[nn][transformer]") {
    const fixture::Fixture f = fixture::load("attention/transformer.txt");
    nn::Transformer model(8, 2, 2, 2, 16, 0.0f);
    load_parameters(model, f);
    Tensor src = input(f, "src"), tgt = input(f, "tgt");
    const Tensor src_pad = input(f, "src_key_padding_mask", false);
    const nn::TransformerOutput out = model.forward(src, tgt, src_pad, input(f, "tgt_mask", false),
                                                    input(f, "tgt_key_padding_mask", false),
                                                    input(f, "memory_key_padding_mask", false));
    require_matches_fixture(f, &model, {{"src", src}, {"tgt", tgt}}, {{"output", out.output}});

    // every layer's per-head weights, for the layers × heads grid
    REQUIRE(out.encoder_self_weights.size() == 2);
    REQUIRE(out.decoder_self_weights.size() == 2);
    REQUIRE(out.decoder_cross_weights.size() == 2);
    for (int l = 0; l < 2; ++l) {
        REQUIRE(out.encoder_self_weights[size_t(l)].shape() == Shape{2, 2, 5, 5});
        REQUIRE(out.decoder_self_weights[size_t(l)].shape() == Shape{2, 2, 4, 4});
        REQUIRE(out.decoder_cross_weights[size_t(l)].shape() == Shape{2, 2, 4, 5});
        for (int h = 0; h < 2; ++h)
            for (int i = 0; i < 4; ++i) {
                for (int j = i + 1; j < 4; ++j) REQUIRE(out.decoder_self_weights[size_t(l)].at({0, h, i, j}) == 0.0f);
                for (int s = 3; s < 5; ++s) REQUIRE(out.decoder_cross_weights[size_t(l)].at({1, h, i, s}) == 0.0f);
            }
    }
}

TEST_CASE("Transformer: PyTorch's parameter names and the W4 parameter count", "[nn][transformer]") {
    nn::Transformer tiny(8, 2, 1, 1, 16, 0.0f);
    std::vector<std::string> names;
    for (const auto& [name, p] : tiny.named_parameters()) names.push_back(name);
    const std::vector<std::string> expected_first{
        "encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.in_proj_bias",
        "encoder.layers.0.self_attn.out_proj.weight", "encoder.layers.0.self_attn.out_proj.bias",
        "encoder.layers.0.linear1.weight", "encoder.layers.0.linear1.bias",
        "encoder.layers.0.linear2.weight", "encoder.layers.0.linear2.bias",
        "encoder.layers.0.norm1.weight", "encoder.layers.0.norm1.bias",
        "encoder.layers.0.norm2.weight", "encoder.layers.0.norm2.bias",
        "encoder.norm.weight", "encoder.norm.bias",
        "decoder.layers.0.self_attn.in_proj_weight"};
    REQUIRE(std::vector<std::string>(names.begin(), names.begin() + 15) == expected_first);
    REQUIRE(names.back() == "decoder.norm.bias");
    REQUIRE(std::count(names.begin(), names.end(), "decoder.layers.0.multihead_attn.in_proj_weight") == 1);
    REQUIRE(std::count(names.begin(), names.end(), "decoder.layers.0.norm3.weight") == 1);

    // W4 (shared/WORKLOADS.md): d_model 128, 4 heads, ff 512, 2 + 2 layers, final norms,
    // without embeddings and head. torch.nn.Transformer counts 926,208 (the fixture holds its count);
    // with the two Embedding(256, 128) and the Linear(128, 256) head that is W4's 1,024,768.
    const nn::Transformer w4(128, 4, 2, 2, 512, 0.0f);
    const size_t torch_count = size_t(fixture::load("attention/w4_parameter_count.txt")["parameter_count"].item());
    REQUIRE(w4.parameter_count() == torch_count);
    REQUIRE(w4.parameter_count() == 926208);
    REQUIRE(w4.parameter_count() + 2 * 256 * 128 + (128 * 256 + 256) == 1024768);
}

TEST_CASE("TransformerEncoderLayer and DecoderLayer: gradcheck with padding and causal masks",
          "[nn][transformer][gradcheck]") {
    Rng rng(31);
    const nn::TransformerEncoderLayer enc(4, 2, 6, 0.0f, rng);
    Tensor src = random_input({2, 3, 4}, rng);
    const Tensor src_pad = padding_mask({3, 2}, 3);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::EncoderLayerOutput o = enc.forward(in[0], src_pad);
            return flat({o.output, o.self_weights});
        },
        {src}, enc);

    // (ReLU has a kink at 0: a seed where no feed-forward pre-activation sits within a
    // finite-difference nudge of 0, as gradcheck needs; the rule is exact elsewhere.)
    Rng rng_dec(35);
    const nn::TransformerDecoderLayer dec(4, 2, 6, 0.0f, rng_dec);
    Tensor tgt = random_input({2, 3, 4}, rng_dec), memory = random_input({2, 3, 4}, rng_dec);
    const Tensor causal = nn::causal_mask(3), tgt_pad = padding_mask({3, 2}, 3);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::DecoderLayerOutput o = dec.forward(in[0], in[1], causal, tgt_pad, src_pad);
            return flat({o.output, o.self_weights, o.cross_weights});
        },
        {tgt, memory}, dec);
}

TEST_CASE("Transformer: gradcheck of a 1 + 1 layer model with all masks", "[nn][transformer][gradcheck]") {
    Rng rng(32);
    const nn::Transformer model(4, 2, 1, 1, 6, 0.0f, rng);
    Tensor src = random_input({2, 3, 4}, rng), tgt = random_input({2, 2, 4}, rng);
    const Tensor src_pad = padding_mask({3, 2}, 3), tgt_pad = padding_mask({2, 1}, 2);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            return model.forward(in[0], in[1], src_pad, nn::causal_mask(2), tgt_pad, src_pad).output;
        },
        {src, tgt}, model);
}

TEST_CASE("Transformer: the decoder reads the encoder; a later target never changes an earlier output",
          "[nn][transformer]") {
    Rng rng(33);
    nn::Transformer model(8, 2, 1, 1, 16, 0.0f, rng);
    const Tensor src = randn({1, 4, 8}, rng), tgt = randn({1, 3, 8}, rng);
    const Tensor causal = nn::causal_mask(3);
    const Tensor before = model.forward(src, tgt, Tensor(), causal).output;
    // change source position 1: every decoder output must move
    Tensor src2 = tensor(src.to_vector(), src.shape());
    for (int j = 0; j < 8; ++j) src2.data()[8 + j] = rng.normal();
    const Tensor after_src = model.forward(src2, tgt, Tensor(), causal).output;
    for (int t = 0; t < 3; ++t) {
        float change = 0.0f;
        for (int j = 0; j < 8; ++j) change += std::fabs(after_src.at({0, t, j}) - before.at({0, t, j}));
        REQUIRE(change > 1e-3f);
    }
    // change the last target position: with the causal mask, outputs 0 and 1 stay bit-identical
    Tensor tgt2 = tensor(tgt.to_vector(), tgt.shape());
    for (int j = 0; j < 8; ++j) tgt2.data()[2 * 8 + j] += 1.0f;
    const Tensor after_tgt = model.forward(src, tgt2, Tensor(), causal).output;
    for (int t = 0; t < 2; ++t)
        for (int j = 0; j < 8; ++j) REQUIRE(after_tgt.at({0, t, j}) == before.at({0, t, j}));
    REQUIRE_THROWS_WITH(model.forward(zeros({1, 4, 6}), tgt), Contains("[1, 4, 6]"));
}

TEST_CASE("Transformer: dropout is active in train() and off in eval()", "[nn][transformer]") {
    Rng rng(34);
    nn::Transformer model(8, 2, 1, 1, 16, 0.5f, rng);
    const Tensor src = randn({1, 4, 8}, rng), tgt = randn({1, 3, 8}, rng);
    const std::vector<float> a = model.forward(src, tgt).output.to_vector();
    const std::vector<float> b = model.forward(src, tgt).output.to_vector();
    REQUIRE(a != b);
    model.eval();
    REQUIRE(model.forward(src, tgt).output.to_vector() == model.forward(src, tgt).output.to_vector());
}
