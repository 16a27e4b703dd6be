// attention_page.cpp — bertviz's JSON, and the page that draws it.
#include "tinyattn/plot/attention_page.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "tinyattn/plot/attention_json.hpp"  // json_string
#include "tinyattn/plot/figure_files.hpp"

namespace tinyattn::plot {

// 9 significant digits: enough for any float to read back as the same float. No NaN in JSON.
static std::string exact_number(float v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", double(v));
    return buf;
}

static std::string token_list(const std::vector<std::string>& tokens) {
    std::string out = "[";
    for (size_t i = 0; i < tokens.size(); ++i) out += (i ? ", " : "") + json_string(tokens[i]);
    return out + "]";
}

// [layer][1][head][query][key], checking each matrix against its query and key tokens.
static std::string layers_json(const std::string& kind, const LayerHeads& layers, size_t queries, size_t keys) {
    std::string out = "[";
    for (size_t l = 0; l < layers.size(); ++l) {
        out += l ? ",\n  [[" : "\n  [[";
        for (size_t h = 0; h < layers[l].size(); ++h) {
            const Matrix& m = layers[l][h];
            const std::string where = "bertviz_json: " + kind + " layer " + std::to_string(l + 1) + " head " +
                                      std::to_string(h + 1);
            const size_t cols = size_t(check_rectangular(m, where));
            if (m.size() != queries || cols != keys)
                throw std::invalid_argument(where + " is " + std::to_string(m.size()) + "x" + std::to_string(cols) +
                                            " for " + std::to_string(queries) + " query and " +
                                            std::to_string(keys) + " key tokens");
            out += h ? ", [" : "[";
            for (size_t r = 0; r < m.size(); ++r) {
                out += r ? ", [" : "[";
                for (size_t c = 0; c < cols; ++c) out += (c ? ", " : "") + exact_number(m[r][c]);
                out += "]";
            }
            out += "]";
        }
        out += "]]";
    }
    return out + "]";
}

std::string bertviz_json(const ModelAttention& a) {
    const size_t S = a.encoder_tokens.size(), T = a.decoder_tokens.size();
    if (S == 0) throw std::invalid_argument("bertviz_json: no encoder tokens");
    if (T == 0)  // an encoder alone: bertviz's head_view(attention, tokens)
        return "{\"tokens\": " + token_list(a.encoder_tokens) +
               ",\n \"attention\": " + layers_json("attention", a.encoder_attention, S, S) + "}\n";
    return "{\"encoder_tokens\": " + token_list(a.encoder_tokens) +
           ",\n \"decoder_tokens\": " + token_list(a.decoder_tokens) +
           ",\n \"encoder_attention\": " + layers_json("encoder_attention", a.encoder_attention, S, S) +
           ",\n \"decoder_attention\": " + layers_json("decoder_attention", a.decoder_attention, T, T) +
           ",\n \"cross_attention\": " + layers_json("cross_attention", a.cross_attention, T, S) + "}\n";
}

static void write_file(const std::string& path, const std::string& text) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_text_file(path, text);
}

void export_bertviz_json(const std::string& path, const ModelAttention& attention) {
    write_file(path, bertviz_json(attention));
}

// `text` with every `from` replaced by `to` (once over the text: a replacement is not searched again).
static std::string replace_all(const std::string& text, const std::string& from, const std::string& to) {
    std::string out;
    size_t start = 0;
    for (size_t at; (at = text.find(from, start)) != std::string::npos; start = at + from.size())
        out += text.substr(start, at - start) + to;
    return out + text.substr(start);
}

void attention_page(const std::string& path, const std::string& title, const ModelAttention& attention) {
    // Inside <script>, "</" would end the script early: JSON allows "<\/" for it.
    const std::string data = replace_all(bertviz_json(attention), "</", "<\\/");
    std::string escaped_title;
    for (char c : title) escaped_title += c == '<' ? "&lt;" : c == '&' ? "&amp;" : std::string(1, c);
    std::string page = replace_all(attention_page_template(), "@TITLE@", escaped_title);
    write_file(path, replace_all(page, "@DATA@", data));
}

}  // namespace tinyattn::plot
