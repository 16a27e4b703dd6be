// Lesson 09 — self-attentive sentiment (Lin et al. 2017, "A Structured Self-attentive
// Sentence Embedding").
//
//     e_t = E[w_t]                               word vectors
//     H = BiLSTM(e_1 .. e_n)                     [n, 2u]: each word in its left AND right context
//     X = [E; H]                                 [n, d + 2u]: the word itself beside its context
//     A = softmax(W_s2 tanh(W_s1 Xᵀ))            [r, n]: r "hops", each a distribution over the words
//     M = A X                                    [r, d + 2u]: r weighted sums of the word vectors
//     z = W [M_1; ...; M_r] + b                  class scores
//     loss = cross_entropy(z, label) + coef · ‖A Aᵀ − I‖²_F
//
// The attention weights say which words the classifier read. Lin et al. attend over H alone;
// here the word's own embedding sits beside its BiLSTM state, because a BiLSTM state already
// summarises the whole sentence — attention over H alone can (and on this corpus does) put all
// its weight on the final "." and tell us nothing (the lesson trains that model too, to show it).
// The penalty pushes the r hops to read different words instead of all staring at the same one.
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

struct Sizes {
    int dim = 32, hidden = 32, attn_dim = 32;
    int hops = 1;                   // r: one hop for the highlight model, 4 for the penalty experiment
    bool attend_embeddings = true;  // pool over [E; H] (true) or over H alone, as Lin et al. (false)
    int pooled_dim() const { return 2 * hidden + (attend_embeddings ? dim : 0); }
};

class SelfAttentiveClassifier : public tasks::TextClassifier {
public:
    SelfAttentiveClassifier(int vocab_size, const Sizes& s, int classes)
        : sizes(s), embedding(vocab_size, s.dim, data::Vocab::pad_id),
          lstm(s.dim, s.hidden, 1, true, /*batch_first=*/true, 0.0f, /*bidirectional=*/true),
          pooling(s.pooled_dim(), s.attn_dim, s.hops),
          out(s.hops * s.pooled_dim(), classes) {
        register_module("embedding", embedding);
        register_module("lstm", lstm);
        register_module("pooling", pooling);
        register_module("out", out);
    }

    tasks::ClassifierOutput forward(const data::ClassBatch& batch) const override {
        const Tensor e = embedding.forward(batch.ids, {batch.B, batch.S});          // [B, T, D]
        const Tensor H = lstm.forward(e, batch.lengths).output;                       // [B, T, 2u], 0 past the end
        const Tensor X = sizes.attend_embeddings ? concat({e, H}, 2) : H;           // [B, T, d + 2u]
        const nn::AttentionOutput att = pooling.forward(X, tasks::padding_mask(batch));  // pads get weight 0
        const Tensor M = reshape(att.context, {batch.B, -1});                         // [B, r·2u]
        return {out.forward(M), att.weights, nn::attention_penalty(att.weights)};
    }

    Sizes sizes;
    nn::Embedding embedding;
    nn::LSTM lstm;
    nn::AttentionPooling pooling;
    nn::Linear out;
};

std::unique_ptr<SelfAttentiveClassifier> make_model(const tasks::TextData& data, const Sizes& s) {
    return std::make_unique<SelfAttentiveClassifier>(data.vocab.size(), s, int(data.labels.size()));
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

// Mean of the hops at each word of one test sentence.
std::vector<float> mean_of_hops(const SentenceAttention& s) {
    std::vector<float> mean(s.hops[0].size(), 0.0f);
    for (const auto& hop : s.hops)
        for (size_t t = 0; t < hop.size(); ++t) mean[t] += hop[t] / float(s.hops.size());
    return mean;
}

int find_word(const std::vector<std::string>& words, const std::string& word, int from = 0) {
    for (int i = from; i < int(words.size()); ++i)
        if (words[size_t(i)] == word) return i;
    return -1;
}

// The clause that decides the label of a toy-sentiment contrast sentence, as [begin, end):
//   loser but winner .  ·  although loser , winner .  ·  winner , although loser .
std::pair<int, int> deciding_clause(const std::vector<std::string>& w) {
    const int n = int(w.size()), but = find_word(w, "but"), although = find_word(w, "although");
    if (but >= 0) return {but + 1, n - 1};
    if (although > 0 && w[size_t(although - 1)] == ",") return {0, although - 1};
    return {find_word(w, ",", std::max(although, 0)) + 1, n - 1};
}

// Is the attention on the words that decide the label? Over the test sentences:
//   negation: the mean weight on "not" / "never", against 1/n (what uniform attention gives);
//   contrast: the mean weight on the deciding clause, against its share of the words.
struct Focus {
    double negation_word = 0, negation_uniform = 0, deciding_clause = 0, deciding_share = 0;
    int negation_count = 0, contrast_count = 0;
};
Focus attention_focus(SelfAttentiveClassifier& model, const tasks::TextSplit& split) {
    Focus f;
    for (int i = 0; i < split.size(); ++i) {
        const std::string& phenomenon = split.phenomena[size_t(i)];
        const auto& w = split.examples[size_t(i)].tokens;
        const int n = int(w.size());
        if (phenomenon == "negation") {
            const int k = std::max(find_word(w, "not"), find_word(w, "never"));
            if (k < 0) continue;
            f.negation_word += mean_of_hops(attention_of(model, split, i))[size_t(k)];
            f.negation_uniform += 1.0 / n;
            ++f.negation_count;
        } else if (phenomenon == "contrast") {
            const auto [begin, end] = deciding_clause(w);
            const std::vector<float> a = mean_of_hops(attention_of(model, split, i));
            for (int t = begin; t < end; ++t) f.deciding_clause += a[size_t(t)];
            f.deciding_share += double(end - begin) / n;
            ++f.contrast_count;
        }
    }
    if (f.negation_count) f.negation_word /= f.negation_count, f.negation_uniform /= f.negation_count;
    if (f.contrast_count) f.deciding_clause /= f.contrast_count, f.deciding_share /= f.contrast_count;
    return f;
}

std::string describe(const Focus& f) {
    if (!f.negation_count && !f.contrast_count) return "(no negation / contrast sentences to measure)\n";
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "  attention on \"not\"/\"never\" in negation sentences: %.2f (uniform would give %.2f)\n"
                  "  attention on the deciding clause of contrast sentences: %.2f (its share of the words %.2f)\n",
                  f.negation_word, f.negation_uniform, f.deciding_clause, f.deciding_share);
    return buf;
}

// The first `count` test sentences of a phenomenon, each word shaded by its attention (the
// mean of the hops when there are several).
std::string highlight_figure(const std::string& path, SelfAttentiveClassifier& model, const tasks::TextData& data,
                             const std::string& phenomenon, int count, const std::string& title) {
    std::vector<plot::HighlightSentence> sentences;
    for (int i = 0; i < data.test.size() && int(sentences.size()) < count; ++i) {
        if (phenomenon != "all" && data.test.phenomena[size_t(i)] != phenomenon) continue;
        const SentenceAttention s = attention_of(model, data.test, i);
        const std::string reference = data.labels[size_t(data.test.labels[size_t(i)])];
        sentences.push_back({data.test.examples[size_t(i)].tokens, mean_of_hops(s),
                             data.labels[size_t(s.predicted)] + " (reference " + reference + ")", s.probability});
    }
    if (sentences.empty()) return "(no " + phenomenon + " sentences in the test split)\n";
    return plot::sentiment_highlight(path, sentences, (phenomenon == "all" ? "the first test sentences" : phenomenon) +
                                                          ": " + title);
}

// A side experiment: a fresh model of `sizes` (initial weights from `init_seed`), trained
// quietly for `epochs` on `data` with the penalty coefficient `coef`.
std::unique_ptr<SelfAttentiveClassifier> train_side_model(const tasks::TextData& data, const Sizes& sizes, float coef,
                                                          int epochs, uint64_t seed, uint64_t init_seed) {
    manual_seed(init_seed);
    auto model = make_model(data, sizes);
    optim::Adam optimizer(model->parameters(), 5e-3);
    tasks::TrainConfig config;
    config.epochs = epochs;
    config.seed = seed;
    config.penalty_coef = coef;
    config.verbose = false;
    tasks::train_classifier(*model, optimizer, data, config);
    return model;
}

void report_focus(Report& report, const std::string& prefix, const Focus& f) {
    if (!f.negation_count || !f.contrast_count) return;
    report.set(prefix + "negation_word", f.negation_word);
    report.set(prefix + "negation_uniform", f.negation_uniform);
    report.set(prefix + "deciding_clause", f.deciding_clause);
    report.set(prefix + "deciding_share", f.deciding_share);
}

int main(int argc, char** argv) {
    LessonInfo info("09_self_attentive_sentiment",
                    "self-attentive sentiment (Lin et al. 2017): BiLSTM + attention pooling with its penalty");
    info.trains = true;
    info.text_data = true;
    info.default_epochs = 3;
    info.quick_epochs = 2;
    info.data_help = tasks::kLabelledDataFormat;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const float penalty_coef = 1.0f;

    // 1. Data, as in lessons 04 and 05.
    tasks::TextData data = tasks::load_text_data(opt.data, opt.seed, opt.resume, opt.min_freq, opt.max_vocab);
    if (opt.quick) tasks::keep_first(data.train, 5000);
    std::printf("data: %s · train %d, valid %d, test %d sentences · vocabulary %d words\n", data.source.c_str(),
                data.train.size(), data.valid.size(), data.test.size(), data.vocab.size());

    // 2. The model: embeddings → BiLSTM → one-hop attention pooling over [E; H] → Linear.
    const Sizes sizes;
    auto model = make_model(data, sizes);
    optim::Adam optimizer(model->parameters(), 5e-3);
    std::printf("model: Embedding(%d, %d) → BiLSTM(%d, 2×%d) → AttentionPooling over [E; H] (%d, d_a %d, r %d)"
                " → Linear(%d, %zu) · %zu parameters · penalty coefficient %.1f\n\n",
                data.vocab.size(), sizes.dim, sizes.dim, sizes.hidden, sizes.pooled_dim(), sizes.attn_dim, sizes.hops,
                sizes.hops * sizes.pooled_dim(), data.labels.size(), model->parameter_count(), penalty_coef);

    // 3. Train with the penalty (tinyattn/tasks/classification.cpp adds coef · penalty to the loss).
    tasks::TrainConfig config = tasks::train_config(info, opt);
    config.penalty_coef = penalty_coef;
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
    tasks::write_results(plots + "09_self_attentive_results.txt", "self-attentive BiLSTM", data.source, test);  // for lesson 15
    Report report;
    const tasks::SavedResults bag = tasks::read_results(plots + "04_embeddings_results.txt");
    if (bag.found && bag.source == data.source)
        for (const char* p : {"negation", "contrast"}) {
            const double gain = 100.0 * test.accuracy_of(p) - tasks::percentages_for(bag.groups, {p})[0];
            std::printf("%s: %+.1f points over the bag of embeddings (lesson 04)\n", p, gain);
            report.set(std::string("gain_over_04_") + p, gain);
        }

    // 5. What the classifier read: each word shaded by its attention, and whether the weight
    //    sits on the words that decide the label.
    const std::string title = "attention over [E; H] (test sentences)";
    // A learner's own file has no phenomenon tags ("all"): then the first test sentences show it.
    const bool tagged = std::any_of(data.test.phenomena.begin(), data.test.phenomena.end(),
                                    [](const std::string& p) { return p != "all"; });
    const std::string first_group = tagged ? "negation" : "all";
    std::cout << "\n" << highlight_figure(plots + "09_highlight_" + (tagged ? "negation" : "test"), *model, data,
                                         first_group, 4, title);
    if (tagged) std::cout << "\n" << highlight_figure(plots + "09_highlight_contrast", *model, data, "contrast", 4, title);
    const Focus focus = attention_focus(*model, data.test);
    std::cout << "\nwhere the attention sits (test sentences):\n" << describe(focus);
    report_focus(report, "attention_", focus);

    // 6. The same model attending over the BiLSTM states H alone (Lin et al.'s choice), trained
    //    the same way: as accurate, but where does its attention go?
    Sizes states_only = sizes;
    states_only.attend_embeddings = false;
    auto h_model = train_side_model(data, states_only, penalty_coef, config.epochs, opt.seed, opt.seed + 200);
    const double h_accuracy = tasks::evaluate(*h_model, data.test).accuracy;
    const Focus h_focus = attention_focus(*h_model, data.test);
    std::printf("\nthe same model attending over H alone (%d epochs): test accuracy %.1f%%\n%s", config.epochs,
                100 * h_accuracy, describe(h_focus).c_str());
    report.set("states_only_accuracy", h_accuracy);
    report_focus(report, "states_only_attention_", h_focus);
    std::cout << highlight_figure(plots + "09_highlight_states_only", *h_model, data, first_group, 4,
                                  "attention over H alone (test sentences)");

    // 7. What the penalty does to r = 4 hops: two short runs from the same start, coef 0 and 1.
    tasks::TextData brief = data;
    tasks::keep_first(brief.train, opt.quick ? 2000 : 6000);
    Sizes four_hops = sizes;
    four_hops.hops = 4;
    std::printf("\nthe penalty on r = %d hops: two short runs (1 epoch on %d sentences), penalty coefficient 0 and %.0f\n",
                four_hops.hops, brief.train.size(), penalty_coef);
    int shown = 0;
    for (int i = 0; i < data.test.size(); ++i)
        if (data.test.phenomena[size_t(i)] == "contrast") { shown = i; break; }
    const auto& words = data.test.examples[size_t(shown)].tokens;
    std::vector<std::string> hop_names;
    for (int r = 0; r < four_hops.hops; ++r) hop_names.push_back("hop " + std::to_string(r + 1));
    for (const float coef : {0.0f, penalty_coef}) {
        auto short_model = train_side_model(brief, four_hops, coef, 1, opt.seed, opt.seed + 100);  // same start
        const double acc = tasks::evaluate(*short_model, data.test).accuracy;
        const double overlap = mean_hop_overlap(*short_model, data.test);
        const std::string tag = coef == 0.0f ? "0" : "1";
        std::printf("coefficient %s: test accuracy %.1f%%, mean pairwise overlap of the hops %.3f\n", tag.c_str(),
                    100 * acc, overlap);
        report.set("hop_overlap_penalty_" + tag, overlap);
        report.set("short_run_accuracy_penalty_" + tag, acc);
        plot::HeatmapOptions heat;
        heat.title = "hops × words, penalty coefficient " + tag;
        heat.x_label = "words of a test sentence";
        heat.y_label = "hops";
        heat.vmax = 0.0f;  // scale to the largest weight
        std::cout << plot::attention_heatmap(plots + "09_hops_penalty_" + tag,
                                             attention_of(*short_model, data.test, shown).hops, words, hop_names, heat);
    }

    tasks::report_results(report, info.name, config.epochs, test, trained);
    tasks::save_test_results(report, opt, info.name, data, test);  // predictions file, accuracy with/without <unk>
    print_outputs(opt);
    report.write(opt.report);
    return 0;
}
