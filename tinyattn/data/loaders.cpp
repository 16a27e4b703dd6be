// loaders.cpp — sentence-pair and labelled-text files (formats in loaders.hpp).
#include "tinyattn/data/loaders.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "tinyattn/data/text_file.hpp"
#include "tinyattn/data/tokenizer.hpp"

namespace tinyattn::data {

namespace {

// Split a line on tabs and check the count of columns and that none is blank.
std::vector<std::string> fields_of(const std::string& path, const Line& line, size_t min_columns,
                                   size_t max_columns) {
    std::vector<std::string> fields = split(line.text, '\t');
    if (fields.size() < min_columns || fields.size() > max_columns) {
        const std::string expected = min_columns == max_columns
                                         ? std::to_string(min_columns)
                                         : std::to_string(min_columns) + " or " + std::to_string(max_columns);
        const std::string hint = fields.size() == 1 ? " (no tab found: columns must be separated by a TAB)" : "";
        throw std::runtime_error(where(path, line.number, "expected " + expected + " tab-separated columns, found " +
                                                              std::to_string(fields.size()) + hint));
    }
    for (size_t i = 0; i < fields.size(); ++i)
        if (trim(fields[i]).empty())
            throw std::runtime_error(where(path, line.number, "column " + std::to_string(i + 1) + " is empty"));
    return fields;
}

// Tokenize one column; a column with no tokens at all (only spaces) is an error.
std::vector<std::string> tokens_of(const std::string& path, const Line& line, const std::string& text,
                                   const std::string& lang, const std::string& column_name) {
    std::vector<std::string> tokens = tokenize(text, lang);
    if (tokens.empty()) throw std::runtime_error(where(path, line.number, column_name + " has no tokens"));
    return tokens;
}

bool starts_with(const std::vector<std::string>& tokens, const std::vector<std::string>& prefix) {
    return prefix.size() <= tokens.size() && std::equal(prefix.begin(), prefix.end(), tokens.begin());
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

bool is_label_header(const std::string& field) {
    const std::string f = lower_ascii(trim(field));
    for (const char* name : {"label", "labels", "sentiment", "class", "target", "category", "polarity", "rating",
                             "emotion", "intent", "tag", "y"})
        if (f == name) return true;
    return false;
}

// No spaces in any value, and fewer distinct values than the other column: looks like a label.
bool looks_like_label_column(const std::vector<std::vector<std::string>>& rows, size_t column, size_t other) {
    std::set<std::string> values, other_values;
    for (const auto& row : rows) {
        if (trim(row[column]).find(' ') != std::string::npos) return false;
        values.insert(trim(row[column]));
        other_values.insert(trim(row[other]));
    }
    return values.size() < other_values.size();
}

}  // namespace

const std::vector<std::string>& tutorial_english_prefixes() {
    static const std::vector<std::string> prefixes = {"i am",    "i'm",     "he is",    "he's",
                                                      "she is",  "she's",   "you are",  "you're",
                                                      "we are",  "we're",   "they are", "they're"};
    return prefixes;
}

std::vector<SentencePair> load_pairs(const std::string& path, const PairOptions& options) {
    std::vector<std::vector<std::string>> prefixes;
    for (const std::string& p : options.english_prefixes) prefixes.push_back(tokenize(p, "en"));

    std::vector<SentencePair> pairs;
    for (const Line& line : read_lines(path, "load_pairs")) {
        const std::vector<std::string> fields = fields_of(path, line, 2, 3);
        std::vector<std::string> english = tokens_of(path, line, fields[0], options.column1_lang, "column 1");
        std::vector<std::string> other = tokens_of(path, line, fields[1], options.column2_lang, "column 2");

        if (!prefixes.empty() &&
            std::none_of(prefixes.begin(), prefixes.end(), [&](const auto& p) { return starts_with(english, p); }))
            continue;
        const size_t limit = size_t(options.max_length);
        if (options.max_length > 0 && (english.size() > limit || other.size() > limit)) continue;

        SentencePair pair;
        pair.line = line.number;
        if (options.swap) {
            pair.src_text = fields[1], pair.tgt_text = fields[0];
            pair.src = std::move(other), pair.tgt = std::move(english);
        } else {
            pair.src_text = fields[0], pair.tgt_text = fields[1];
            pair.src = std::move(english), pair.tgt = std::move(other);
        }
        pairs.push_back(std::move(pair));
    }
    return pairs;
}

int LabelledData::label_id(const std::string& label) const {
    auto found = std::find(labels.begin(), labels.end(), label);
    if (found == labels.end()) throw std::invalid_argument("LabelledData::label_id: unknown label '" + label + "'");
    return int(found - labels.begin());
}

LabelledData load_labelled(const std::string& path, const LabelledOptions& options) {
    std::vector<Line> lines = read_lines(path, "load_labelled");
    LabelledData data;

    // Every line must have as many columns as the first (at least 2), none of them blank.
    const size_t columns = split(lines[0].text, '\t').size();
    if (columns < 2) fields_of(path, lines[0], 2, 2);  // throws the "no tab found" message
    std::vector<std::vector<std::string>> rows;
    for (const Line& line : lines) rows.push_back(fields_of(path, line, columns, columns));

    // A header is a first line that names the label column.
    size_t first_row = 0;
    bool label_first = options.label_column == LabelColumn::First;
    if (is_label_header(rows[0][0]) || is_label_header(rows[0][1])) {
        data.had_header = true;
        first_row = 1;
        if (options.label_column == LabelColumn::Auto) label_first = is_label_header(rows[0][0]);
        for (size_t c = 2; c < columns; ++c) data.extra_names.push_back(trim(rows[0][c]));
    } else {
        for (size_t c = 2; c < columns; ++c) data.extra_names.push_back("column" + std::to_string(c + 1));
    }
    if (first_row == rows.size()) throw std::runtime_error(path + ": only a header line, no examples");
    std::vector<std::vector<std::string>> body(rows.begin() + long(first_row), rows.end());
    if (options.label_column == LabelColumn::Auto && !data.had_header)
        label_first = looks_like_label_column(body, 0, 1);
    data.label_first = label_first;

    const size_t label_col = label_first ? 0 : 1, text_col = label_first ? 1 : 0;
    data.labels = options.labels;
    if (data.labels.empty()) {
        std::set<std::string> distinct;
        for (const auto& row : body) distinct.insert(trim(row[label_col]));
        data.labels.assign(distinct.begin(), distinct.end());
    }

    for (size_t r = first_row; r < rows.size(); ++r) {
        const Line& line = lines[r];
        LabelledExample ex;
        ex.line = line.number;
        ex.text = rows[r][text_col];
        ex.tokens = tokens_of(path, line, ex.text, options.lang, "the text column");
        if (options.max_tokens > 0 && ex.tokens.size() > size_t(options.max_tokens)) {
            ex.tokens.resize(size_t(options.max_tokens));
            ++data.cut;
        }
        ex.label = trim(rows[r][label_col]);
        auto found = std::find(data.labels.begin(), data.labels.end(), ex.label);
        if (found == data.labels.end())
            throw std::runtime_error(where(path, line.number, "label '" + ex.label + "' is not in the label list"));
        ex.label_id = int(found - data.labels.begin());
        ex.extra.assign(rows[r].begin() + 2, rows[r].end());
        data.examples.push_back(std::move(ex));
    }
    return data;
}

}  // namespace tinyattn::data
