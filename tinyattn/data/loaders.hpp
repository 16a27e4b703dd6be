// loaders.hpp — read the two file formats learners will find on the web.
//
// 1. Sentence pairs, the Tatoeba / manythings.org format used by the PyTorch seq2seq tutorial:
//        english<TAB>french[<TAB>anything, e.g. the attribution]
//    Go.	Va !	CC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)
// 2. Labelled text for classification, either order, optional header line, extra columns kept:
//        text<TAB>label[<TAB>more columns]      or      label<TAB>text[<TAB>...]
//    the plot was dull but the acting was superb	positive	contrast
//
// Both accept CRLF line ends, a UTF-8 byte-order mark and blank lines at the end. Anything
// else that is wrong stops the load with "path:line: what is wrong" — a silently skipped
// line is a silently different dataset.
#pragma once
#include <string>
#include <vector>

namespace tinyattn::data {

// ---- sentence pairs ---------------------------------------------------------------------

struct SentencePair {
    std::string src_text, tgt_text;       // the raw columns (after the swap, if any)
    std::vector<std::string> src, tgt;    // tokenized with data::tokenize
    int line = 0;                         // line number in the file
};

struct PairOptions {
    bool swap = false;       // false: column 1 -> column 2 (English -> French); true: the reverse
    int max_length = 0;      // keep pairs whose both sides have <= max_length tokens (0: no limit)
    // Keep only pairs whose English side (column 1, whatever `swap` says) starts with one of
    // these phrases, compared token by token after tokenizing them (empty: keep all).
    std::vector<std::string> english_prefixes;
    // The language of column 1 and column 2 (data::tokenize: only "fr" splits elisions such as
    // l'homme). Tatoeba's files are English<TAB>other language.
    std::string column1_lang = "en", column2_lang = "fr";
};

// The prefixes of the PyTorch "NLP From Scratch: Translation with a Sequence to Sequence
// Network and Attention" tutorial ("i am", "he is", ...), in this tokenizer's spelling: the
// tutorial turns "i'm" into "i m", we keep "i'm" whole.
const std::vector<std::string>& tutorial_english_prefixes();

std::vector<SentencePair> load_pairs(const std::string& path, const PairOptions& options = {});

// ---- labelled text ----------------------------------------------------------------------

enum class LabelColumn {
    Auto,   // from the header if there is one, else the column whose values have no spaces
            // and fewer distinct values; text first when that cannot decide
    Second, // text<TAB>label
    First,  // label<TAB>text
};

struct LabelledOptions {
    LabelColumn label_column = LabelColumn::Auto;
    // The label list, fixing label ids (label_id = index). Empty: the sorted distinct labels
    // of the file (tasks::check_labels then refuses suspicious ones). A label not in a given
    // list is an error naming the line.
    std::vector<std::string> labels;
    // Texts longer than this many tokens are cut to their first max_tokens (0: no limit), so one
    // huge line cannot make a batch of huge tensors; LabelledData::cut counts them.
    int max_tokens = 0;
    std::string lang = "en";  // the texts' language, for data::tokenize
};

struct LabelledExample {
    std::string text;
    std::vector<std::string> tokens;  // tokenized text
    std::string label;
    int label_id = 0;
    std::vector<std::string> extra;   // columns after the first two, e.g. {"negation"}
    int line = 0;
};

struct LabelledData {
    std::vector<LabelledExample> examples;
    std::vector<std::string> labels;        // label_id -> label
    std::vector<std::string> extra_names;   // names of the extra columns from the header
                                            // ("phenomenon"), or "column3", ... without one
    bool had_header = false;
    int cut = 0;                            // texts cut to LabelledOptions::max_tokens
    bool label_first = false;               // the order that was used
    int label_id(const std::string& label) const;  // throws if unknown
};

LabelledData load_labelled(const std::string& path, const LabelledOptions& options = {});

}  // namespace tinyattn::data
