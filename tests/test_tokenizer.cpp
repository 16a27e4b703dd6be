// Tests for the UTF-8 tokenizer and detokenizer (tinyattn/data/tokenizer.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/data/utf8.hpp"

using tinyattn::data::detokenize;
using tinyattn::data::join;
using tinyattn::data::tokenize;
using Tokens = std::vector<std::string>;

// Every call says its language: "fr" splits French elisions, "en" (and any other code) does not.
static Tokens fr(const std::string& text) { return tokenize(text, "fr"); }
static Tokens en(const std::string& text) { return tokenize(text, "en"); }

TEST_CASE("tokenize: lower-cases ASCII and splits on whitespace", "[tokenizer]") {
    CHECK(fr("The  RED\tcar\n") == Tokens{"the", "red", "car"});
    CHECK(fr("").empty());
    CHECK(fr("   \t ").empty());
}

TEST_CASE("tokenize: keeps accents and lower-cases accented capitals", "[tokenizer]") {
    CHECK(fr("élève café naïve garçon") == Tokens{"élève", "café", "naïve", "garçon"});
    CHECK(fr("ÉCOLE À ÇA ŒUVRE Ÿ") == Tokens{"école", "à", "ça", "œuvre", "ÿ"});
    CHECK(fr("ÀÂÄÈÉÊËÎÏÔÖÙÛÜ") == Tokens{"àâäèéêëîïôöùûü"});
    // "e" and "é" stay different tokens
    CHECK(fr("the thé") == Tokens{"the", "thé"});
    // × is a sign, not a capital: it must not become ÷
    CHECK(fr("3×4") == Tokens{"3×4"});
}

TEST_CASE("to_lower: Latin Extended-A pairs with both parities", "[tokenizer]") {
    using tinyattn::data::to_lower;
    CHECK(to_lower(0x152) == 0x153);  // Œ -> œ (capital on even code point)
    CHECK(to_lower(0x141) == 0x142);  // Ł -> ł (capital on odd code point)
    CHECK(to_lower(0x17D) == 0x17E);  // Ž -> ž
    CHECK(to_lower(0x178) == 0xFF);   // Ÿ -> ÿ
    CHECK(to_lower(0x153) == 0x153);  // already small
    CHECK(to_lower(0xDF) == 0xDF);    // ß has no capital here
    CHECK(to_lower(0x416) == 0x436);  // Ж -> ж
}

TEST_CASE("tokenize: punctuation becomes separate tokens", "[tokenizer]") {
    CHECK(fr("Hello, world!") == Tokens{"hello", ",", "world", "!"});
    CHECK(fr("Vraiment ? Oui ; non : peut-être.") ==
          Tokens{"vraiment", "?", "oui", ";", "non", ":", "peut-être", "."});
    CHECK(fr("«Bonjour» (dit-il)") == Tokens{"«", "bonjour", "»", "(", "dit-il", ")"});
    CHECK(fr("\"quoted\"") == Tokens{"\"", "quoted", "\""});
    CHECK(fr("wait...") == Tokens{"wait", ".", ".", "."});
    CHECK(fr("fin…") == Tokens{"fin", "…"});
    // French typography puts a (narrow) no-break space before ! and ?
    CHECK(fr("oui\u202F! non\u00A0?") == Tokens{"oui", "!", "non", "?"});
}

TEST_CASE("tokenize: French elisions split after the apostrophe", "[tokenizer]") {
    CHECK(fr("l'homme") == Tokens{"l'", "homme"});
    CHECK(fr("J'aime l'eau") == Tokens{"j'", "aime", "l'", "eau"});
    CHECK(fr("ce n'est pas") == Tokens{"ce", "n'", "est", "pas"});
    CHECK(fr("qu'il boit d'eau, c'est ça") ==
          Tokens{"qu'", "il", "boit", "d'", "eau", ",", "c'", "est", "ça"});
    CHECK(fr("jusqu'à L'Hôtel") == Tokens{"jusqu'", "à", "l'", "hôtel"});
    // the typographic apostrophe is normalised
    CHECK(fr("l’homme qu’il") == Tokens{"l'", "homme", "qu'", "il"});
    // aujourd'hui is one word: "aujourd" is not an elided article
    CHECK(fr("aujourd'hui") == Tokens{"aujourd'hui"});
}

TEST_CASE("tokenize: English contractions and possessives stay whole", "[tokenizer]") {
    CHECK(en("I don't know, it's John's") == Tokens{"i", "don't", "know", ",", "it's", "john's"});
    CHECK(en("the dogs' bones") == Tokens{"the", "dogs'", "bones"});
    CHECK(en("'hello'") == Tokens{"'", "hello'"});
}

TEST_CASE("tokenize: French elision applies to French only", "[tokenizer]") {
    // English keeps its contractions whole, also when pre-tokenized the Penn way ("do n't"):
    // with the French rule "n't" would become "n'" + "t".
    CHECK(en("don't isn't") == Tokens{"don't", "isn't"});
    CHECK(en("I do n't know") == Tokens{"i", "do", "n't", "know"});
    CHECK(fr("I do n't know") == Tokens{"i", "do", "n'", "t", "know"});  // what the French rule does to it
    CHECK(en("d'you l'm") == Tokens{"d'you", "l'm"});
    // French splits its elided articles and pronouns; English, German, ... do not
    CHECK(fr("l'homme") == Tokens{"l'", "homme"});
    CHECK(en("l'homme") == Tokens{"l'homme"});
    CHECK(tokenize("l'homme", "de") == Tokens{"l'homme"});
    CHECK(tinyattn::data::language_name("en") == "English");
    CHECK(tinyattn::data::language_name("fr") == "French");
    CHECK(tinyattn::data::language_name("xx") == "xx");
}

TEST_CASE("tokenize: numbers and dates", "[tokenizer]") {
    CHECK(fr("03/03/2021") == Tokens{"03", "/", "03", "/", "2021"});
    CHECK(fr("Mar 3, 21") == Tokens{"mar", "3", ",", "21"});
    CHECK(fr("2021-03-03") == Tokens{"2021-03-03"});
    CHECK(fr("3.5 1,000 3rd") == Tokens{"3.5", "1,000", "3rd"});
    CHECK(fr("end 3.") == Tokens{"end", "3", "."});
    CHECK(fr("- 5 -x") == Tokens{"-", "5", "-", "x"});
}

TEST_CASE("tokenize: is a fixed point on its own output", "[tokenizer]") {
    const std::vector<std::string> samples = {
        "L'Homme qu’il a vu n'est pas là, dit-il : « Jusqu'à demain ! »",
        "I don't think it's the dogs' fault... (really?)",
        "Tuesday 3rd of March 2021, 03/03/2021, Mar 3, 21 -> 2021-03-03",
        "'quoted' -- and \"double\" -x- 3.5.6 1,000,000 a-",
        "ÉCOLE d'été ; c'est-à-dire ŒUVRE",
        "l' homme",  // already tokenized
    };
    for (const std::string& s : samples) {
        const Tokens once = fr(s);
        INFO(s << " -> " << join(once));
        CHECK(fr(join(once)) == once);
    }
}

TEST_CASE("tokenize: invalid UTF-8 throws naming the byte offset", "[tokenizer]") {
    // "caf" then a lone Latin-1 é (0xE9), as in a file saved in the wrong encoding
    const std::string latin1 = std::string("caf") + char(0xE9) + " noir";
    CHECK_THROWS_WITH(fr(latin1), Catch::Contains("byte offset 3"));
    // a truncated 2-byte sequence at the end
    CHECK_THROWS_WITH(fr(std::string("ab") + char(0xC3)), Catch::Contains("byte offset 2"));
    // an overlong encoding of '/' (0xC0 0xAF) is rejected
    CHECK_THROWS_WITH(fr(std::string("x") + char(0xC0) + char(0xAF)), Catch::Contains("byte offset 1"));
    // a UTF-16 surrogate encoded in UTF-8 (ED A0 80) is rejected
    CHECK_THROWS(fr(std::string() + char(0xED) + char(0xA0) + char(0x80)));
    CHECK(tinyattn::data::find_invalid_utf8("café €") == std::string::npos);
    CHECK(tinyattn::data::find_invalid_utf8(latin1) == 3);
}

TEST_CASE("utf8: decode/encode round trip over 1- to 4-byte characters", "[tokenizer]") {
    const std::string s = "a é € 😀";
    const std::u32string cps = tinyattn::data::decode_utf8(s);
    CHECK(cps == std::u32string{U'a', U' ', 0xE9, U' ', 0x20AC, U' ', 0x1F600});
    CHECK(tinyattn::data::encode_utf8(cps) == s);
}

TEST_CASE("detokenize: readable display text", "[tokenizer]") {
    CHECK(detokenize({"l'", "homme", "n'", "est", "pas", "là", "."}) == "l'homme n'est pas là.");
    CHECK(detokenize({"hello", ",", "world", "!"}) == "hello, world!");
    CHECK(detokenize({"(", "oui", ")", "«", "non", "»"}) == "(oui) «non»");
    CHECK(detokenize({"03", "/", "03", "/", "2021"}) == "03/03/2021");
    CHECK(detokenize({"the", "dogs'", "bones"}) == "the dogs' bones");
    CHECK(detokenize({}) == "");
}
