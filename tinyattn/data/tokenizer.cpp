// tokenizer.cpp — a rule-based word tokenizer for English and French (see tokenizer.hpp).
#include "tinyattn/data/tokenizer.hpp"

#include <stdexcept>

#include "tinyattn/data/utf8.hpp"

namespace tinyattn::data {

namespace {

bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\v' || c == U'\f' ||
           c == 0xA0 ||                    // no-break space
           (c >= 0x2000 && c <= 0x200B) || // en quad .. zero-width space (incl. thin space)
           c == 0x202F ||                  // narrow no-break space (French: "oui !")
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// Punctuation and symbols that become tokens of their own. The apostrophe and the hyphen
// are handled separately (they can also sit inside a word).
bool is_punct(char32_t c) {
    if (c < 0x80) {
        const bool alnum = (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
        return !alnum && c != U'\'' && c != U'-' && c > U' ' && c != 0x7F;
    }
    switch (c) {
        case 0xA1: case 0xBF:                          // ¡ ¿
        case 0xAB: case 0xBB:                          // « »
        case 0xA7: case 0xB0: case 0xB7:               // § ° ·
        case 0x2010: case 0x2011: case 0x2012:         // hyphens and figure dash
        case 0x2013: case 0x2014: case 0x2015:         // – — ―
        case 0x2018: case 0x201A: case 0x201B:         // ‘ ‚ ‛
        case 0x201C: case 0x201D: case 0x201E:         // “ ” „
        case 0x2022: case 0x2026:                      // • …
        case 0x2039: case 0x203A:                      // ‹ ›
        case 0x20AC: case 0xA3:                        // € £
            return true;
        default:
            return false;
    }
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

// A word character is anything that is neither space, punctuation, apostrophe nor hyphen:
// letters (accented or not, any script) and digits.
bool is_word_char(char32_t c) { return !is_space(c) && !is_punct(c) && c != U'\'' && c != U'-'; }

// French words that elide their vowel before a vowel or mute h: "le homme" -> "l'homme".
bool is_elision(const std::string& word) {
    static const char* const elided[] = {"l", "d", "j", "m", "n", "s", "t", "c",
                                         "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};
    for (const char* e : elided)
        if (word == e) return true;
    return false;
}

void flush(std::u32string& word, std::vector<std::string>& tokens) {
    if (!word.empty()) tokens.push_back(encode_utf8(word));
    word.clear();
}

}  // namespace

std::vector<std::string> tokenize(const std::string& text, const std::string& lang) {
    const bool french = lang == "fr";
    std::u32string chars;
    try {
        chars = decode_utf8(text);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("tokenize: ") + e.what());
    }
    for (char32_t& c : chars) {
        if (c == 0x2019 || c == 0x02BC) c = U'\'';  // ’ and ʼ are apostrophes
        c = to_lower(c);
    }

    std::vector<std::string> tokens;
    std::u32string word;  // the word being built
    const size_t n = chars.size();
    for (size_t i = 0; i < n; ++i) {
        const char32_t c = chars[i];
        const char32_t next = (i + 1 < n) ? chars[i + 1] : U' ';
        if (is_space(c)) {
            flush(word, tokens);
        } else if (c == U'\'') {
            if (word.empty()) {                      // opening quote: its own token
                tokens.push_back("'");
            } else if (french && is_elision(encode_utf8(word))) {  // l' | homme
                word.push_back(c);
                flush(word, tokens);
            } else {                                 // don't, john's, dogs', aujourd'hui
                word.push_back(c);
            }
        } else if (c == U'-') {
            if (!word.empty() && is_word_char(next)) word.push_back(c);  // peut-être
            else { flush(word, tokens); tokens.push_back("-"); }
        } else if ((c == U'.' || c == U',') && !word.empty() && is_digit(word.back()) && is_digit(next)) {
            word.push_back(c);                       // 3.5, 1,000
        } else if (is_punct(c)) {
            flush(word, tokens);
            tokens.push_back(encode_utf8(std::u32string(1, c)));
        } else {
            word.push_back(c);
        }
    }
    flush(word, tokens);
    return tokens;
}

std::string language_name(const std::string& lang) {
    static const char* const names[][2] = {{"en", "English"}, {"fr", "French"}, {"de", "German"},
                                           {"es", "Spanish"}, {"it", "Italian"}, {"pt", "Portuguese"},
                                           {"nl", "Dutch"}};
    for (const auto& n : names)
        if (lang == n[0]) return n[1];
    return lang;
}

std::string join(const std::vector<std::string>& tokens, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0) out += separator;
        out += tokens[i];
    }
    return out;
}

namespace {

bool is_one_of(const std::string& token, const std::vector<std::string>& set) {
    for (const std::string& s : set)
        if (token == s) return true;
    return false;
}

bool no_space_before(const std::string& token) {
    return is_one_of(token, {".", ",", "!", "?", ";", ":", ")", "]", "}", "»", "…", "%", "/"});
}

bool no_space_after(const std::string& token) {
    if (is_one_of(token, {"(", "[", "{", "«", "¿", "¡", "/"})) return true;
    // an elision: "l'" + "homme" (but a possessive "dogs'" keeps its space)
    return token.size() > 1 && token.back() == '\'' && is_elision(token.substr(0, token.size() - 1));
}

}  // namespace

std::string detokenize(const std::vector<std::string>& tokens) {
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0 && !no_space_before(tokens[i]) && !no_space_after(tokens[i - 1])) out += ' ';
        out += tokens[i];
    }
    return out;
}

}  // namespace tinyattn::data
