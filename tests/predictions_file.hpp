// predictions_file.hpp — read back a lesson's <plots>/<lesson>_test_predictions.tsv: its header
// and one row of cells per test example, so a test can recompute the lesson's score from it.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tinyattn/data/text_file.hpp"

namespace predictions_file {

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // each as wide as the header

    size_t column(const std::string& name) const {
        for (size_t c = 0; c < header.size(); ++c)
            if (header[c] == name) return c;
        FAIL("no column '" << name << "' in the predictions file");
        return 0;
    }
    // The share of rows whose columns a and b hold the same text: accuracy or exact match when one
    // is the reference and the other a model's answer.
    double agreement(const std::string& a, const std::string& b) const {
        const size_t i = column(a), j = column(b);
        int same = 0;
        for (const auto& row : rows) same += row[i] == row[j];
        return rows.empty() ? 0.0 : double(same) / double(rows.size());
    }
};

// The file's header and rows; fails the test if it is missing or a row has the wrong width.
inline Table read(const std::filesystem::path& path) {
    INFO("predictions file " << path.string());
    REQUIRE(std::filesystem::exists(path));
    const std::vector<tinyattn::data::Line> lines = tinyattn::data::read_lines(path.string(), "test");
    Table t;
    t.header = tinyattn::data::split(lines[0].text, '\t');
    for (size_t i = 1; i < lines.size(); ++i) {
        t.rows.push_back(tinyattn::data::split(lines[i].text, '\t'));
        INFO("line " << lines[i].number << ": " << lines[i].text);
        REQUIRE(t.rows.back().size() == t.header.size());
    }
    return t;
}

}  // namespace predictions_file
