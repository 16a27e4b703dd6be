// Lesson 05 — the LSTM: read the sentence in order, keep a memory, classify the last state.
//
//     e_t = E[w_t]                          word vectors, as in lesson 04
//     (h_t, c_t) = LSTM(e_t, h_{t-1}, c_{t-1})   one step per word (tinyattn/nn/lstm.cpp)
//     z = W h_n + b                         class scores from the state after the LAST real word
//
// Unlike the mean of lesson 04, h_n depends on the order of the words: the LSTM can learn
// that "not" flips the next sentiment word, and that the clause after "but" wins.
// Section 5 recomputes one sentence gate by gate with plain ops and checks it against nn::LSTM.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/tasks/classification.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

class LSTMClassifier : public tasks::TextClassifier {
public:
    LSTMClassifier(int vocab_size, int dim, int hidden, int classes)
        : embedding(vocab_size, dim, data::Vocab::pad_id),
          lstm(dim, hidden, 1, true, /*batch_first=*/true),
          out(hidden, classes) {
        register_module("embedding", embedding);
        register_module("lstm", lstm);
        register_module("out", out);
    }

    tasks::ClassifierOutput forward(const data::ClassBatch& batch) const override {
        const Tensor e = embedding.forward(batch.ids, {batch.B, batch.S});  // [B, S, D]
        // With the lengths, h_n is each sentence's state after its own last word, not after
        // the padding (PyTorch's packed sequences do the same).
        const nn::LSTMOutput r = lstm.forward(e, batch.lengths);
        const Tensor h_last = select(r.final.h, 0, 0);                      // [layers=1, B, H] -> [B, H]
        return {out.forward(h_last), Tensor(), Tensor()};                   // no attention, no penalty
    }

    nn::Embedding embedding;
    nn::LSTM lstm;
    nn::Linear out;
};

// The four gates of one step, written out (the library's lstm_step does the same in one go).
struct Gates {
    Tensor i, f, g, o, c, h;
};
Gates lstm_step_by_hand(const nn::RecurrentWeights& w, const Tensor& x, const Tensor& h, const Tensor& c) {
    const int H = w.weight_hh.size(1);
    const Tensor pre = linear(x, w.weight_ih, w.bias_ih) + linear(h, w.weight_hh, w.bias_hh);  // [1, 4H]: i f g o
    Gates s;
    s.i = sigmoid(narrow(pre, 1, 0 * H, H));  // input gate: how much of the candidate to write
    s.f = sigmoid(narrow(pre, 1, 1 * H, H));  // forget gate: how much of the old memory to keep
    s.g = tanh(narrow(pre, 1, 2 * H, H));     // candidate memory content
    s.o = sigmoid(narrow(pre, 1, 3 * H, H));  // output gate: how much of the memory to show
    s.c = s.f * c + s.i * s.g;                // c_t = f ⊙ c_{t-1} + i ⊙ g
    s.h = s.o * tanh(s.c);                    // h_t = o ⊙ tanh(c_t)
    return s;
}

// Walks one test sentence word by word, prints the mean of each gate and the size of the
// memory, and returns the largest difference between the hand-made h_n and nn::LSTM's.
float walk_gates(const LSTMClassifier& model, const tasks::TextData& data, int index) {
    NoGrad no_grad;
    const data::ClassBatch one = tasks::single_example(data.test, index);
    const Tensor e = model.embedding.forward(one.ids, {1, one.S});  // [1, T, D]
    const int H = model.lstm.hidden_size;
    Tensor h = zeros({1, H}), c = zeros({1, H});
    auto mean_of = [](const Tensor& t) { return mean(t).item(); };
    std::printf("  %-12s %6s %6s %7s %6s %7s\n", "word", "mean i", "mean f", "mean g", "mean o", "‖c‖");
    for (int t = 0; t < one.S; ++t) {
        const Gates s = lstm_step_by_hand(model.lstm.weights[0], select(e, 1, t), h, c);
        h = s.h;
        c = s.c;
        std::printf("  %-12s %6.2f %6.2f %+7.2f %6.2f %7.2f\n", data.test.examples[size_t(index)].tokens[size_t(t)].c_str(),
                    mean_of(s.i), mean_of(s.f), mean_of(s.g), mean_of(s.o), std::sqrt(sum(c * c).item()));
    }
    const std::vector<float> mine = h.to_vector();
    const std::vector<float> library = model.lstm.forward(e, one.lengths).final.h.to_vector();
    float worst = 0.0f;
    for (size_t k = 0; k < mine.size(); ++k) worst = std::max(worst, std::fabs(mine[k] - library[k]));
    return worst;
}

int main(int argc, char** argv) {
    LessonInfo info("05_lstm", "the LSTM gate by gate: a sentiment classifier on the final state, compared with lesson 04");
    info.trains = true;
    info.text_data = true;
    info.default_epochs = 3;
    info.quick_epochs = 2;
    info.data_help = tasks::kLabelledDataFormat;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);

    // 1. Data, exactly as in lesson 04.
    tasks::TextData data = tasks::load_text_data(opt.data, opt.seed, opt.resume, opt.min_freq, opt.max_vocab);
    if (opt.quick) tasks::keep_first(data.train, 6000);
    std::printf("data: %s · train %d, valid %d, test %d sentences · vocabulary %d words\n", data.source.c_str(),
                data.train.size(), data.valid.size(), data.test.size(), data.vocab.size());

    // 2. Model: embeddings → LSTM → Linear on the last state.
    const int dim = 32, hidden = 64;
    LSTMClassifier model(data.vocab.size(), dim, hidden, int(data.labels.size()));
    optim::Adam optimizer(model.parameters(), 5e-3);
    std::printf("model: Embedding(%d, %d) → LSTM(%d, %d) → h_n → Linear(%d, %zu) · %zu parameters\n\n",
                data.vocab.size(), dim, dim, hidden, hidden, data.labels.size(), model.parameter_count());

    // 3. Train (the loop of lesson 04, tinyattn/tasks/classification.cpp).
    const tasks::TrainConfig config = tasks::train_config(info, opt);
    const tasks::TrainResult trained = tasks::train_classifier(model, optimizer, data, config);

    // 4. Evaluate on the TEST split.
    const tasks::Evaluation test = tasks::evaluate(model, data.test);
    std::printf("\ntest accuracy %.1f%% (%d sentences, trained in %.1f s)\nper phenomenon: %s\n\n", 100 * test.accuracy,
                data.test.size(), trained.seconds, tasks::format_groups(test).c_str());
    std::cout << "some test sentences:\n" << tasks::example_lines(data, data.test, test) << "\n";

    // 5. Gate by gate through one negated test sentence.
    int example = 0;
    for (int i = 0; i < data.test.size(); ++i)
        if (data.test.phenomena[size_t(i)] == "negation") { example = i; break; }
    std::printf("the LSTM step by step on \"%s\" (%s):\n", data.test.examples[size_t(example)].text.c_str(),
                data.labels[size_t(data.test.labels[size_t(example)])].c_str());
    const float difference = walk_gates(model, data, example);
    std::printf("h_n by hand vs nn::LSTM: largest difference %.1e\n\n", difference);

    // 6. Figure: this model beside lesson 04's, per phenomenon; then our own results for lesson 09.
    const std::string plots = opt.plots_dir + "/";
    std::cout << tasks::compare_per_phenomenon(plots + "05_per_phenomenon", {plots + "04_embeddings_results.txt"}, "LSTM",
                                               data.source, test);
    tasks::write_results(plots + "05_lstm_results.txt", "LSTM", data.source, test);
    std::printf("results for lesson 09: %s05_lstm_results.txt\n", plots.c_str());

    Report report;
    tasks::report_results(report, info.name, config.epochs, test, trained);
    tasks::save_test_results(report, opt, info.name, data, test);  // predictions file, accuracy with/without <unk>
    print_outputs(opt);
    report.set("gate_walk_max_difference", difference);
    report.write(opt.report);
    return 0;
}
