// tokenizer.hpp — turn a UTF-8 sentence into word tokens, and back for display.
//
// The rules, in order (each is a choice a learner can change):
//  1. Decode UTF-8 strictly; invalid bytes throw, naming the byte offset.
//  2. Normalise the typographic apostrophes ’ (U+2019) and ʼ (U+02BC) to ' .
//  3. Lower-case with an explicit, locale-free table: "Élève À Ça" -> "élève à ça".
//     Accents are kept: "é" and "e" are different tokens.
//  4. Split on whitespace (ASCII and the Unicode spaces French typography uses, such as
//     the no-break space before "!" or inside « »).
//  5. Punctuation becomes its own token, one character per token: "fin." -> "fin ."
//     and "wait..." -> "wait . . ." . Includes . , ! ? ; : " « » ( ) [ ] { } / … – — etc.
//  6. In French only (lang "fr"): elisions split after the apostrophe: l'homme -> l' homme,
//     j'aime -> j' aime, qu'il -> qu' il, jusqu'à -> jusqu' à. The elided words are listed in
//     tokenizer.cpp (l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu). Any other language
//     ("en", "de", ...) keeps them whole: English "n't" (pre-tokenized "do n't") or "d'you" is
//     not a French article, and splitting it would give "n'" + "t".
//  7. Every other apostrophe inside or after a word stays in the word: English contractions
//     and possessives are one token ("don't", "it's", "john's", "dogs'"), as is
//     "aujourd'hui". A leading apostrophe (an opening quote) is a token of its own.
//  8. A hyphen between two word characters stays in the word ("peut-être", "est-ce",
//     "2021-03-03"); any other hyphen is punctuation.
//  9. "." and "," between two digits stay in the number ("3.5", "1,000"); "/" always splits,
//     so "03/03/2021" -> "03 / 03 / 2021".
// The rules only look at a token's own characters, so tokenizing already-tokenized text
// (tokens joined by single spaces) gives it back unchanged:
//     tokenize(join(tokenize(x, lang), " "), lang) == tokenize(x, lang)
// Pre-tokenized corpora therefore go through the same function as raw user text.
#pragma once
#include <string>
#include <vector>

namespace tinyattn::data {

// `lang` is the text's language as a code: "fr" applies rule 6, "en" and every other code do not.
// A sentence pair file names the language of each column (data::PairOptions, --src-lang/--tgt-lang).
std::vector<std::string> tokenize(const std::string& text, const std::string& lang);

// "English" for "en", "French" for "fr", ... (a few common codes); any other code as it is.
std::string language_name(const std::string& lang);

// For display: spaces between tokens, except none before closing punctuation (. , ! ? ; : ) »),
// none after opening punctuation (( « ¿ ¡) or an elision ("l' homme" -> "l'homme"), none around
// "/" ("03 / 03 / 2021" -> "03/03/2021"). Not an exact inverse: the case is lost.
std::string detokenize(const std::vector<std::string>& tokens);

// tokens joined by single spaces, the pre-tokenized form used in the shipped corpora.
std::string join(const std::vector<std::string>& tokens, const std::string& separator = " ");

}  // namespace tinyattn::data
