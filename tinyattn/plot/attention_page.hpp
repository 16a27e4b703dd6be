// attention_page.hpp — every attention weight of one example, as bertviz's JSON and as one
// self-contained HTML page with bertviz-style views (Vig 2019, github.com/jessevig/bertviz).
//
//   plot::ModelAttention a;
//   a.encoder_tokens = {"the", "cat", "<eos>"};
//   a.encoder_attention = per_head(output.encoder_self_weights);   // [layer][head] matrices
//   plot::export_bertviz_json("plots/10_transformer_bertviz.json", a);
//   plot::attention_page("plots/10_transformer_attention.html", "lesson 10", a);
//
// The JSON has the keyword arguments of bertviz's head_view / model_view, each layer with a
// batch dimension of 1 ([layer][1][head][query][key]), so in Python
//   head_view(**{k: [torch.tensor(l) for l in v] if k.endswith("attention") else v
//                for k, v in json.load(f).items()})
// draws it. An encoder alone gives {"tokens", "attention"}; an encoder–decoder gives
// {"encoder_tokens", "decoder_tokens", "encoder_attention", "decoder_attention", "cross_attention"}.
//
// The page needs no network and no other file: the weights are inline JSON, the drawing is
// inline JavaScript (SVG). It has a head view (query tokens left, key tokens right, one line per
// pair whose opacity is the weight, a colour per head, head toggles, hover a token to see only its
// lines), a model view (every layer × head as a thumbnail; click one to open it in the head
// view), a layer selector and, for an encoder–decoder, a choice of encoder self-, decoder self-
// and cross-attention. The URL fragment chooses the start: page.html#kind=cross&layer=2&heads=1,3
// (layers and heads count from 1). Every line drawn carries data-head / data-i / data-j / data-w
// (the weight it was drawn with), so a test can read back what the page drew (tests/test_attention_page.cpp).
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

using LayerHeads = std::vector<std::vector<Matrix>>;  // [layer][head] -> rows = queries, columns = keys

struct ModelAttention {
    std::vector<std::string> encoder_tokens;  // the source (or the only) sequence
    std::vector<std::string> decoder_tokens;  // the decoder's input tokens; empty for an encoder alone
    LayerHeads encoder_attention;             // encoder self-attention: encoder × encoder tokens
    LayerHeads decoder_attention;             // decoder self-attention: decoder × decoder tokens
    LayerHeads cross_attention;               // cross-attention: decoder (rows) × encoder (columns)
};

// The JSON described above. Weights are written with 9 significant digits, so reading them back
// as float gives exactly the model's numbers. Throws std::invalid_argument naming the kind, layer
// and head when a matrix does not match its tokens.
std::string bertviz_json(const ModelAttention& attention);
void export_bertviz_json(const std::string& path, const ModelAttention& attention);

// Writes the page (bertviz_json inside) to `path`; `title` heads the page.
void attention_page(const std::string& path, const std::string& title, const ModelAttention& attention);

// The page's HTML + JavaScript with two placeholders, @TITLE@ and @DATA@ (attention_page_html.cpp).
const char* attention_page_template();

}  // namespace tinyattn::plot
