// test_attention_page.cpp — the attention page in a real browser, and its JSON.
//
// A small Transformer's weights (encoder self-, decoder self- and cross-attention) go into
// plot::attention_page; headless Chromium opens the page with a chosen kind, layer and heads in the
// URL fragment and prints the DOM after the page's script ran (--dump-dom). The test then requires:
// no JavaScript error (the page records them, and Chromium's log shows console messages), and
// every line the head view drew carries exactly the model's weight for its (head, query, key) —
// no line missing, none extra. Skipped, with a message, where /usr/bin/chromium is absent
// (`bash .ci/setup.sh --install chromium`).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <tuple>

#include "tinyattn/nn/transformer.hpp"
#include "tinyattn/plot/attention_page.hpp"
#include "tinyattn/tasks/head_matrices.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

const char* kChromium = "/usr/bin/chromium";

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The weights of a 2 + 2 layer, 2-head Transformer on one random sentence pair (5 source, 4 target).
plot::ModelAttention small_model_attention() {
    Rng rng(7);
    const nn::Transformer model(nn::TransformerOptions(16, 2).num_encoder_layers(2).num_decoder_layers(2)
                                    .dim_feedforward(32).dropout(0.0f).norm_first(true), rng);
    const Tensor src = randn({1, 5, 16}, rng), tgt = randn({1, 4, 16}, rng);
    const nn::TransformerOutput out = model.forward(src, tgt, Tensor(), nn::causal_mask(4));  // src_mask, tgt_mask
    plot::ModelAttention a;
    a.encoder_tokens = {"the", "cat", "is", "<tired>", "\"ok\""};  // tags and quotes must survive
    a.decoder_tokens = {"<bos>", "le", "chat", "est"};
    a.encoder_attention = tasks::head_matrices(out.encoder_self_weights);
    a.decoder_attention = tasks::head_matrices(out.decoder_self_weights);
    a.cross_attention = tasks::head_matrices(out.decoder_cross_weights);
    return a;
}

struct BrowserRun {
    int status = -1;
    std::string dom, log;
};

BrowserRun open_in_chromium(const fs::path& page, const std::string& fragment, const fs::path& dir) {
    const fs::path profile = dir / "profile", dom = dir / "dom.html", log = dir / "chromium.log";
    fs::create_directories(profile);
    const std::string cmd = std::string(kChromium) +
                            " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                            " --disable-background-networking --disable-component-update --disable-sync"
                            " --enable-logging=stderr --v=0 --user-data-dir=" + profile.string() +
                            " --dump-dom 'file://" + page.string() + "#" + fragment + "' > " + dom.string() +
                            " 2> " + log.string();
    BrowserRun r;
    r.status = std::system(cmd.c_str());
    r.dom = read_file(dom);
    r.log = read_file(log);
    return r;
}

}  // namespace

TEST_CASE("attention page: JSON in bertviz's shape, matrices checked against their tokens", "[plot]") {
    const plot::ModelAttention a = small_model_attention();
    const std::string json = plot::bertviz_json(a);
    for (const char* key : {"\"encoder_tokens\"", "\"decoder_tokens\"", "\"encoder_attention\"",
                            "\"decoder_attention\"", "\"cross_attention\""})
        CHECK(json.find(key) != std::string::npos);
    plot::ModelAttention encoder_only;
    encoder_only.encoder_tokens = a.encoder_tokens;
    encoder_only.encoder_attention = a.encoder_attention;
    const std::string single = plot::bertviz_json(encoder_only);
    CHECK(single.rfind("{\"tokens\": ", 0) == 0);
    CHECK(single.find("\"attention\"") != std::string::npos);
    plot::ModelAttention wrong = a;
    wrong.cross_attention[1][0].pop_back();  // one query row missing
    CHECK_THROWS_WITH(plot::bertviz_json(wrong), Catch::Contains("cross_attention layer 2 head 1"));
}

TEST_CASE("attention page: headless Chromium draws the model's weights, with no console error", "[plot][browser]") {
    if (!fs::exists(kChromium)) {
        WARN("SKIPPED: " << kChromium << " not found; install it with `bash .ci/setup.sh --install chromium`");
        return;
    }
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_page_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const plot::ModelAttention a = small_model_attention();
    const fs::path page = dir / "attention.html";
    plot::attention_page(page.string(), "test <page> & weights", a);

    struct Choice {
        std::string kind;
        int layer;
        std::vector<int> heads;  // counting from 1
        const plot::LayerHeads* weights;
    };
    for (const Choice& c : {Choice{"cross", 2, {2}, &a.cross_attention}, Choice{"encoder", 1, {1, 2}, &a.encoder_attention},
                            Choice{"decoder", 2, {1}, &a.decoder_attention}}) {
        std::string heads;
        for (int h : c.heads) heads += (heads.empty() ? "" : ",") + std::to_string(h);
        const BrowserRun run = open_in_chromium(page, "kind=" + c.kind + "&layer=" + std::to_string(c.layer) +
                                                          "&heads=" + heads, dir);
        INFO("kind " << c.kind << " layer " << c.layer << " heads " << heads << "\nchromium log:\n" << run.log);
        REQUIRE(run.status == 0);
        REQUIRE(run.dom.find("data-ready=\"yes\"") != std::string::npos);  // the script ran to its end
        CHECK(run.dom.find("<pre id=\"errors\"></pre>") != std::string::npos);
        CHECK(run.log.find(":CONSOLE") == std::string::npos);  // Chromium logs every console message so
        // Every drawn line: its head, query, key and the weight it was drawn with.
        const std::regex line_re("data-head=\"(\\d+)\" data-i=\"(\\d+)\" data-j=\"(\\d+)\" data-w=\"([^\"]+)\"");
        std::map<std::tuple<int, int, int>, float> drawn;
        for (auto it = std::sregex_iterator(run.dom.begin(), run.dom.end(), line_re); it != std::sregex_iterator(); ++it)
            drawn[{std::stoi((*it)[1]), std::stoi((*it)[2]), std::stoi((*it)[3])}] = std::stof((*it)[4]);
        size_t expected = 0;
        for (int h : c.heads) {
            const plot::Matrix& m = (*c.weights)[size_t(c.layer - 1)][size_t(h - 1)];
            for (size_t i = 0; i < m.size(); ++i)
                for (size_t j = 0; j < m[i].size(); ++j, ++expected) {
                    const auto it = drawn.find({h - 1, int(i), int(j)});
                    INFO("head " << h << " query " << i << " key " << j);
                    REQUIRE(it != drawn.end());
                    CHECK(it->second == m[i][j]);  // exactly: the page got 9 significant digits
                }
        }
        CHECK(drawn.size() == expected);
    }
    fs::remove_all(dir);
}
