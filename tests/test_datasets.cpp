// test_datasets.cpp — the committed corpora in datasets/ are exactly what the generators
// write, have no test/valid sentence in train, and obey the rules each corpus promises.
#include <catch2/catch.hpp>

#include "tinyattn/data/tokenizer.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kDatasets = std::string(TINYATTN_SOURCE_DIR) + "/datasets/";
const std::vector<std::string> kSplits = {"train", "valid", "test"};

using Row = std::vector<std::string>;

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split_on(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> w;
    for (std::string t; in >> t;) w.push_back(t);
    return w;
}

// Reads datasets/<corpus>/<split>.tsv, checking the column count of every line.
std::vector<Row> read_tsv(const std::string& corpus, const std::string& split, size_t columns) {
    const std::string path = kDatasets + corpus + "/" + split + ".tsv";
    const std::string bytes = read_bytes(path);
    REQUIRE(!bytes.empty());
    REQUIRE(bytes.back() == '\n');
    REQUIRE(bytes.find('\r') == std::string::npos);  // LF line endings only
    std::vector<Row> rows;
    std::istringstream in(bytes);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        Row row = split_on(line, '\t');
        INFO(path << ":" << line_no << ": " << line);
        REQUIRE(row.size() == columns);
        for (const std::string& cell : row) {
            REQUIRE(!cell.empty());
            REQUIRE(cell == [&] {  // tokens separated by exactly one space
                std::string joined;
                for (const std::string& w : words(cell)) joined += (joined.empty() ? "" : " ") + w;
                return joined;
            }());
        }
        rows.push_back(row);
    }
    return rows;
}

bool contains(const std::vector<std::string>& tokens, const std::string& w) {
    for (const std::string& t : tokens)
        if (t == w) return true;
    return false;
}

// "" if the two texts are equal, else the first line where they differ (a short message
// instead of two whole files in the test log).
std::string first_difference(const std::string& generated, const std::string& committed) {
    if (generated == committed) return "";
    std::istringstream a(generated), b(committed);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool more_a = bool(std::getline(a, la)), more_b = bool(std::getline(b, lb));
        if (!more_a && !more_b) return "files differ only in the final newline";
        if (la != lb || more_a != more_b)
            return "line " + std::to_string(line) + ": generated '" + (more_a ? la : "<end>") + "', committed '" +
                   (more_b ? lb : "<end>") + "'";
    }
}

// (a) rerun the generator into a temp dir; every file must match the committed one byte for byte.
void check_regenerates(const std::string& generator, const std::string& corpus) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("tinyattn_test_" + corpus);
    std::filesystem::remove_all(dir);
    const std::string exe = std::string(TINYATTN_BINARY_DIR) + "/bin/" + generator;
    REQUIRE(std::filesystem::exists(exe));
    const std::string cmd = "\"" + exe + "\" --seed 1 --out \"" + dir.string() + "\" > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    for (const std::string& split : kSplits) {
        INFO(corpus << "/" << split << ".tsv");
        CHECK(first_difference(read_bytes((dir / (split + ".tsv")).string()),
                               read_bytes(kDatasets + corpus + "/" + split + ".tsv")) == "");
    }
    if (std::filesystem::exists(kDatasets + corpus + "/lexicon.tsv"))  // toy-sentiment's word classes
        CHECK(first_difference(read_bytes((dir / "lexicon.tsv").string()),
                               read_bytes(kDatasets + corpus + "/lexicon.tsv")) == "");
    std::filesystem::remove_all(dir);
}

// (b) no source sentence of valid or test appears in train (nor in each other).
void check_no_leak(const std::string& corpus, size_t columns) {
    std::set<std::string> train;
    for (const Row& r : read_tsv(corpus, "train", columns)) train.insert(r[0]);
    std::set<std::string> valid;
    for (const Row& r : read_tsv(corpus, "valid", columns)) {
        INFO(r[0]);
        CHECK(train.count(r[0]) == 0);
        valid.insert(r[0]);
    }
    for (const Row& r : read_tsv(corpus, "test", columns)) {
        INFO(r[0]);
        CHECK(train.count(r[0]) == 0);
        CHECK(valid.count(r[0]) == 0);
    }
}

std::vector<Row> read_all(const std::string& corpus, size_t columns) {
    std::vector<Row> all;
    for (const std::string& split : kSplits) {
        std::vector<Row> rows = read_tsv(corpus, split, columns);
        all.insert(all.end(), rows.begin(), rows.end());
    }
    return all;
}

// 0 = sunday ... 6 = saturday, by Sakamoto's method (independent of the generator's formula).
int weekday(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

}  // namespace

TEST_CASE("dataset files are exactly what the generators write", "[datasets]") {
    check_regenerates("gen_toy_en_fr", "toy-en-fr");
    check_regenerates("gen_dates", "dates");
    check_regenerates("gen_toy_sentiment", "toy-sentiment");
    check_regenerates("gen_toy_pronoun", "toy-pronoun");
}

// Runs a generator with `args`, stdout and stderr together; the exit code.
static int run_generator(const std::string& generator, const std::string& args, std::string& output) {
    const std::string cmd = "\"" + std::string(TINYATTN_BINARY_DIR) + "/bin/" + generator + "\" " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[512];
    output.clear();
    while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_CASE("generators: --help prints the usage, a bad flag is one line naming it", "[datasets]") {
    for (const std::string generator : {"gen_toy_en_fr", "gen_dates", "gen_toy_scenes"}) {
        std::string out;
        CHECK(run_generator(generator, "--help", out) == 0);
        CHECK(out.rfind("usage: " + generator + " [--seed N] [--out DIR]", 0) == 0);
        CHECK(run_generator(generator, "--sed 3", out) == 1);
        CHECK(out.rfind(generator + ": unknown or incomplete argument '--sed'", 0) == 0);
        CHECK(std::count(out.begin(), out.end(), '\n') == 1);
    }
}

TEST_CASE("no valid or test source sentence is in train", "[datasets]") {
    check_no_leak("toy-en-fr", 2);
    check_no_leak("dates", 2);
    check_no_leak("toy-sentiment", 3);
    check_no_leak("toy-pronoun", 3);
}

TEST_CASE("toy-en-fr: sizes, lengths, negation and contractions", "[datasets]") {
    CHECK(read_tsv("toy-en-fr", "train", 2).size() == 20000);
    CHECK(read_tsv("toy-en-fr", "valid", 2).size() == 1000);
    CHECK(read_tsv("toy-en-fr", "test", 2).size() == 1000);
    // masculine singular nouns starting with a consonant: "of the" -> "du", "to the" -> "au"
    const std::map<std::string, std::string> masculine = {
        {"cat", "chat"}, {"dog", "chien"}, {"boy", "garçon"}, {"market", "marché"}, {"father", "père"}};
    int contractions_seen = 0;
    for (const Row& r : read_all("toy-en-fr", 2)) {
        INFO(r[0] << " | " << r[1]);
        const auto en = words(r[0]), fr = words(r[1]);
        CHECK(en.size() >= 3);
        CHECK(en.size() <= 15);
        CHECK(fr.size() >= 3);
        CHECK(fr.size() <= 15);
        const bool negated = contains(en, "not");
        CHECK(negated == (contains(fr, "ne") || contains(fr, "n'")));
        CHECK(negated == contains(fr, "pas"));
        for (size_t i = 0; i + 1 < fr.size(); ++i) {
            // de + le, à + le, de + les, à + les always contract; le/la elide before a vowel.
            CHECK(!((fr[i] == "de" || fr[i] == "à") && (fr[i + 1] == "le" || fr[i + 1] == "les")));
            const bool vowel = std::string("aeiouh").find(fr[i + 1][0]) != std::string::npos ||
                               fr[i + 1].rfind("é", 0) == 0 || fr[i + 1].rfind("œ", 0) == 0;
            if (vowel) CHECK(fr[i] != "le");
            if (vowel) CHECK(fr[i] != "la");
            if (vowel) CHECK(fr[i] != "je");
            if (vowel) CHECK(fr[i] != "ne");
        }
        // "of the cat" must come out as "du chat", never "de le chat"; "to the market" as "au marché".
        for (size_t i = 0; i + 2 < en.size(); ++i) {
            const auto noun = masculine.find(en[i + 2]);
            if ((en[i] == "of" || en[i] == "to") && en[i + 1] == "the" && noun != masculine.end()) {
                CHECK(r[1].find((en[i] == "of" ? "du " : "au ") + noun->second) != std::string::npos);
                ++contractions_seen;
            }
        }
    }
    CHECK(contractions_seen > 100);
}

TEST_CASE("dates: targets are valid ISO dates and weekdays are right", "[datasets]") {
    const std::vector<std::string> days = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    const std::vector<std::string> abbr = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    const std::vector<Row> rows = read_all("dates", 2);
    CHECK(rows.size() == 22000);
    int with_weekday = 0;
    std::set<std::string> first_tokens;
    for (const Row& r : rows) {
        INFO(r[0] << " | " << r[1]);
        const auto t = words(r[1]);
        REQUIRE(t.size() == 5);
        CHECK(t[1] == "-");
        CHECK(t[3] == "-");
        REQUIRE(t[0].size() == 4);
        REQUIRE(t[2].size() == 2);
        REQUIRE(t[4].size() == 2);
        const int y = std::stoi(t[0]), m = std::stoi(t[2]), d = std::stoi(t[4]);
        CHECK(y >= 1950);
        CHECK(y <= 2049);
        REQUIRE(m >= 1);
        REQUIRE(m <= 12);
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        const int month_days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        CHECK(d >= 1);
        CHECK(d <= month_days[m - 1]);
        const auto src = words(r[0]);
        first_tokens.insert(src[0]);
        for (int w = 0; w < 7; ++w)
            if (contains(src, days[size_t(w)]) || contains(src, abbr[size_t(w)])) {
                ++with_weekday;
                CHECK(w == weekday(y, m, d));
            }
    }
    CHECK(with_weekday > 2000);  // the weekday formats really occur
}

TEST_CASE("toy-sentiment: lengths, labels and phenomena are balanced", "[datasets]") {
    const std::set<std::string> phenomena = {"plain", "negation", "contrast", "intensifier", "hedge"};
    for (const std::string& split : kSplits) {
        const std::vector<Row> rows = read_tsv("toy-sentiment", split, 3);
        std::map<std::string, int> pos, total;
        for (const Row& r : rows) {
            INFO(split << ": " << r[0]);
            const auto t = words(r[0]);
            CHECK(t.size() >= 4);
            CHECK(t.size() <= 20);
            CHECK((r[1] == "pos" || r[1] == "neg"));
            CHECK(phenomena.count(r[2]) == 1);
            for (const std::string& key : {r[2], std::string("all")}) {
                total[key]++;
                pos[key] += r[1] == "pos";
            }
            // The phenomenon is visible in the text.
            if (r[2] == "negation") CHECK((contains(t, "not") || contains(t, "never")));
            if (r[2] == "contrast") CHECK((contains(t, "but") || contains(t, "although")));
            if (r[2] == "plain") CHECK(!(contains(t, "not") || contains(t, "but") || contains(t, "although")));
        }
        for (const auto& [key, n] : total) {
            INFO(split << " " << key << ": " << pos[key] << " pos of " << n);
            CHECK(pos[key] >= 0.45 * n);
            CHECK(pos[key] <= 0.55 * n);
        }
        CHECK(total.size() == phenomena.size() + 1);
    }
}

TEST_CASE("toy-sentiment: negation and contrast words are not label cues", "[datasets]") {
    // A bag-of-words model must not solve negation/contrast: within them, every sentiment
    // word appears with both labels about equally often.
    std::map<std::string, std::map<std::string, int>> by_word;  // word -> label -> count
    for (const Row& r : read_all("toy-sentiment", 3)) {
        if (r[2] != "negation" && r[2] != "contrast") continue;
        for (const std::string& w : std::set<std::string>{"good", "great", "superb", "bad", "dull", "boring"})
            if (contains(words(r[0]), w)) by_word[w][r[1]]++;
    }
    REQUIRE(by_word.size() == 6);
    for (auto& [w, labels] : by_word) {
        INFO(w << ": pos " << labels["pos"] << ", neg " << labels["neg"]);
        const double share = double(labels["pos"]) / double(labels["pos"] + labels["neg"]);
        CHECK(share > 0.4);
        CHECK(share < 0.6);
    }
}

TEST_CASE("shipped corpora are already tokenized: data::tokenize leaves them unchanged", "[datasets]") {
    // The loaders tokenize what they read, so the corpora must be a fixed point of the tokenizer
    // (otherwise "l' homme" could become different tokens at load time than in the file).
    for (const auto& [corpus, text_columns] : std::vector<std::pair<std::string, size_t>>{
             {"toy-en-fr", 2}, {"dates", 2}, {"toy-sentiment", 1}})
        for (const Row& r : read_all(corpus, text_columns == 2 ? 2 : 3))
            for (size_t c = 0; c < text_columns; ++c) {
                INFO(corpus << ": " << r[c]);
                const std::string lang = corpus == "toy-en-fr" && c == 1 ? "fr" : "en";  // the loaders' languages
                REQUIRE(tinyattn::data::tokenize(r[c], lang) == words(r[c]));
            }
}
