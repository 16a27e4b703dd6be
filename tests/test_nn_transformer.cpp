// test_nn_transformer.cpp — TransformerEncoderLayer / DecoderLayer and the Transformer, pre-LN
// and post-LN: PyTorch fixtures (dropout 0, batch_first=True; post-LN with every mask in torch's
// argument order), gradcheck with padding and causal masks, parameter names and the W4 parameter
// count, per-layer attention weights, PyTorch's call shapes, state_dict / load_state_dict.
#include <catch2/catch.hpp>

#include <type_traits>

#include "nn_checks.hpp"
#include "tinyattn/nn/transformer.hpp"

using namespace tinyattn;
using namespace nn_checks;
using Catch::Matchers::Contains;

namespace {
// W4's and the fixtures' layers: dropout 0, pre-LN (norm_first = true) or post-LN.
nn::TransformerLayerOptions layer_options(int d, int h, int ff, bool norm_first) {
    return nn::TransformerLayerOptions(d, h).dim_feedforward(ff).dropout(0.0f).norm_first(norm_first);
}
nn::TransformerOptions model_options(int d, int h, int layers, int ff, float dropout, bool norm_first = true) {
    return nn::TransformerOptions(d, h)
        .num_encoder_layers(layers)
        .num_decoder_layers(layers)
        .dim_feedforward(ff)
        .dropout(dropout)
        .norm_first(norm_first);
}
// in.<name> of the fixture as a mask, or Tensor() (no mask) when the case has none.
Tensor mask(const fixture::Fixture& f, const std::string& name) {
    return f.has("in." + name) ? input(f, name, false) : Tensor();
}

// One torch.nn.TransformerEncoderLayer case: every mask the fixture holds, in torch's order.
void check_encoder_layer(const std::string& file, bool norm_first) {
    const fixture::Fixture f = fixture::load(file);
    nn::TransformerEncoderLayer layer(layer_options(8, 2, 16, norm_first));
    load_parameters(layer, f);
    Tensor src = input(f, "src");
    const nn::EncoderLayerOutput out = layer.forward(src, mask(f, "src_mask"), mask(f, "src_key_padding_mask"));
    REQUIRE(out.self_weights.shape() == Shape{2, 2, 5, 5});
    REQUIRE(out.self_weights.at({1, 1, 2, 3}) == 0.0f);  // batch row 1 has 3 real positions
    require_matches_fixture(f, &layer, {{"src", src}}, {{"output", out.output}});
}

void check_decoder_layer(const std::string& file, bool norm_first) {
    const fixture::Fixture f = fixture::load(file);
    nn::TransformerDecoderLayer layer(layer_options(8, 2, 16, norm_first));
    load_parameters(layer, f);
    Tensor tgt = input(f, "tgt"), memory = input(f, "memory");
    const nn::DecoderLayerOutput out =
        layer.forward(tgt, memory, mask(f, "tgt_mask"), mask(f, "memory_mask"), mask(f, "tgt_key_padding_mask"),
                      mask(f, "memory_key_padding_mask"));
    REQUIRE(out.self_weights.shape() == Shape{2, 2, 4, 4});
    REQUIRE(out.cross_weights.shape() == Shape{2, 2, 4, 5});
    require_matches_fixture(f, &layer, {{"tgt", tgt}, {"memory", memory}}, {{"output", out.output}});
}

nn::TransformerOutput check_transformer(const std::string& file, bool norm_first) {
    const fixture::Fixture f = fixture::load(file);
    nn::Transformer model(model_options(8, 2, 2, 16, 0.0f, norm_first));
    load_parameters(model, f);
    Tensor src = input(f, "src"), tgt = input(f, "tgt");
    const nn::TransformerOutput out =
        model.forward(src, tgt, mask(f, "src_mask"), mask(f, "tgt_mask"), mask(f, "memory_mask"),
                      mask(f, "src_key_padding_mask"), mask(f, "tgt_key_padding_mask"),
                      mask(f, "memory_key_padding_mask"));
    require_matches_fixture(f, &model, {{"src", src}, {"tgt", tgt}}, {{"output", out.output}});
    return out;
}
}  // namespace

TEST_CASE("TransformerEncoderLayer: torch.nn.TransformerEncoderLayer, pre-LN with padding, post-LN with both masks",
          "[nn][transformer]") {
    check_encoder_layer("attention/encoder_layer.txt", /*norm_first=*/true);
    check_encoder_layer("attention/encoder_layer_post_norm.txt", /*norm_first=*/false);  // + src_mask
}

TEST_CASE("TransformerDecoderLayer: torch.nn.TransformerDecoderLayer, pre-LN with causal and padding masks, "
          "post-LN with all four", "[nn][transformer]") {
    check_decoder_layer("attention/decoder_layer.txt", /*norm_first=*/true);
    check_decoder_layer("attention/decoder_layer_post_norm.txt", /*norm_first=*/false);  // + memory_mask
}

TEST_CASE("Transformer: torch.nn.Transformer (2 + 2 post-LN layers, final norms) with all six masks in torch's order",
          "[nn][transformer]") {
    check_transformer("attention/transformer_post_norm.txt", /*norm_first=*/false);
}


TEST_CASE("Transformer: torch.nn.Transformer (2 + 2 pre-LN layers, final norms) with all three masks",
          "[nn][transformer]") {
    const nn::TransformerOutput out = check_transformer("attention/transformer.txt", /*norm_first=*/true);

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
    nn::Transformer tiny(model_options(8, 2, 1, 16, 0.0f));
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
    const nn::Transformer w4(model_options(128, 4, 2, 512, 0.0f));
    const size_t torch_count = size_t(fixture::load("attention/w4_parameter_count.txt")["parameter_count"].item());
    REQUIRE(w4.parameter_count() == torch_count);
    REQUIRE(w4.parameter_count() == 926208);
    REQUIRE(w4.parameter_count() + 2 * 256 * 128 + (128 * 256 + 256) == 1024768);
}

TEST_CASE("TransformerEncoderLayer and DecoderLayer: gradcheck with padding and causal masks",
          "[nn][transformer][gradcheck]") {
    Rng rng(31);
    const nn::TransformerEncoderLayer enc(layer_options(4, 2, 6, /*norm_first=*/true), rng);
    Tensor src = random_input({2, 3, 4}, rng);
    const Tensor src_pad = padding_mask({3, 2}, 3);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::EncoderLayerOutput o = enc.forward(in[0], Tensor(), src_pad);
            return flat({o.output, o.self_weights});
        },
        {src}, enc);

    // (ReLU has a kink at 0: a seed where no feed-forward pre-activation sits within a
    // finite-difference nudge of 0, as gradcheck needs; the rule is exact elsewhere.)
    Rng rng_dec(35);
    const nn::TransformerDecoderLayer dec(layer_options(4, 2, 6, /*norm_first=*/true), rng_dec);
    Tensor tgt = random_input({2, 3, 4}, rng_dec), memory = random_input({2, 3, 4}, rng_dec);
    const Tensor causal = nn::causal_mask(3), tgt_pad = padding_mask({3, 2}, 3);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            const nn::DecoderLayerOutput o = dec.forward(in[0], in[1], causal, Tensor(), tgt_pad, src_pad);
            return flat({o.output, o.self_weights, o.cross_weights});
        },
        {tgt, memory}, dec);
}

TEST_CASE("Transformer: gradcheck of a 1 + 1 layer model with all masks", "[nn][transformer][gradcheck]") {
    Rng rng(32);
    const nn::Transformer model(model_options(4, 2, 1, 6, 0.0f), rng);
    Tensor src = random_input({2, 3, 4}, rng), tgt = random_input({2, 2, 4}, rng);
    const Tensor src_pad = padding_mask({3, 2}, 3), tgt_pad = padding_mask({2, 1}, 2);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            return model.forward(in[0], in[1], Tensor(), nn::causal_mask(2), Tensor(), src_pad, tgt_pad, src_pad).output;
        },
        {src, tgt}, model);
}

TEST_CASE("Transformer: the decoder reads the encoder; a later target never changes an earlier output",
          "[nn][transformer]") {
    Rng rng(33);
    nn::Transformer model(model_options(8, 2, 1, 16, 0.0f), rng);
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
    nn::Transformer model(model_options(8, 2, 1, 16, 0.5f), rng);
    const Tensor src = randn({1, 4, 8}, rng), tgt = randn({1, 3, 8}, rng);
    const std::vector<float> a = model.forward(src, tgt).output.to_vector();
    const std::vector<float> b = model.forward(src, tgt).output.to_vector();
    REQUIRE(a != b);
    model.eval();
    REQUIRE(model.forward(src, tgt).output.to_vector() == model.forward(src, tgt).output.to_vector());
}

// ---- post-LN (norm_first = false, PyTorch's default), every mask in torch's order ------------

TEST_CASE("Transformer layers post-LN: gradcheck with every mask", "[nn][transformer][gradcheck]") {
    // (a seed where no ReLU pre-activation sits within a finite-difference nudge of its kink;
    // seed 36 has one. The PyTorch fixtures above check the same rules at any point.)
    Rng rng(39);
    const nn::Transformer model(model_options(4, 2, 1, 6, 0.0f, /*norm_first=*/false), rng);
    Tensor src = random_input({2, 3, 4}, rng), tgt = random_input({2, 2, 4}, rng);
    const Tensor src_mask = tensor({0, 0, 1, 0, 0, 0, 0, 1, 0}, {3, 3}), memory_mask = tensor({0, 1, 0, 0, 0, 0}, {2, 3});
    const Tensor src_pad = padding_mask({3, 2}, 3), tgt_pad = padding_mask({2, 1}, 2);
    require_gradcheck(
        [&](const std::vector<Tensor>& in) {
            return model.forward(in[0], in[1], src_mask, nn::causal_mask(2), memory_mask, src_pad, tgt_pad, src_pad)
                .output;
        },
        {src, tgt}, model);
}

// ---- PyTorch's call shapes -------------------------------------------------------------------

// Positional arguments that PyTorch reads differently must not compile: MultiheadAttention(16,
// 4, 0.1) is dropout 0.1 in PyTorch, and (16, 4, true) would otherwise be dropout 1.
static_assert(!std::is_constructible_v<nn::MultiheadAttention, int, int, double>);
static_assert(!std::is_constructible_v<nn::MultiheadAttention, int, int, bool>);
static_assert(!std::is_constructible_v<nn::MultiheadAttention, int, int, bool, float>);
static_assert(!std::is_constructible_v<nn::TransformerEncoderLayer, int, int, int, float>);
static_assert(!std::is_constructible_v<nn::TransformerDecoderLayer, int, int, int, float>);
static_assert(!std::is_constructible_v<nn::Transformer, int, int, int, int, int, float>);

TEST_CASE("MultiheadAttentionOptions and TransformerOptions: PyTorch's defaults, named settings",
          "[nn][transformer]") {
    const nn::MultiheadAttention plain(16, 4);
    REQUIRE(plain.dropout == 0.0f);
    REQUIRE(plain.in_proj_bias.defined());
    const nn::MultiheadAttention named(nn::MultiheadAttentionOptions(16, 4).dropout(0.1f).bias(false));
    REQUIRE(named.dropout == 0.1f);
    REQUIRE_FALSE(named.in_proj_bias.defined());
    REQUIRE_FALSE(named.out_proj.bias.defined());

    const nn::TransformerLayerOptions layer(8, 2);  // torch: dim_feedforward 2048, dropout 0.1, post-LN
    REQUIRE(layer.dim_feedforward_ == 2048);
    REQUIRE(layer.dropout_ == 0.1f);
    REQUIRE_FALSE(layer.norm_first_);
    const nn::TransformerOptions model;  // torch.nn.Transformer(): 512, 8 heads, 6 + 6 layers
    REQUIRE(model.layer.d_model_ == 512);
    REQUIRE(model.layer.nhead_ == 8);
    REQUIRE(model.num_encoder_layers_ == 6);
    REQUIRE(model.num_decoder_layers_ == 6);
}

TEST_CASE("TransformerEncoderLayer: src_mask and src_key_padding_mask are read in torch's order, even when B = S",
          "[nn][transformer]") {
    // B = S = 3: both masks are [3, 3], so only their meaning tells them apart.
    Rng rng(37);
    const nn::TransformerEncoderLayer layer(layer_options(4, 2, 6, false), rng);
    const Tensor src = randn({3, 3, 4}, rng);
    const Tensor causal = nn::causal_mask(3);  // query i reads keys 0..i
    const nn::EncoderLayerOutput o = layer.forward(src, /*src_mask=*/causal);
    for (int b = 0; b < 3; ++b)
        for (int h = 0; h < 2; ++h) {
            REQUIRE(o.self_weights.at({b, h, 0, 1}) == 0.0f);
            REQUIRE(o.self_weights.at({b, h, 0, 0}) == 1.0f);
        }
    // as a key padding mask the same tensor means: batch row 0 has 1 real position, row 2 all 3
    const nn::EncoderLayerOutput p = layer.forward(src, Tensor(), /*src_key_padding_mask=*/causal);
    REQUIRE(p.self_weights.at({0, 0, 2, 1}) == 0.0f);
    REQUIRE(p.self_weights.at({2, 0, 0, 2}) > 0.0f);
}

// ---- state_dict / load_state_dict --------------------------------------------------------------

TEST_CASE("state_dict / load_state_dict: a snapshot by PyTorch's names, loaded in place, mismatches named",
          "[nn][transformer]") {
    Rng rng(38);
    nn::Transformer a(model_options(8, 2, 1, 16, 0.0f), rng), b(model_options(8, 2, 1, 16, 0.0f), rng);
    const Tensor src = randn({2, 3, 8}, rng), tgt = randn({2, 2, 8}, rng);
    const std::vector<float> out_a = a.forward(src, tgt).output.to_vector();
    REQUIRE(b.forward(src, tgt).output.to_vector() != out_a);

    nn::StateDict state = a.state_dict();
    REQUIRE(state.size() == a.named_parameters().size());
    REQUIRE(state.at("encoder.layers.0.self_attn.in_proj_weight").shape() == Shape{24, 8});
    // a snapshot: changing the model afterwards does not change the state dict
    const float before = state.at("decoder.norm.bias").data()[0];
    a.decoder.norm.bias.data()[0] += 1.0f;
    REQUIRE(state.at("decoder.norm.bias").data()[0] == before);
    a.decoder.norm.bias.data()[0] -= 1.0f;

    const Tensor held = b.encoder.norm.weight;  // an optimizer's handle on a parameter
    const nn::IncompatibleKeys none = b.load_state_dict(state);
    REQUIRE(none.missing_keys.empty());
    REQUIRE(none.unexpected_keys.empty());
    REQUIRE(b.forward(src, tgt).output.to_vector() == out_a);
    REQUIRE(held.data() == b.encoder.norm.weight.data());  // loaded in place

    // strict: a missing or unexpected name, or a shape, is refused and changes nothing
    nn::StateDict wrong = state;
    wrong.erase("encoder.norm.weight");
    wrong["encoder.extra"] = zeros({2});
    wrong["decoder.norm.bias"] = zeros({3});
    REQUIRE_THROWS_WITH(b.load_state_dict(wrong),
                        Contains("load_state_dict") && Contains("'decoder.norm.bias' has shape [3]") &&
                            Contains("but [8] in the model") && Contains("missing from the state dict: encoder.norm.weight") &&
                            Contains("unexpected in the state dict: encoder.extra"));
    REQUIRE(b.forward(src, tgt).output.to_vector() == out_a);
    // not strict: names are skipped and reported, shapes still checked
    wrong["decoder.norm.bias"] = zeros({8});
    const nn::IncompatibleKeys skipped = b.load_state_dict(wrong, /*strict=*/false);
    REQUIRE(skipped.missing_keys == std::vector<std::string>{"encoder.norm.weight"});
    REQUIRE(skipped.unexpected_keys == std::vector<std::string>{"encoder.extra"});
    REQUIRE(b.decoder.norm.bias.data()[0] == 0.0f);
}
