// Lesson 04 — word embeddings: a bag-of-embeddings sentiment classifier.
//
// Each word id looks up a learned vector (nn::Embedding). The sentence is the MEAN of its
// word vectors, and one Linear layer turns that mean into class scores:
//     e_t = E[w_t]                 (E: [vocab, 64], the <pad> row stays zero)
//     s   = (1/n) Σ_t e_t          (n = the true length; padding adds zero vectors)
//     z   = W s + b                (scores for neg / pos)
// The mean forgets the word order: "not bad but dull" and "not dull but bad" get the same s.
// Accuracy per phenomenon on the test split shows where that matters.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/classification.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

class BagOfEmbeddings : public tasks::TextClassifier {
public:
    BagOfEmbeddings(int vocab_size, int dim, int classes)
        : embedding(vocab_size, dim, data::Vocab::pad_id), out(dim, classes) {
        register_module("embedding", embedding);
        register_module("out", out);
    }

    tasks::ClassifierOutput forward(const data::ClassBatch& batch) const override {
        const Tensor e = embedding.forward(batch.ids, {batch.B, batch.S});  // [B, S, D]
        std::vector<float> lengths(batch.lengths.begin(), batch.lengths.end());
        const Tensor mean_vector = sum(e, 1) / tensor(lengths, {batch.B, 1});  // [B, D]: pads add zeros
        return {out.forward(mean_vector), Tensor(), Tensor()};  // no attention, no penalty
    }

    // The score a word adds to "pos" minus "neg" when it is alone in a sentence: W[pos]·e − W[neg]·e.
    // (Inside a sentence of n words its push is this divided by n.)
    float word_score(int id, int pos, int neg) const {
        NoGrad no_grad;
        const Tensor z = out.forward(select(embedding.weight, 0, id));
        return z.at({pos}) - z.at({neg});
    }

    nn::Embedding embedding;
    nn::Linear out;
};

int main(int argc, char** argv) {
    LessonInfo info("04_embeddings", "word embeddings: a bag-of-embeddings sentiment classifier, accuracy per phenomenon");
    info.trains = true;
    info.text_data = true;  // --min-freq, --max-vocab, --patience: a learner's rare words can train <unk>
    info.default_epochs = 6;
    info.quick_epochs = 3;
    info.data_help = tasks::kLabelledDataFormat;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);

    // 1. Data: the shipped toy-sentiment corpus (or --data), its vocabulary from the training split.
    tasks::TextData data = tasks::load_text_data(opt.data, opt.seed, opt.resume, opt.min_freq, opt.max_vocab);
    if (opt.quick) tasks::keep_first(data.train, 4000);
    std::printf("data: %s · train %d, valid %d, test %d sentences · vocabulary %d words · labels:", data.source.c_str(),
                data.train.size(), data.valid.size(), data.test.size(), data.vocab.size());
    for (const auto& l : data.labels) std::printf(" %s", l.c_str());
    std::printf("\n");

    // 2. Model and optimizer.
    const int dim = 64;
    BagOfEmbeddings model(data.vocab.size(), dim, int(data.labels.size()));
    optim::Adam optimizer(model.parameters(), 5e-3);
    std::printf("model: Embedding(%d, %d) → mean over the words → Linear(%d, %zu) · %zu parameters\n\n",
                data.vocab.size(), dim, dim, data.labels.size(), model.parameter_count());

    // 3. Train (tinyattn/tasks/classification.cpp: zero_grad → forward → loss → backward → step).
    const tasks::TrainConfig config = tasks::train_config(info, opt);
    const tasks::TrainResult trained = tasks::train_classifier(model, optimizer, data, config);

    // 4. Evaluate on the held-out TEST split, per phenomenon.
    const tasks::Evaluation test = tasks::evaluate(model, data.test);
    std::printf("\ntest accuracy %.1f%% (%d sentences, trained in %.1f s)\nper phenomenon: %s\n\n", 100 * test.accuracy,
                data.test.size(), trained.seconds, tasks::format_groups(test).c_str());
    std::cout << "some test sentences:\n" << tasks::example_lines(data, data.test, test) << "\n";

    // 5. What did the words learn? Score of each word alone (pos − neg).
    if (data.labels.size() == 2) {
        std::vector<std::pair<float, std::string>> scores;
        for (int id = data::Vocab::unk_id + 1; id < data.vocab.size(); ++id)
            scores.push_back({model.word_score(id, 1, 0), data.vocab.token(id)});
        std::sort(scores.begin(), scores.end());
        auto show = [&](const char* title, int from, int step) {
            std::printf("%s", title);
            for (int k = 0, i = from; k < 8 && i >= 0 && i < int(scores.size()); ++k, i += step)
                std::printf(" %s (%+.1f)", scores[size_t(i)].second.c_str(), scores[size_t(i)].first);
            std::printf("\n");
        };
        show(("most '" + data.labels[1] + "' words:").c_str(), int(scores.size()) - 1, -1);
        show(("most '" + data.labels[0] + "' words:").c_str(), 0, 1);
        for (const char* w : {"not", "never", "but", "although"})
            if (data.vocab.contains(w))
                std::printf("  '%s' alone scores %+.2f: it can push the sentence one way, never flip it\n", w,
                            model.word_score(data.vocab.id(w), 1, 0));
        std::printf("\n");
    }

    // 6. Figure, and the results lessons 05 and 09 compare against.
    const std::string plots = opt.plots_dir + "/";
    std::cout << tasks::compare_per_phenomenon(plots + "04_per_phenomenon", {}, "bag of embeddings", data.source, test);
    tasks::write_results(plots + "04_embeddings_results.txt", "bag of embeddings", data.source, test);
    std::printf("results for lessons 05/09: %s04_embeddings_results.txt\n", plots.c_str());

    Report report;
    tasks::report_results(report, info.name, config.epochs, test, trained);
    tasks::save_test_results(report, opt, info.name, data, test);  // predictions file, accuracy with/without <unk>
    print_outputs(opt);
    report.write(opt.report);
    return 0;
}
