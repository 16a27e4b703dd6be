// Tests for Vocab (tinyattn/data/vocab.hpp): specials, build, unknown words, save/load.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "data_files.hpp"
#include "tinyattn/data/vocab.hpp"

using tinyattn::data::Vocab;
using Tokens = std::vector<std::string>;

TEST_CASE("Vocab: specials at fixed ids, pad is not bos", "[vocab]") {
    Vocab v;
    CHECK(v.size() == 4);
    CHECK(v.token(0) == "<pad>");
    CHECK(v.token(1) == "<bos>");
    CHECK(v.token(2) == "<eos>");
    CHECK(v.token(3) == "<unk>");
    CHECK(Vocab::pad_id != Vocab::bos_id);
}

TEST_CASE("Vocab::build: frequency order, ties by token, min_freq and max_size", "[vocab]") {
    const std::vector<Tokens> corpus = {{"b", "a", "c", "a"}, {"d", "c", "a", "b"}, {"e"}};
    // counts: a 3, b 2, c 2, d 1, e 1
    const Vocab v = Vocab::build(corpus);
    CHECK(v.itos == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "c", "d", "e"});
    // input order does not matter
    const Vocab reversed = Vocab::build({{"e"}, {"b", "a", "c", "d"}, {"a", "c", "b", "a"}});
    CHECK(reversed.itos == v.itos);
    CHECK(Vocab::build(corpus, 2).itos == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "c"});
    CHECK(Vocab::build(corpus, 1, 6).itos == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "a", "b"});
    CHECK_THROWS_AS(Vocab::build(corpus, 1, 3), std::invalid_argument);
}

TEST_CASE("Vocab: unknown words map to <unk>, bad ids throw with id and size", "[vocab]") {
    const Vocab v = Vocab::build({{"le", "chat"}});
    CHECK(v.id("chat") == v.id("chat"));
    CHECK(v.id("chat") >= 4);
    CHECK(v.id("chien") == Vocab::unk_id);
    CHECK(v.encode({"le", "chien"}, true, true) ==
          std::vector<int>{Vocab::bos_id, v.id("le"), Vocab::unk_id, Vocab::eos_id});
    CHECK_THROWS_WITH(v.token(6), Catch::Contains("id 6") && Catch::Contains("size 6"));
    CHECK_THROWS_WITH(v.token(-1), Catch::Contains("id -1"));
}

TEST_CASE("Vocab::decode: stops at eos, skips pad and bos", "[vocab]") {
    const Vocab v = Vocab::build({{"a", "b"}});
    const int a = v.id("a"), b = v.id("b");
    CHECK(v.decode({1, a, b, 2, a, 0}) == Tokens{"a", "b"});
    CHECK(v.decode({1, a, 0, b}, false) == Tokens{"a", "b"});
    CHECK(v.decode({1, a, 2, 0}, false, false) == Tokens{"<bos>", "a", "<eos>", "<pad>"});
    CHECK(v.decode({a, 3}) == Tokens{"a", "<unk>"});
}

TEST_CASE("Vocab: save/load round trip, UTF-8 tokens included", "[vocab]") {
    const Vocab v = Vocab::build({{"l'", "école", "est", "fermée", "."}, {"l'", "œuvre"}});
    const std::string path = write_temp_file("vocab_roundtrip.txt", "");
    v.save(path);
    const Vocab w = Vocab::load(path);
    CHECK(w.itos == v.itos);
    for (const std::string& t : v.itos) CHECK(w.id(t) == v.id(t));
}

TEST_CASE("Vocab::load: errors name the file and line", "[vocab]") {
    const std::string specials = "<pad>\n<bos>\n<eos>\n<unk>\n";
    SECTION("empty file") {
        const std::string p = write_temp_file("vocab_empty.txt", "");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p) && Catch::Contains("empty"));
    }
    SECTION("duplicate token") {
        const std::string p = write_temp_file("vocab_dup.txt", specials + "a\nb\na\n");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p + ":7:") && Catch::Contains("duplicate token 'a'"));
    }
    SECTION("special in the wrong place") {
        const std::string p = write_temp_file("vocab_order.txt", "<pad>\n<eos>\n<bos>\n<unk>\na\n");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p + ":2:") && Catch::Contains("<bos>"));
    }
    SECTION("specials missing") {
        const std::string p = write_temp_file("vocab_nospecials.txt", "le\nchat\n");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p + ":1:") && Catch::Contains("<pad>"));
    }
    SECTION("too short") {
        const std::string p = write_temp_file("vocab_short.txt", "<pad>\n<bos>\n");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p) && Catch::Contains("4 special"));
    }
    SECTION("empty line in the middle") {
        const std::string p = write_temp_file("vocab_blank.txt", specials + "a\n\nb\n");
        CHECK_THROWS_WITH(Vocab::load(p), Catch::Contains(p + ":6:") && Catch::Contains("empty token"));
    }
    SECTION("missing file") {
        CHECK_THROWS_WITH(Vocab::load("/nonexistent/vocab.txt"), Catch::Contains("cannot open"));
    }
    SECTION("CRLF is accepted") {
        const std::string p = write_temp_file("vocab_crlf.txt", "<pad>\r\n<bos>\r\n<eos>\r\n<unk>\r\nchat\r\n");
        const Vocab v = Vocab::load(p);
        CHECK(v.size() == 5);
        CHECK(v.id("chat") == 4);
    }
}

TEST_CASE("Vocab::load rejects a token with white space inside (it would not survive save + load)", "[vocab]") {
    // Found by fuzz_vocab: "chaux\r\r;\r" lost one '\r' per save/load round trip.
    const std::string path = (std::filesystem::temp_directory_path() / ("tinyattn_vocab_cr_" + std::to_string(::getpid()) + ".txt")).string();
    {
        std::ofstream out(path, std::ios::binary);
        out << "<pad>\n<bos>\n<eos>\n<unk>\nchaux\r\r;\r\n";
    }
    REQUIRE_THROWS_WITH(tinyattn::data::Vocab::load(path), Catch::Contains(":5:") && Catch::Contains("white space"));
    std::filesystem::remove(path);
}
