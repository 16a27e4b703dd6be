// attention_json.hpp — one example's attention as JSON, for other viewers.
//
// The layout bertviz-style viewers take:
//   {"tokens_src": ["the", "red", "car"],
//    "tokens_tgt": ["la", "voiture", "rouge"],
//    "layers": [ [ <head 1 matrix>, <head 2 matrix>, ... ],   <- layer 1
//                [ ... ] ]}                                    <- layer 2
// where a head matrix is a list of rows (one per target token) of weights (one
// per source token). Strings are UTF-8, escaped as JSON requires.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

// `text` as a JSON string literal: quotes, backslashes and control characters
// escaped; other UTF-8 bytes (é, «) passed through unchanged, which JSON allows.
std::string json_string(const std::string& text);

// The JSON document above; layers[l][h] must be tokens_tgt.size() x tokens_src.size().
std::string attention_json(const std::vector<std::string>& tokens_src,
                           const std::vector<std::string>& tokens_tgt,
                           const std::vector<std::vector<Matrix>>& layers);

// Writes attention_json(...) to `path` (e.g. "plots/example3.json").
void export_attention_json(const std::string& path, const std::vector<std::string>& tokens_src,
                           const std::vector<std::string>& tokens_tgt,
                           const std::vector<std::vector<Matrix>>& layers);

}  // namespace tinyattn::plot
