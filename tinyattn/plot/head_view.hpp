// head_view.hpp — bertviz's two static views (Vig 2019) as PNGs, with terminal fallbacks.
//
//   plot::head_view("plots/15_head_view", layer_heads, tokens, tokens,
//                   {.title = "layer 1: each word (left) reads the sentence (right)"});
// draws, for each head side by side, the query tokens in a column on the left and the key tokens
// on the right, and a line from query i to key j whose opacity is the weight (0 invisible, 1
// solid), in the head's colour (series_colour: the same colours as the HTML page). The terminal view lists, per query,
// each head's strongest key.
//
//   plot::neuron_view("plots/14_neuron_view", q, keys, key_tokens, "cat", 3);
// takes one query vector and the key vectors of one head and shows how one weight is made:
// q, k and q⊙k per dimension (bars), their sum q·k, ÷√d, and the softmax over all keys with the
// chosen key marked.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

struct HeadViewOptions {
    std::string title = "head view";
    std::vector<int> heads = {};  // which heads to draw (counting from 0); empty = all
};

// heads[h]: query_tokens × key_tokens weights of head h of one layer. Writes <path>.png and
// <path>.txt (every weight, one line per head, query and key); returns the terminal view.
std::string head_view(const std::string& path, const std::vector<Matrix>& heads,
                      const std::vector<std::string>& query_tokens, const std::vector<std::string>& key_tokens,
                      const HeadViewOptions& options = {});

// What neuron_view computes, returned so a lesson can print or check it.
struct NeuronView {
    std::vector<float> product;  // q ⊙ k for the chosen key, per dimension
    float dot = 0.0f;            // Σ product = q·k
    float scaled = 0.0f;         // q·k / √d
    std::vector<float> weights;  // softmax over all keys of q·k_j / √d
    std::string terminal;        // the same, as text for the terminal
};

// query [d]; keys [n][d] (one row per key); `key` the chosen key's index. Throws
// std::invalid_argument naming the sizes when they disagree. Writes <path>.png and <path>.txt.
NeuronView neuron_view(const std::string& path, const std::vector<float>& query, const Matrix& keys,
                       const std::vector<std::string>& key_tokens, const std::string& query_token, int key);

}  // namespace tinyattn::plot
