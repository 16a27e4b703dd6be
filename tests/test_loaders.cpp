// Tests for the sentence-pair and labelled-text loaders (tinyattn/data/loaders.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "data_files.hpp"
#include "tinyattn/data/loaders.hpp"

using namespace tinyattn::data;
using Tokens = std::vector<std::string>;

TEST_CASE("load_pairs: Tatoeba 3-column file with CRLF and BOM", "[loaders]") {
    const std::string p = write_temp_file(
        "pairs_tatoeba.tsv",
        "\xEF\xBB\xBFGo.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\r\n"
        "I'm cold.\tJ’ai froid.\tCC-BY 2.0\r\n"
        "\r\n");
    const auto pairs = load_pairs(p);
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].src == Tokens{"go", "."});
    CHECK(pairs[0].tgt == Tokens{"va", "!"});
    CHECK(pairs[0].src_text == "Go.");
    CHECK(pairs[0].line == 1);
    CHECK(pairs[1].src == Tokens{"i'm", "cold", "."});
    CHECK(pairs[1].tgt == Tokens{"j'", "ai", "froid", "."});
    CHECK(pairs[1].line == 2);
}

TEST_CASE("load_pairs: swap, max_length and English-prefix filters", "[loaders]") {
    const std::string p = write_temp_file("pairs_filters.tsv",
                                          "I am cold.\tJ'ai froid.\n"
                                          "He's tall.\tIl est grand.\n"
                                          "The cat sleeps.\tLe chat dort.\n"
                                          "I am a very tired old man today.\tJe suis un très vieil homme fatigué aujourd'hui.\n");
    CHECK(load_pairs(p).size() == 4);

    PairOptions swap;
    swap.swap = true;
    const auto swapped = load_pairs(p, swap);
    CHECK(swapped[2].src == Tokens{"le", "chat", "dort", "."});
    CHECK(swapped[2].tgt == Tokens{"the", "cat", "sleeps", "."});

    PairOptions prefixes;
    prefixes.english_prefixes = tutorial_english_prefixes();
    prefixes.swap = true;  // the prefix filter still looks at the English column
    const auto kept = load_pairs(p, prefixes);
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].line == 1);
    CHECK(kept[1].line == 2);
    CHECK(kept[2].line == 4);

    PairOptions short_only = prefixes;
    short_only.max_length = 5;  // line 4 has 9 English tokens
    const auto short_pairs = load_pairs(p, short_only);
    REQUIRE(short_pairs.size() == 2);
    CHECK(short_pairs[1].line == 2);
}

TEST_CASE("load_pairs: errors name the file and line", "[loaders]") {
    SECTION("missing tab") {
        const std::string p = write_temp_file("pairs_notab.tsv", "Hi.\tSalut.\nHello. Bonjour.\n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p + ":2:") && Catch::Contains("no tab"));
    }
    SECTION("too many columns") {
        const std::string p = write_temp_file("pairs_4col.tsv", "Hi.\tSalut.\tx\ty\n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p + ":1:") && Catch::Contains("found 4"));
    }
    SECTION("empty field") {
        const std::string p = write_temp_file("pairs_emptyfield.tsv", "Hi.\tSalut.\nHello.\t \n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p + ":2:") && Catch::Contains("column 2 is empty"));
    }
    SECTION("empty line in the middle") {
        const std::string p = write_temp_file("pairs_blank.tsv", "Hi.\tSalut.\n\nHello.\tBonjour.\n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p + ":2:"));
    }
    SECTION("empty file") {
        const std::string p = write_temp_file("pairs_empty.tsv", "");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p) && Catch::Contains("empty"));
    }
    SECTION("only blank lines") {
        const std::string p = write_temp_file("pairs_blanks.tsv", "\n\r\n  \n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains("empty"));
    }
    SECTION("invalid UTF-8 (a Latin-1 file)") {
        const std::string p = write_temp_file("pairs_latin1.tsv", "Hi.\tSalut.\nCoffee.\tCaf\xE9.\n");
        CHECK_THROWS_WITH(load_pairs(p), Catch::Contains(p + ":2:") && Catch::Contains("UTF-8"));
    }
    SECTION("missing file") {
        CHECK_THROWS_WITH(load_pairs("/nonexistent/pairs.tsv"), Catch::Contains("cannot open"));
    }
}

TEST_CASE("load_labelled: text<TAB>label<TAB>phenomenon with header", "[loaders]") {
    const std::string p = write_temp_file("sentiment_header.tsv",
                                          "text\tlabel\tphenomenon\n"
                                          "not good at all\tnegative\tnegation\n"
                                          "the plot was dull but the acting was superb\tpositive\tcontrast\n"
                                          "great\tpositive\tplain\n");
    const LabelledData d = load_labelled(p);
    CHECK(d.had_header);
    CHECK_FALSE(d.label_first);
    CHECK(d.labels == Tokens{"negative", "positive"});
    CHECK(d.extra_names == Tokens{"phenomenon"});
    REQUIRE(d.examples.size() == 3);
    CHECK(d.examples[0].tokens == Tokens{"not", "good", "at", "all"});
    CHECK(d.examples[0].label_id == 0);
    CHECK(d.examples[0].extra == Tokens{"negation"});
    CHECK(d.examples[0].line == 2);
    CHECK(d.examples[1].label == "positive");
    CHECK(d.examples[1].label_id == 1);
    CHECK(d.label_id("positive") == 1);
    CHECK_THROWS(d.label_id("neutral"));
}

TEST_CASE("load_labelled: label<TAB>text, detected with and without header, CRLF", "[loaders]") {
    const std::string body = "pos\tWhat a great film!\r\nneg\tNot worth it.\r\npos\tLoved it\r\n";
    const LabelledData no_header = load_labelled(write_temp_file("labelled_first.tsv", body));
    CHECK_FALSE(no_header.had_header);
    CHECK(no_header.label_first);
    REQUIRE(no_header.examples.size() == 3);
    CHECK(no_header.examples[0].tokens == Tokens{"what", "a", "great", "film", "!"});
    CHECK(no_header.examples[1].label == "neg");
    CHECK(no_header.examples[1].label_id == 0);

    const LabelledData header = load_labelled(write_temp_file("labelled_first_h.tsv", "Label\tText\r\n" + body));
    CHECK(header.had_header);
    CHECK(header.label_first);
    CHECK(header.examples.size() == 3);
    CHECK(header.examples[0].line == 2);

    // an explicit option and a fixed label list
    LabelledOptions opts;
    opts.label_column = LabelColumn::First;
    opts.labels = {"pos", "neg"};
    const LabelledData fixed = load_labelled(write_temp_file("labelled_fixed.tsv", body), opts);
    CHECK(fixed.examples[0].label_id == 0);
    CHECK(fixed.examples[1].label_id == 1);
}

TEST_CASE("load_labelled: errors name the file and line", "[loaders]") {
    SECTION("missing tab") {
        const std::string p = write_temp_file("lab_notab.tsv", "good\t1\nbad 0\n");
        CHECK_THROWS_WITH(load_labelled(p), Catch::Contains(p + ":2:") && Catch::Contains("no tab"));
    }
    SECTION("no tab on the first line") {
        const std::string p = write_temp_file("lab_notab1.tsv", "good 1\nbad\t0\n");
        CHECK_THROWS_WITH(load_labelled(p), Catch::Contains(p + ":1:"));
    }
    SECTION("more columns than the first line") {
        const std::string p = write_temp_file("lab_cols.tsv", "good\t1\nbad\t0\textra\n");
        CHECK_THROWS_WITH(load_labelled(p), Catch::Contains(p + ":2:") && Catch::Contains("found 3"));
    }
    SECTION("empty label") {
        const std::string p = write_temp_file("lab_emptylabel.tsv", "good\t1\nfine\t1\nbad\t\n");
        CHECK_THROWS_WITH(load_labelled(p), Catch::Contains(p + ":3:") && Catch::Contains("empty"));
    }
    SECTION("label not in the given list") {
        LabelledOptions opts;
        opts.labels = {"0", "1"};
        const std::string p = write_temp_file("lab_unknown.tsv", "good\t1\nmeh\t2\n");
        CHECK_THROWS_WITH(load_labelled(p, opts), Catch::Contains(p + ":2:") && Catch::Contains("'2'"));
    }
    SECTION("invalid UTF-8") {
        const std::string p = write_temp_file("lab_latin1.tsv", "text\tlabel\ngood\t1\nd\xE9j\xE0 vu\t0\n");
        CHECK_THROWS_WITH(load_labelled(p), Catch::Contains(p + ":3:") && Catch::Contains("UTF-8"));
    }
    SECTION("empty file and header only") {
        CHECK_THROWS_WITH(load_labelled(write_temp_file("lab_empty.tsv", "")), Catch::Contains("empty"));
        CHECK_THROWS_WITH(load_labelled(write_temp_file("lab_header.tsv", "text\tlabel\n")),
                          Catch::Contains("only a header"));
    }
}
