// test_lesson_bad_data.cpp — the lesson programs on a learner's bad data files (--data): every
// row of tests/README.md's bad-input table that a data file can reach, through the program the
// learner runs. Each ends with exit 1 and one line naming the file (and line), never an abort.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bad_input_runner.hpp"

using bad_input::require_error;
using bad_input::run;
using bad_input::Scratch;

namespace {

// `n` copies of `line` (with its line end).
std::string lines(const std::string& line, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += line;
    return s;
}

const std::string kGzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xfe", 12);
const std::string kNul("abc\0def\tpos\n", 12);

// A data file (name, bytes) and what the one error line must contain.
struct BadFile {
    std::string name, bytes, needle;
};

// Files no loader can read: empty, gzip bytes, a NUL byte.
std::vector<BadFile> unreadable_files() {
    return {{"empty.tsv", "", "empty.tsv: the file is empty"},
            {"gzip.tsv", kGzip, "gzip.tsv:1: invalid UTF-8"},
            {"nul.tsv", kNul, "nul.tsv:1: NUL byte"}};
}

// Runs `lesson --quick --data <file>` on each: exit 1, one line naming the file.
void require_refused(const std::string& lesson, const std::vector<BadFile>& cases, const Scratch& s) {
    for (const BadFile& c : cases) {
        INFO(c.name);
        const auto e = run(lesson, "--quick --data " + s.file(c.name, c.bytes), s);
        require_error(e, lesson, 1, c.needle);
        CHECK(e.err.find(c.name) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("lesson 04 --data: bad labelled files name the file and line", "[lesson][bad-input]") {
    const Scratch s("labelled");
    const std::string ok = lines("a good film\tpos\n", 20) + lines("a bad film\tneg\n", 20);
    std::vector<BadFile> cases = unreadable_files();
    cases.insert(cases.end(), {
        {"latin1.tsv", ok + "caf\xe9 cr\xe8me\tpos\n", "latin1.tsv:41: invalid UTF-8"},
        {"notab.tsv", ok + "no tab here\n", "notab.tsv:41: expected 2 tab-separated columns, found 1 (no tab found"},
        {"emptycol.tsv", ok + "\tpos\n", "emptycol.tsv:41: column 1 is empty"},
        {"one_class.tsv", lines("a good film\tpos\n", 30), "only one class ('pos')"},
        {"typo.tsv", ok + "a film\tl\n", "typo.tsv:41: label 'l' has only 1 example(s)"},
        {"case.tsv", ok + "a fine film\tPos\n", "case.tsv:41: label 'Pos' differs from 'pos' only in case"},
        {"header.tsv", "txt\tsent\n" + ok, "header.tsv:1: 'sent' looks like a header line"},
        {"few.tsv", lines("a good film\tpos\n", 4) + lines("a bad film\tneg\n", 4), "need at least 10 labelled lines"},
        {"onlyheader.tsv", "text\tlabel\n", "only a header line, no examples"},
    });
    require_refused("04_embeddings", cases, s);
}

TEST_CASE("lesson 04 --data: a recognised header is skipped, a 2-million-word line is cut, not allocated",
          "[lesson][bad-input]") {
    const Scratch s("labelled_ok");
    std::string huge;
    for (int i = 0; i < 2000000; ++i) huge += i % 2 ? "good " : "film ";
    const std::string path =
        s.file("reviews.tsv", "review\tpolarity\n" + lines("a good film\tpos\n", 30) + lines("a bad film\tneg\n", 30) +
                                  huge + "\tpos\n");
    const auto e = run("04_embeddings", "--quick --data " + path, s);
    INFO(e.out << e.err);
    REQUIRE(e.exit_code == 0);
    CHECK(e.out.find("classes (training split): neg ") != std::string::npos);
    CHECK(e.out.find("1 text(s) longer than 200 tokens were cut") != std::string::npos);
    CHECK(e.out.find("warning: only 7 test sentences") != std::string::npos);
    CHECK(e.out.find("polarity") == std::string::npos);  // the header is not a class
}

TEST_CASE("lesson 07 --data: bad pair files name the file and line", "[lesson][bad-input]") {
    const Scratch s("pairs");
    const std::string ok = lines("i am here .\tje suis ici .\n", 20);
    std::string long_side;
    for (int i = 0; i < 25; ++i) long_side += "word ";
    std::vector<BadFile> cases = unreadable_files();
    cases.insert(cases.end(), {
        {"blank.tsv", "\n\n\n", "blank.tsv: the file is empty"},
        {"latin1.tsv", ok + "caf\xe9\tcaf\xe9\n", "latin1.tsv:21: invalid UTF-8"},
        {"notab.tsv", ok + "no tab here\n", "notab.tsv:21: expected 2 or 3 tab-separated columns, found 1"},
        {"columns.tsv", ok + "a\tb\tc\td\n", "columns.tsv:21: expected 2 or 3 tab-separated columns, found 4"},
        {"emptycol.tsv", ok + "hello\t \n", "emptycol.tsv:21: column 2 is empty"},
        {"few.tsv", lines("go .\tva !\n", 5), "has 5 usable pairs; at least 10 are needed"},
        {"long.tsv", lines(long_side + "\tmot .\n", 12), "0 usable pairs: all 12 have a side longer than 20 tokens"},
    });
    require_refused("07_attention", cases, s);
}
