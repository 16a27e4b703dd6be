// Lesson 15 — a self-attention classifier, and what its heads do.
//
//     x_0 = [CLS], x_t = √d · E[w_t] + PE(t)         a learned [CLS] vector in front of the words
//     H = TransformerEncoder(x)                       2 pre-LN layers, 4 heads each (lesson 10's layers)
//     z = W H_[CLS] + b                               the class scores read the [CLS] position
//
// Unlike lesson 09 (attention pooling over BiLSTM states), every position here reads every other
// position directly, in 4 heads per layer, with nothing recurrent. Then we look inside, the way the
// articles claim one can ("one head watches sentiment words, one negators, one degree words"):
//   1. for each layer × head, the attention mass on each word class (the generator's lexicon,
//      datasets/toy-sentiment/lexicon.tsv) against that class's share of the tokens;
//   2. head ablation: the accuracy per phenomenon when one head's output is zeroed.
// Whether heads specialise is then a measured statement, not a picture we want to see.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "tinyattn/data/text_file.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/classification.hpp"
#include "tinyattn/tasks/head_matrices.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using plot::Matrix;

struct Sizes {
    int d_model = 32, heads = 4, layers = 2, feedforward = 64;
    float dropout = 0.0f;  // dropout 0.1 reached 92.8 % after 6 epochs (contrast 77.5 %), 0.0: 99.7 % after 12
};

class SelfAttentionClassifier : public tasks::TextClassifier {
public:
    SelfAttentionClassifier(int vocab_size, const Sizes& s, int classes)
        : sizes(s), embedding(vocab_size, s.d_model, data::Vocab::pad_id), cls(randn({1, 1, s.d_model}) * 0.1f),
          positions(s.d_model, 64),
          encoder(nn::TransformerLayerOptions(s.d_model, s.heads).dim_feedforward(s.feedforward).dropout(s.dropout)
                      .norm_first(true),  // pre-LN, as lesson 10
                  s.layers),
          out(s.d_model, classes) {
        register_module("embedding", embedding);
        register_parameter("cls", cls);
        register_module("positions", positions);
        register_module("encoder", encoder);
        register_module("out", out);
    }

    struct Encoded {
        Tensor logits;                     // [B, classes]
        std::vector<Tensor> self_weights;  // per layer [B, H, 1 + S, 1 + S]; position 0 is [CLS]
    };

    Encoded encode(const data::ClassBatch& batch) const {
        const Tensor words = mul(embedding.forward(batch.ids, {batch.B, batch.S}), std::sqrt(float(sizes.d_model)));
        const Tensor x = positions.forward(concat({ones({batch.B, 1, sizes.d_model}) * cls, words}, 1));
        const Tensor padding = concat({zeros({batch.B, 1}), tasks::padding_mask(batch)}, 1);  // [CLS] is never padding
        const nn::EncoderOutput h = encoder.forward(x, Tensor(), padding);  // (src, mask, src_key_padding_mask)
        return {out.forward(select(h.output, 1, 0)), h.self_weights};
    }

    tasks::ClassifierOutput forward(const data::ClassBatch& batch) const override {
        return {encode(batch).logits, Tensor(), Tensor()};
    }

    Sizes sizes;
    nn::Embedding embedding;
    Tensor cls;  // [1, 1, d]
    nn::PositionalEncoding positions;
    nn::TransformerEncoder encoder;
    nn::Linear out;
};

// ---- word classes ----------------------------------------------------------------------------

// The lexicon's fine classes grouped as the articles name them; "[CLS]" is position 0.
const std::vector<std::string> kClasses = {"sentiment", "negator", "degree", "contrast", "other", "[CLS]"};

std::map<std::string, int> load_lexicon(const std::string& path) {
    const std::map<std::string, int> group = {{"positive", 0}, {"negative", 0}, {"negator", 1},
                                              {"intensifier", 2}, {"hedge", 2}, {"contrast", 3}};
    std::map<std::string, int> lexicon;
    for (const data::Line& line : data::read_lines(path, "load_lexicon")) {
        const std::vector<std::string> f = data::split(line.text, '\t');
        if (line.number == 1 && f[0] == "word") continue;
        if (f.size() != 2 || !group.count(f[1]))
            throw std::runtime_error(data::where(path, line.number, "expected word<TAB>class with a known class"));
        lexicon[f[0]] = group.at(f[1]);
    }
    return lexicon;
}

int class_of(const std::map<std::string, int>& lexicon, const std::string& word) {
    const auto it = lexicon.find(word);
    return it == lexicon.end() ? 4 : it->second;
}

// mass[l·H + h][c]: the mean weight a query puts on keys of class c (queries: [CLS] alone when
// `cls_only`, else every real position); share[c]: the weight uniform attention would put there.
struct ClassMass {
    Matrix mass;
    std::vector<float> share;
};

ClassMass class_mass(const SelfAttentionClassifier& model, const tasks::TextSplit& split,
                     const std::map<std::string, int>& lexicon, bool cls_only) {
    NoGrad no_grad;
    const int L = model.sizes.layers, H = model.sizes.heads, C = int(kClasses.size());
    ClassMass m{Matrix(size_t(L * H), std::vector<float>(size_t(C), 0.0f)), std::vector<float>(size_t(C), 0.0f)};
    double queries = 0.0;
    for (const data::ClassBatch& batch : tasks::make_class_batches(split, 256, false)) {
        const auto weights = model.encode(batch).self_weights;
        const int T = weights[0].size(2);
        for (int b = 0; b < batch.B; ++b) {
            const auto& words = split.examples[size_t(batch.indices[size_t(b)])].tokens;
            const int n = batch.lengths[size_t(b)] + 1, rows = cls_only ? 1 : n;  // + [CLS]
            std::vector<int> cls_of(size_t(n), C - 1);
            for (int j = 1; j < n; ++j) cls_of[size_t(j)] = class_of(lexicon, words[size_t(j - 1)]);
            for (int j = 0; j < n; ++j) m.share[size_t(cls_of[size_t(j)])] += float(rows) / float(n);
            queries += rows;
            for (int l = 0; l < L; ++l)
                for (int h = 0; h < H; ++h)
                    for (int i = 0; i < rows; ++i)
                        for (int j = 0; j < n; ++j)
                            m.mass[size_t(l * H + h)][size_t(cls_of[size_t(j)])] +=
                                weights[size_t(l)].data()[((size_t(b) * H + h) * T + i) * T + j];
        }
    }
    for (auto& row : m.mass)
        for (float& v : row) v /= float(queries);
    for (float& v : m.share) v /= float(queries);
    return m;
}

std::vector<std::string> head_names(const Sizes& s) {
    std::vector<std::string> names;
    for (int l = 0; l < s.layers; ++l)
        for (int h = 0; h < s.heads; ++h) names.push_back("L" + std::to_string(l + 1) + " H" + std::to_string(h + 1));
    return names;
}

void print_mass_table(const char* title, const ClassMass& m, const Sizes& s) {
    std::printf("%s\n  %-8s", title, "");
    for (const auto& c : kClasses) std::printf(" %10s", c.c_str());
    std::printf("\n  %-8s", "share");
    for (float v : m.share) std::printf(" %9.1f%%", 100.0 * v);
    const auto names = head_names(s);
    for (size_t k = 0; k < m.mass.size(); ++k) {
        std::printf("\n  %-8s", names[k].c_str());
        for (size_t c = 0; c < kClasses.size(); ++c)
            std::printf(" %5.1f%% %3.1fx", 100.0 * m.mass[k][c], m.mass[k][c] / std::max(m.share[c], 1e-6f));
    }
    std::printf("\n  (each cell: the attention mass on the class, and that mass ÷ the class's share)\n\n");
}

// ---- head ablation ----------------------------------------------------------------------------

// Zeroing head h's output before the output projection = zeroing its columns of out_proj.weight
// (out_proj mixes the heads' concatenation: column block h only ever multiplies head h).
tasks::Evaluation evaluate_without_head(SelfAttentionClassifier& model, const tasks::TextSplit& split, int layer,
                                        int head) {
    nn::MultiheadAttention& attn = model.encoder.layers[size_t(layer)]->self_attn;
    Tensor& W = attn.out_proj.weight;  // [E, E]
    const int E = attn.embed_dim, hd = attn.head_dim;
    const std::vector<float> saved(W.data(), W.data() + W.numel());
    for (int r = 0; r < E; ++r)
        for (int c = head * hd; c < (head + 1) * hd; ++c) W.data()[r * E + c] = 0.0f;
    const tasks::Evaluation e = tasks::evaluate(model, split);
    std::copy(saved.begin(), saved.end(), W.data());
    return e;
}

int main(int argc, char** argv) {
    LessonInfo info("15_self_attention_classifier",
                    "a Transformer-encoder sentiment classifier; what its heads attend to, and what each is worth");
    info.trains = true;
    info.text_data = true;
    info.default_epochs = 12;
    info.quick_epochs = 6;
    info.data_help = tasks::kLabelledDataFormat;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const std::string plots = opt.plots_dir + "/";

    // 1. Data and the word classes.
    tasks::TextData data = tasks::load_text_data(opt.data, opt.seed, opt.resume, opt.min_freq, opt.max_vocab);
    const std::map<std::string, int> lexicon =
        load_lexicon(std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-sentiment/lexicon.tsv");
    std::printf("data: %s · train %d, valid %d, test %d sentences · vocabulary %d words · lexicon %zu words\n",
                data.source.c_str(), data.train.size(), data.valid.size(), data.test.size(), data.vocab.size(),
                lexicon.size());

    // 2. Model and optimizer.
    const Sizes sizes;
    SelfAttentionClassifier model(data.vocab.size(), sizes, int(data.labels.size()));
    optim::Adam optimizer(model.parameters(), 2e-3);
    std::printf("model: [CLS] + Embedding(%d, %d)·√d + PE → %d pre-LN encoder layers (%d heads, ff %d, dropout %.1f) "
                "→ Linear on [CLS] · %zu parameters\n\n",
                data.vocab.size(), sizes.d_model, sizes.layers, sizes.heads, sizes.feedforward, double(sizes.dropout),
                model.parameter_count());

    // 3. Train (the loop of tasks/classification.cpp), 4. evaluate on the TEST split.
    // --quick: the whole training split for 6 epochs instead of 12 (about 6 s).
    const tasks::TrainConfig config = tasks::train_config(info, opt);
    const tasks::TrainResult trained = tasks::train_classifier(model, optimizer, data, config);
    model.eval();
    const tasks::Evaluation test = tasks::evaluate(model, data.test);
    std::printf("\ntest accuracy %.1f%% (%d sentences, trained in %.1f s)\nper phenomenon: %s\n\n", 100 * test.accuracy,
                data.test.size(), trained.seconds, tasks::format_groups(test).c_str());
    std::cout << "some test sentences:\n" << tasks::example_lines(data, data.test, test) << "\n";
    std::cout << tasks::compare_per_phenomenon(plots + "15_per_phenomenon",
                                               {plots + "04_embeddings_results.txt", plots + "05_lstm_results.txt",
                                                plots + "09_self_attentive_results.txt"},
                                               "self-attention (2 layers x 4 heads)", data.source, test)
              << "\n";
    Report report;
    report.set("lesson", info.name);
    report.set("test_accuracy", test.accuracy);
    tasks::save_test_results(report, opt, info.name, data, test);  // predictions file, accuracy with/without <unk>
    const bool phenomena = data.source.find("toy-sentiment") != std::string::npos;
    if (phenomena) {
        report.set("negation_accuracy", test.accuracy_of("negation"));
        report.set("contrast_accuracy", test.accuracy_of("contrast"));
    }

    // 5. What the heads attend to, by word class (test split).
    const ClassMass from_cls = class_mass(model, data.test, lexicon, true);
    const ClassMass from_all = class_mass(model, data.test, lexicon, false);
    print_mass_table("attention of the [CLS] query, per layer × head:", from_cls, sizes);
    print_mass_table("attention of every query (every word and [CLS]), per layer × head:", from_all, sizes);
    Matrix figure = from_cls.mass;
    figure.insert(figure.begin(), from_cls.share);
    std::vector<std::string> rows = head_names(sizes);
    rows.insert(rows.begin(), "token share");
    std::cout << plot::attention_heatmap(plots + "15_head_word_classes", figure, kClasses, rows,
                                         {.title = "[CLS] attention mass per word class (top row: share of tokens)",
                                          .vmax = -1.0f, .x_label = "word class of the key", .y_label = "layer, head"})
              << "\n";
    // The most preferred class of each head (mass ÷ share), words only.
    float best_lift = 0.0f;
    for (size_t k = 0; k < from_cls.mass.size(); ++k) {
        size_t top = 0;
        for (size_t c = 1; c < 5; ++c)
            if (from_cls.mass[k][c] / from_cls.share[c] > from_cls.mass[k][top] / from_cls.share[top]) top = c;
        const float lift = from_cls.mass[k][top] / from_cls.share[top];
        best_lift = std::max(best_lift, lift);
        std::printf("  %s ([CLS] query) prefers %-9s %.1fx its share\n", head_names(sizes)[k].c_str(),
                    kClasses[top].c_str(), lift);
    }
    report.set("largest_class_lift_cls", best_lift);

    // 6. Head ablation: accuracy per phenomenon with one head zeroed.
    std::vector<std::string> groups;
    for (const auto& g : test.groups) groups.push_back(g.name);
    std::printf("\nhead ablation (test accuracy in %%, and the drop in points when the head is zeroed):\n  %-8s", "");
    for (const auto& g : groups) std::printf(" %12s", g.c_str());
    std::printf("\n  %-8s", "none");
    for (const auto& g : test.groups) std::printf(" %11.1f%%", 100.0 * g.accuracy);
    Matrix drops;
    float largest_drop = 0.0f;
    for (int l = 0; l < sizes.layers; ++l)
        for (int h = 0; h < sizes.heads; ++h) {
            const tasks::Evaluation e = evaluate_without_head(model, data.test, l, h);
            std::printf("\n  %-8s", head_names(sizes)[size_t(l * sizes.heads + h)].c_str());
            drops.emplace_back();
            for (size_t g = 0; g < groups.size(); ++g) {
                const float drop = float(100.0 * (test.groups[g].accuracy - e.groups[g].accuracy));
                std::printf(" %5.1f%% %+5.1f", 100.0 * e.groups[g].accuracy, -drop);
                drops.back().push_back(std::max(drop, 0.0f));
                largest_drop = std::max(largest_drop, drop);
            }
        }
    std::printf("\n\n");
    std::cout << plot::attention_heatmap(plots + "15_head_ablation", drops, groups, head_names(sizes),
                                         {.title = "accuracy lost (points) when one head is zeroed",
                                          .vmax = std::max(largest_drop, 1.0f), .x_label = "phenomenon",
                                          .y_label = "zeroed head"})
              << "\n";
    report.set("largest_ablation_drop_points", largest_drop);

    // 7. One test sentence, every head: bertviz-style views (a PNG, an interactive page, JSON).
    int shown = 0;  // the first contrast sentence of at most 12 words, else the first sentence
    for (int i = data.test.size() - 1; i >= 0; --i)
        if (data.test.phenomena[size_t(i)] == "contrast" && data.test.examples[size_t(i)].tokens.size() <= 12) shown = i;
    std::vector<std::string> tokens = data.test.examples[size_t(shown)].tokens;
    tokens.insert(tokens.begin(), "[CLS]");
    plot::ModelAttention views;
    views.encoder_tokens = tokens;
    {
        NoGrad no_grad;
        views.encoder_attention = tasks::head_matrices(model.encode(tasks::single_example(data.test, shown)).self_weights);
    }
    std::cout << plot::head_view(plots + "15_head_view", views.encoder_attention[0], tokens, tokens,
                                 {.title = "layer 1, all heads: each token (left) reads the sentence (right)"})
              << "\n";
    plot::attention_page(plots + "15_attention.html", "lesson 15: self-attention classifier, test sentence " +
                                                          std::to_string(shown), views);
    plot::export_bertviz_json(plots + "15_attention_bertviz.json", views);

    tasks::write_results(plots + "15_self_attention_results.txt", "self-attention", data.source, test);
    report.set("epochs", config.epochs);
    report.set("train_seconds", trained.seconds);
    report.write(opt.report);
    std::printf("figures: %s15_per_phenomenon.png, %s15_head_word_classes.png, %s15_head_ablation.png, "
                "%s15_head_view.png; open %s15_attention.html in a browser\n",
                plots.c_str(), plots.c_str(), plots.c_str(), plots.c_str(), plots.c_str());
    return 0;
}
