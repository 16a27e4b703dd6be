// Lesson 09 — self-attentive sentiment (Lin et al. 2017, "A Structured Self-attentive
// Sentence Embedding").
//
//     e_t = E[w_t]                               word vectors
//     H = BiLSTM(e_1 .. e_n)                     [n, 2u]: each word in its left AND right context
//     A = softmax(W_s2 tanh(W_s1 Hᵀ))            [r, n]: r "hops", each a distribution over the words
//     M = A H                                    [r, 2u]: r weighted sums of the word states
//     z = W [M_1; ...; M_r] + b                  class scores
//     loss = cross_entropy(z, label) + coef · ‖A Aᵀ − I‖²_F
//
// The attention weights say which words the classifier read; the penalty pushes the r hops
// to read different words instead of all staring at the same one.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "tinyattn/nn/attention_pooling.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/classification.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

class SelfAttentiveClassifier : public tasks::TextClassifier {
public:
    SelfAttentiveClassifier(int vocab_size, int dim, int hidden, int attn_dim, int hops, int classes)
        : embedding(vocab_size, dim, data::Vocab::pad_id),
          lstm(dim, hidden, 1, true, /*batch_first=*/true, 0.0f, /*bidirectional=*/true),
          pooling(2 * hidden, attn_dim, hops),
          out(hops * 2 * hidden, classes) {
        register_module("embedding", embedding);
        register_module("lstm", lstm);
        register_module("pooling", pooling);
        register_module("out", out);
    }

    tasks::ClassifierOutput forward(const data::ClassBatch& batch) const override {
        const Tensor e = embedding.forward(batch.ids, {batch.B, batch.S});          // [B, T, D]
        const Tensor H = lstm.forward(e, batch.lengths).output;                       // [B, T, 2u], 0 past the end
        const nn::AttentionOutput att = pooling.forward(H, tasks::padding_mask(batch));  // pads get weight 0
        const Tensor M = reshape(att.context, {batch.B, -1});                         // [B, r·2u]
        return {out.forward(M), att.weights, nn::attention_penalty(att.weights)};
    }

    nn::Embedding embedding;
    nn::LSTM lstm;
    nn::AttentionPooling pooling;
    nn::Linear out;
};

struct Sizes {
    int dim = 32, hidden = 32, attn_dim = 32, hops = 4;
};

std::unique_ptr<SelfAttentiveClassifier> make_model(const tasks::TextData& data, const Sizes& s) {
    return std::make_unique<SelfAttentiveClassifier>(data.vocab.size(), s.dim, s.hidden, s.attn_dim, s.hops,
                                                     int(data.labels.size()));
}

// The attention of one test sentence: weights [hops, n] (padding trimmed) and the prediction.
struct SentenceAttention {
    plot::Matrix hops;
    int predicted = 0;
    float probability = 0.0f;
};
SentenceAttention attention_of(SelfAttentiveClassifier& model, const tasks::TextSplit& split, int index) {
    model.eval();
    NoGrad no_grad;
    const data::ClassBatch one = tasks::single_example(split, index);
    const tasks::ClassifierOutput out = model.forward(one);
    const Tensor p = softmax(out.logits, 1);
    SentenceAttention s;
    s.predicted = argmax(p, 1)[0];
    s.probability = p.at({0, s.predicted});
    for (int r = 0; r < out.attention.size(1); ++r) {
        s.hops.emplace_back();
        for (int t = 0; t < one.S; ++t) s.hops.back().push_back(out.attention.at({0, r, t}));
    }
    return s;
}

// Mean over test sentences and over hop pairs i < j of Σ_t min(a_i(t), a_j(t)): 1 when two
// hops are the same distribution, 0 when they read disjoint words.
double mean_hop_overlap(SelfAttentiveClassifier& model, const tasks::TextSplit& split) {
    model.eval();
    NoGrad no_grad;
    double total = 0.0;
    long pairs = 0;
    for (const data::ClassBatch& batch : tasks::make_class_batches(split, 256, false)) {
        const Tensor A = model.forward(batch).attention;  // [B, r, T]
        const int r = A.size(1), T = A.size(2);
        const float* a = A.data();
        for (int b = 0; b < batch.B; ++b)
            for (int i = 0; i < r; ++i)
                for (int j = i + 1; j < r; ++j, ++pairs)
                    for (int t = 0; t < T; ++t)
                        total += std::min(a[(b * r + i) * T + t], a[(b * r + j) * T + t]);
    }
    return pairs ? total / double(pairs) : 0.0;
}

// The first `count` test sentences of a phenomenon, each word shaded by the mean of the hops.
std::string highlight_figure(const std::string& path, SelfAttentiveClassifier& model, const tasks::TextData& data,
                             const std::string& phenomenon, int count) {
    std::vector<plot::HighlightSentence> sentences;
    for (int i = 0; i < data.test.size() && int(sentences.size()) < count; ++i) {
        if (data.test.phenomena[size_t(i)] != phenomenon) continue;
        const SentenceAttention s = attention_of(model, data.test, i);
        std::vector<float> mean_weight(s.hops[0].size(), 0.0f);
        for (const auto& hop : s.hops)
            for (size_t t = 0; t < hop.size(); ++t) mean_weight[t] += hop[t] / float(s.hops.size());
        const std::string reference = data.labels[size_t(data.test.labels[size_t(i)])];
        sentences.push_back({data.test.examples[size_t(i)].tokens, mean_weight,
                             data.labels[size_t(s.predicted)] + " (reference " + reference + ")", s.probability});
    }
    if (sentences.empty()) return "(no " + phenomenon + " sentences in the test split)\n";
    return plot::sentiment_highlight(path, sentences, phenomenon + ": mean attention of the hops (test sentences)");
}

int main(int argc, char** argv) {
    LessonInfo info("09_self_attentive_sentiment",
                    "self-attentive sentiment (Lin et al. 2017): BiLSTM + attention pooling with its penalty");
    info.trains = true;
    info.default_epochs = 3;
    info.data_help = "text<TAB>label lines (or label<TAB>text; header and CRLF fine), or a directory with "
                     "train.tsv/valid.tsv/test.tsv; a single file is split 80/10/10";
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const float penalty_coef = 1.0f;

    // 1. Data, as in lessons 04 and 05.
    tasks::TextData data = tasks::load_text_data(opt.data, opt.seed, opt.resume.empty() ? "" : tasks::vocab_path_for(opt.resume));
    if (opt.quick) tasks::keep_first(data.train, 5000);
    std::printf("data: %s · train %d, valid %d, test %d sentences · vocabulary %d words\n", data.source.c_str(),
                data.train.size(), data.valid.size(), data.test.size(), data.vocab.size());

    // 2. The model: embeddings → BiLSTM → r-hop attention pooling → Linear.
    const Sizes sizes;
    auto model = make_model(data, sizes);
    optim::Adam optimizer(model->parameters(), 5e-3);
    std::printf("model: Embedding(%d, %d) → BiLSTM(%d, 2×%d) → AttentionPooling(%d, d_a %d, r %d) → Linear(%d, %zu)"
                " · %zu parameters · penalty coefficient %.1f\n\n",
                data.vocab.size(), sizes.dim, sizes.dim, sizes.hidden, 2 * sizes.hidden, sizes.attn_dim, sizes.hops,
                sizes.hops * 2 * sizes.hidden, data.labels.size(), model->parameter_count(), penalty_coef);

    // 3. Train with the penalty (tinyattn/tasks/classification.cpp adds coef · penalty to the loss).
    tasks::TrainConfig config;
    config.lesson = info.name;
    config.epochs = opt.quick && opt.epochs == info.default_epochs ? 2 : opt.epochs;  // --quick: fewer, unless --epochs is given
    config.seed = opt.seed;
    config.penalty_coef = penalty_coef;
    config.checkpoint = opt.checkpoint;
    config.resume = opt.resume;
    const tasks::TrainResult trained = tasks::train_classifier(*model, optimizer, data, config);

    // 4. Evaluate on the TEST split, and compare with lessons 04 and 05.
    const tasks::Evaluation test = tasks::evaluate(*model, data.test);
    std::printf("\ntest accuracy %.1f%% (%d sentences, trained in %.1f s)\nper phenomenon: %s\n\n", 100 * test.accuracy,
                data.test.size(), trained.seconds, tasks::format_groups(test).c_str());
    std::cout << "some test sentences:\n" << tasks::example_lines(data, data.test, test) << "\n";
    const std::string plots = opt.plots_dir + "/";
    std::cout << tasks::compare_per_phenomenon(plots + "09_per_phenomenon",
                                               {plots + "04_embeddings_results.txt", plots + "05_lstm_results.txt"},
                                               "self-attentive BiLSTM", data.source, test)
              << "\n";
    Report report;
    const tasks::SavedResults bag = tasks::read_results(plots + "04_embeddings_results.txt");
    if (bag.found && bag.source == data.source)
        for (const char* p : {"negation", "contrast"}) {
            const double gain = 100.0 * test.accuracy_of(p) - tasks::percentages_for(bag.groups, {p})[0];
            std::printf("%s: %+.1f points over the bag of embeddings (lesson 04)\n", p, gain);
            report.set(std::string("gain_over_04_") + p, gain);
        }

    // 5. What the classifier read: each word shaded by the attention (mean of the hops).
    std::cout << "\n" << highlight_figure(plots + "09_highlight_negation", *model, data, "negation", 4);
    std::cout << "\n" << highlight_figure(plots + "09_highlight_contrast", *model, data, "contrast", 4);

    // 6. What the penalty does to the hops: two short runs from the same start, coef 0 and coef 1.
    tasks::TextData brief = data;
    tasks::keep_first(brief.train, opt.quick ? 2000 : 6000);
    std::printf("\nthe penalty: two short runs (1 epoch on %d sentences), penalty coefficient 0 and %.0f\n",
                brief.train.size(), penalty_coef);
    int shown = 0;
    for (int i = 0; i < data.test.size(); ++i)
        if (data.test.phenomena[size_t(i)] == "contrast") { shown = i; break; }
    const auto& words = data.test.examples[size_t(shown)].tokens;
    std::vector<std::string> hop_names;
    for (int r = 0; r < sizes.hops; ++r) hop_names.push_back("hop " + std::to_string(r + 1));
    for (const float coef : {0.0f, penalty_coef}) {
        manual_seed(opt.seed + 100);  // the same initial weights for both runs
        auto short_model = make_model(data, sizes);
        optim::Adam short_opt(short_model->parameters(), 5e-3);
        tasks::TrainConfig short_config;
        short_config.epochs = 1;
        short_config.seed = opt.seed;
        short_config.penalty_coef = coef;
        short_config.verbose = false;
        tasks::train_classifier(*short_model, short_opt, brief, short_config);
        const double acc = tasks::evaluate(*short_model, data.test).accuracy;
        const double overlap = mean_hop_overlap(*short_model, data.test);
        const std::string tag = coef == 0.0f ? "0" : "1";
        std::printf("coefficient %s: test accuracy %.1f%%, mean pairwise overlap of the hops %.3f\n", tag.c_str(),
                    100 * acc, overlap);
        report.set("hop_overlap_penalty_" + tag, overlap);
        report.set("short_run_accuracy_penalty_" + tag, acc);
        plot::HeatmapOptions heat;
        heat.title = "hops × words, penalty coefficient " + tag;
        heat.vmax = 0.0f;  // scale to the largest weight
        std::cout << plot::attention_heatmap(plots + "09_hops_penalty_" + tag,
                                             attention_of(*short_model, data.test, shown).hops, words, hop_names, heat);
    }
    std::printf("figures: %s09_per_phenomenon.png, 09_highlight_{negation,contrast}.png, 09_hops_penalty_{0,1}.png\n",
                plots.c_str());
    std::printf("checkpoint: %s (vocabulary: %s)\n", opt.checkpoint.c_str(), tasks::vocab_path_for(opt.checkpoint).c_str());

    tasks::report_results(report, info.name, config.epochs, test, trained);
    report.write(opt.report);
    return 0;
}
