// classification.cpp — the sentiment lessons' training loop, checkpoints, per-phenomenon evaluation
// and results files (the data: classification_data.cpp).
#include "tinyattn/tasks/classification.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "tinyattn/autograd.hpp"
#include "tinyattn/app/interrupt.hpp"
#include "tinyattn/data/text_file.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/clip_grad.hpp"
#include "tinyattn/plot/curves.hpp"
#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// ---- training --------------------------------------------------------------------------------

static std::string join_numbers(const std::vector<float>& values) {
    std::string s;
    for (float v : values) s += (s.empty() ? "" : " ") + std::to_string(v);
    return s;
}

static std::vector<float> split_numbers(const std::string& text) {
    std::vector<float> values;
    std::istringstream in(text);
    for (float v; in >> v;) values.push_back(v);
    return values;
}

void save_classifier_checkpoint(const std::string& path, const TextClassifier& model,
                                const optim::Optimizer& optimizer, const TextData& data, const TrainConfig& config,
                                const TrainResult& so_far) {
    std::string labels;
    for (const auto& l : data.labels) labels += (labels.empty() ? "" : " ") + l;
    io::Metadata meta{{"lesson", config.lesson},
                      {"epoch", std::to_string(so_far.train_loss.size())},
                      {"train_loss", join_numbers(so_far.train_loss)},
                      {"valid_accuracy", join_numbers(so_far.valid_accuracy)},
                      {"labels", labels},
                      {"source", data.source},
                      {"data", data.fingerprint},
                      {"vocab_tokens", data.vocab.to_text()}};  // inside the one file: a moved copy still loads
    if (so_far.stopping.on()) so_far.stopping.save_state(meta);
    save_global_rng(meta);
    io::save_checkpoint(path, model, &optimizer, meta);
}

TrainResult load_classifier_checkpoint(const std::string& path, TextClassifier& model, optim::Optimizer& optimizer,
                                       const TextData& data, const TrainConfig& config) {
    const io::Metadata saved = io::read_checkpoint(path).metadata;
    std::string labels;
    for (const auto& l : data.labels) labels += (labels.empty() ? "" : " ") + l;
    check_resume(saved, path, {config.lesson}, {{"labels", labels}}, data.fingerprint);
    const io::Metadata meta = io::load_checkpoint(path, model, &optimizer);
    restore_global_rng(meta);
    TrainResult r;
    r.train_loss = split_numbers(metadata_value(meta, "train_loss", path));
    r.valid_accuracy = split_numbers(metadata_value(meta, "valid_accuracy", path));
    r.start_epoch = int(r.train_loss.size());
    r.stopping = config.stopping;
    r.stopping.load_state(meta, path);
    if (r.valid_accuracy.size() != r.train_loss.size())
        throw std::runtime_error(path + ": checkpoint curves have different lengths");
    return r;
}

TrainConfig train_config(const LessonInfo& info, const LessonOptions& opt) {
    TrainConfig config;
    config.lesson = info.name;
    config.epochs = opt.epochs;
    config.seed = opt.seed;
    config.checkpoint = opt.checkpoint;
    config.resume = opt.resume;
    config.stopping.patience = opt.patience;
    config.stopping.keep_last = opt.keep_last;
    config.stopping.higher_is_better = true;
    config.stopping.score_name = "valid accuracy";
    config.stopping.percent = true;
    return config;
}

TrainResult train_classifier(TextClassifier& model, optim::Optimizer& optimizer, const TextData& data,
                             const TrainConfig& config) {
    TrainResult result;
    result.stopping = config.stopping;
    if (!config.resume.empty()) {
        result = load_classifier_checkpoint(config.resume, model, optimizer, data, config);
        if (config.verbose)
            std::printf("resumed from %s after epoch %d\n", config.resume.c_str(), result.start_epoch);
    }
    const int first = result.start_epoch;
    if (config.verbose) nothing_to_train(first, config.epochs);
    const int steps = int((data.train.size() + config.batch_size - 1) / config.batch_size);
    Progress progress(first, config.epochs, steps, config.verbose ? 5.0 : 1e9);
    install_interrupt_handler();  // Ctrl-C saves a checkpoint at the next step instead of killing
    EarlyStopping& stopping = result.stopping;
    // With early stopping the checkpoint holds the best epoch; the last (and an interrupted) one goes to .last.
    const std::string last = stopping.on() && !config.checkpoint.empty() ? last_checkpoint_path(config.checkpoint)
                                                                          : config.checkpoint;
    int epoch = first;
    for (; epoch < config.epochs; ++epoch) {
        model.train();
        const auto batches = make_class_batches(data.train, config.batch_size, true, config.seed, epoch);
        double loss_sum = 0.0;
        for (size_t step = 0; step < batches.size(); ++step) {
            const data::ClassBatch& batch = batches[step];
            optimizer.zero_grad();                                         // 1. clear old gradients
            const ClassifierOutput out = model.forward(batch);             // 2. forward
            Tensor loss = cross_entropy(out.logits, batch.labels);         //    -log p(true label)
            if (config.penalty_coef != 0.0f && out.penalty.defined())
                loss = loss + config.penalty_coef * out.penalty;            //    + coef · ‖AAᵀ − I‖²
            loss.backward();                                               // 3. backward
            if (config.clip_norm > 0) optim::clip_grad_norm(optimizer.params(), config.clip_norm);
            optimizer.step();                                              // 4. step
            loss_sum += loss.item();
            long tokens = 0;
            for (int len : batch.lengths) tokens += len;
            if (config.verbose) progress.step(epoch, int(step), loss.item(), tokens);
            if (interrupted()) {  // saved with this epoch not done: --resume starts it again
                if (!last.empty()) save_classifier_checkpoint(last, model, optimizer, data, config, result);
                exit_after_interrupt(last);
            }
        }
        result.train_loss.push_back(float(loss_sum / double(batches.size())));
        result.valid_accuracy.push_back(float(evaluate(model, data.valid).accuracy));
        const bool best = stopping.on() && stopping.update(result.valid_accuracy.back(), epoch + 1, model);
        if (config.verbose)
            std::printf("epoch %d: train loss %.4f, valid accuracy %.1f%%%s\n", epoch + 1, result.train_loss.back(),
                        100.0 * result.valid_accuracy.back(),
                        stopping.on() ? (" (" + stopping.note(!config.checkpoint.empty()) + ")").c_str() : "");
        if (!stopping.on()) {
            if (!config.checkpoint.empty())
                save_classifier_checkpoint(config.checkpoint, model, optimizer, data, config, result);
            continue;
        }
        if (best && !config.checkpoint.empty())
            save_classifier_checkpoint(config.checkpoint, model, optimizer, data, config, result);
        if (stopping.keep_last && !last.empty()) save_classifier_checkpoint(last, model, optimizer, data, config, result);
        if (stopping.should_stop()) {
            ++epoch;
            break;
        }
    }
    result.kept_epoch = stopping.restore_best(model, std::max(epoch, first), config.checkpoint);
    result.seconds = progress.elapsed_seconds();
    model.eval();
    return result;
}

// ---- evaluation ------------------------------------------------------------------------------

// The phenomena of toy-sentiment in the order its README lists them.
static const std::vector<std::string>& corpus_order() {
    static const std::vector<std::string> order = {"plain", "intensifier", "hedge", "negation", "contrast"};
    return order;
}

double Evaluation::accuracy_of(const std::string& group) const {
    for (const auto& g : groups)
        if (g.name == group) return g.accuracy;
    throw std::invalid_argument("Evaluation: no group '" + group + "'");
}

Evaluation evaluate(TextClassifier& model, const TextSplit& split, int batch_size) {
    const bool was_training = model.is_training();
    model.eval();
    NoGrad no_grad;
    Evaluation e;
    e.predictions.assign(size_t(split.size()), 0);
    e.confidence.assign(size_t(split.size()), 0.0f);
    for (const data::ClassBatch& batch : make_class_batches(split, batch_size, false)) {
        const Tensor probs = softmax(model.forward(batch).logits, 1);
        const std::vector<int> best = argmax(probs, 1);
        for (int b = 0; b < batch.B; ++b) {
            const size_t i = size_t(batch.indices[size_t(b)]);
            e.predictions[i] = best[size_t(b)];
            e.confidence[i] = probs.at({b, best[size_t(b)]});
        }
    }
    model.train(was_training);

    // Group names: the corpus's phenomena in their order, any others sorted, then "all".
    std::vector<std::string> names;
    for (const auto& p : corpus_order())
        if (std::find(split.phenomena.begin(), split.phenomena.end(), p) != split.phenomena.end()) names.push_back(p);
    std::vector<std::string> others;
    for (const auto& p : split.phenomena)
        if (p != "all" && std::find(names.begin(), names.end(), p) == names.end() &&
            std::find(others.begin(), others.end(), p) == others.end())
            others.push_back(p);
    std::sort(others.begin(), others.end());
    names.insert(names.end(), others.begin(), others.end());
    names.push_back("all");
    for (const auto& name : names) {
        GroupAccuracy g{name, 0, 0.0};
        int correct = 0;
        for (int i = 0; i < split.size(); ++i)
            if (name == "all" || split.phenomena[size_t(i)] == name) {
                ++g.count;
                correct += e.predictions[size_t(i)] == split.labels[size_t(i)];
            }
        g.accuracy = g.count ? double(correct) / g.count : 0.0;
        e.groups.push_back(g);
    }
    e.accuracy = e.groups.back().accuracy;
    int right_unk = 0, right_known = 0;
    for (int i = 0; i < split.size(); ++i) {
        const auto& ids = split.ids[size_t(i)];
        const bool unk = std::find(ids.begin(), ids.end(), data::Vocab::unk_id) != ids.end();
        const bool right = e.predictions[size_t(i)] == split.labels[size_t(i)];
        (unk ? e.with_unk : e.without_unk) += 1;
        (unk ? right_unk : right_known) += right ? 1 : 0;
    }
    e.accuracy_with_unk = e.with_unk ? double(right_unk) / e.with_unk : 0.0;
    e.accuracy_without_unk = e.without_unk ? double(right_known) / e.without_unk : 0.0;
    return e;
}

std::string format_groups(const Evaluation& evaluation) {
    std::string s;
    char buf[96];
    for (const auto& g : evaluation.groups) {
        std::snprintf(buf, sizeof buf, "%s%s %.1f%% (%d)", s.empty() ? "" : " · ", g.name.c_str(), 100.0 * g.accuracy,
                      g.count);
        s += buf;
    }
    if (evaluation.with_unk == 0) return s + "\n  every test word is known to the model (no ⟨unk⟩)";
    std::snprintf(buf, sizeof buf, "\n  with an unknown word (⟨unk:word⟩) %.1f%% (%d) · without %.1f%% (%d)",
                  100.0 * evaluation.accuracy_with_unk, evaluation.with_unk, 100.0 * evaluation.accuracy_without_unk,
                  evaluation.without_unk);
    return s + buf;
}

std::string example_lines(const TextData& data, const TextSplit& split, const Evaluation& evaluation, int per_group) {
    std::string s;
    char buf[160];
    for (const auto& g : evaluation.groups) {
        if (g.name == "all" && evaluation.groups.size() > 1) continue;
        int shown = 0;
        for (int i = 0; i < split.size() && shown < per_group; ++i) {
            if (g.name != "all" && split.phenomena[size_t(i)] != g.name) continue;
            const int predicted = evaluation.predictions[size_t(i)];
            std::snprintf(buf, sizeof buf, "   reference %s · predicted %s (p = %.2f) %s\n",
                          data.labels[size_t(split.labels[size_t(i)])].c_str(), data.labels[size_t(predicted)].c_str(),
                          evaluation.confidence[size_t(i)], predicted == split.labels[size_t(i)] ? "✓" : "✗");
            s += "[" + g.name + "] " + data::join(data::mark_unknown(split.examples[size_t(i)].tokens, data.vocab)) + buf;
            ++shown;
        }
    }
    return s;
}

void report_results(Report& report, const std::string& lesson, int epochs, const Evaluation& test,
                    const TrainResult& trained) {
    report.set("lesson", lesson);
    report.set("epochs", epochs);
    report.set("test_accuracy", test.accuracy);
    for (const auto& g : test.groups) report.set("test_accuracy_" + g.name, g.accuracy);
    report.set("final_train_loss", trained.train_loss.empty() ? 0.0 : trained.train_loss.back());
    report.set("train_seconds", trained.seconds);
    if (trained.stopping.on()) report.set("kept_epoch", trained.kept_epoch);  // the best epoch, with early stopping
}

void write_predictions(const std::string& path, const TextData& data, const TextSplit& split,
                       const Evaluation& evaluation) {
    std::string text = "text\tlabel\tprediction\tconfidence\n";
    char confidence[32];
    for (int i = 0; i < split.size(); ++i) {
        std::snprintf(confidence, sizeof confidence, "%.4f", evaluation.confidence[size_t(i)]);
        text += plot::tsv_cell(data::join(data::mark_unknown(split.examples[size_t(i)].tokens, data.vocab))) + "\t" +
                data.labels[size_t(split.labels[size_t(i)])] + "\t" +
                data.labels[size_t(evaluation.predictions[size_t(i)])] + "\t" + confidence + "\n";
    }
    plot::write_text_file(path, text);
}

void save_test_results(Report& report, const LessonOptions& opt, const std::string& lesson, const TextData& data,
                       const Evaluation& test) {
    const std::string path = (fs::path(opt.plots_dir) / (lesson + "_test_predictions.tsv")).string();
    write_predictions(path, data, data.test, test);
    note_output("test predictions (text, label, prediction, confidence)", path);
    report.set("test_sentences_with_unk", test.with_unk);
    report.set("test_accuracy_with_unk", test.accuracy_with_unk);
    report.set("test_accuracy_without_unk", test.accuracy_without_unk);
}

// ---- results files ---------------------------------------------------------------------------

void write_results(const std::string& path, const std::string& model_name, const std::string& source,
                   const Evaluation& evaluation) {
    const fs::path p(path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path());
    std::ofstream out(path);
    if (!out) throw std::runtime_error("write_results: cannot write " + path);
    out << "# model\t" << model_name << "\n# data\t" << source << "\ngroup\tcount\taccuracy\n";
    for (const auto& g : evaluation.groups) out << g.name << "\t" << g.count << "\t" << g.accuracy << "\n";
}

SavedResults read_results(const std::string& path) {
    SavedResults r;
    if (!fs::exists(path)) return r;
    for (const data::Line& line : data::read_lines(path, "read_results")) {
        const std::vector<std::string> f = data::split(line.text, '\t');
        if (f.size() == 2 && f[0] == "# model") r.model_name = f[1];
        else if (f.size() == 2 && f[0] == "# data") r.source = f[1];
        else if (f.size() == 3 && f[0] != "group") {
            try {
                r.groups.push_back({f[0], std::stoi(f[1]), std::stod(f[2])});
            } catch (const std::exception&) {
                throw std::runtime_error(data::where(path, line.number, "expected group<TAB>count<TAB>accuracy"));
            }
        }
    }
    r.found = true;
    return r;
}

std::vector<float> percentages_for(const std::vector<GroupAccuracy>& groups, const std::vector<std::string>& names) {
    std::vector<float> values;
    for (const auto& name : names) {
        float v = 0.0f;
        for (const auto& g : groups)
            if (g.name == name) v = float(100.0 * g.accuracy);
        values.push_back(v);
    }
    return values;
}

std::string compare_per_phenomenon(const std::string& figure_path, const std::vector<std::string>& earlier_results,
                                   const std::string& model_name, const std::string& source,
                                   const Evaluation& evaluation) {
    std::vector<std::string> groups;
    for (const auto& g : evaluation.groups) groups.push_back(g.name);
    std::vector<plot::Series> series;
    std::string notes;
    for (const auto& path : earlier_results) {
        const SavedResults r = read_results(path);
        if (!r.found) notes += "(no " + path + " yet: run that lesson first to compare with it)\n";
        else if (r.source != source) notes += "(" + path + " was trained on " + r.source + ", not " + source + ": left out)\n";
        else series.push_back({r.model_name, {}, percentages_for(r.groups, groups)});
    }
    series.push_back({model_name, {}, percentages_for(evaluation.groups, groups)});
    return notes + plot::bucket_bars(figure_path, groups, series,
                                     {.title = "test accuracy per phenomenon", .x_label = "phenomenon",
                                      .y_label = "accuracy (%)"});
}

}  // namespace tinyattn::tasks
