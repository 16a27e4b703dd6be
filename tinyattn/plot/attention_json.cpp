// attention_json.cpp — hand-written JSON (no library needed for lists of numbers).
#include "tinyattn/plot/attention_json.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"

namespace tinyattn::plot {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {  // other control characters: \u00XX
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

static std::string json_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
    return out + "]";
}

// JSON has no NaN/Infinity: such weights become null.
static std::string json_number(float v) { return std::isfinite(v) ? format_value(v) : "null"; }

std::string attention_json(const std::vector<std::string>& tokens_src,
                           const std::vector<std::string>& tokens_tgt,
                           const std::vector<std::vector<Matrix>>& layers) {
    std::string out = "{\"tokens_src\": " + json_list(tokens_src) +
                      ",\n \"tokens_tgt\": " + json_list(tokens_tgt) + ",\n \"layers\": [";
    for (size_t l = 0; l < layers.size(); ++l) {
        out += l ? ",\n  [" : "\n  [";
        for (size_t h = 0; h < layers[l].size(); ++h) {
            const Matrix& m = layers[l][h];
            const std::string where = "export_attention_json: layer " + std::to_string(l) +
                                      " head " + std::to_string(h);
            const int cols = check_rectangular(m, where);
            if (m.size() != tokens_tgt.size() || static_cast<size_t>(cols) != tokens_src.size())
                throw std::invalid_argument(where + " is " + std::to_string(m.size()) + "x" +
                                            std::to_string(cols) + ", tokens are " +
                                            std::to_string(tokens_tgt.size()) + " target x " +
                                            std::to_string(tokens_src.size()) + " source");
            out += h ? ",\n   [" : "\n   [";
            for (size_t r = 0; r < m.size(); ++r) {
                out += r ? ", [" : "[";
                for (size_t c = 0; c < m[r].size(); ++c) out += (c ? ", " : "") + json_number(m[r][c]);
                out += "]";
            }
            out += "]";
        }
        out += "]";
    }
    return out + "]}\n";
}

void export_attention_json(const std::string& path, const std::vector<std::string>& tokens_src,
                           const std::vector<std::string>& tokens_tgt,
                           const std::vector<std::vector<Matrix>>& layers) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_text_file(path, attention_json(tokens_src, tokens_tgt, layers));
}

}  // namespace tinyattn::plot
