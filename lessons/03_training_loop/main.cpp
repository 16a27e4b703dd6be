// Lesson 03 — the training loop: zero_grad → forward → backward → step.
//
// Two classifiers learn to separate two interleaving half-moons in the plane:
//   logistic regression   p(class | x) = softmax(W x + b)            a straight boundary
//   a small MLP           softmax(W3 tanh(W2 tanh(W1 x + b1) + b2) + b3)   a curved one
// Both are trained by the same loop with the same loss (cross-entropy), and both are
// scored on held-out points they never trained on.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>
#include <stdexcept>

#include "tinyattn/data/batching.hpp"
#include "tinyattn/data/text_file.hpp"
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/eval/metrics.hpp"
#include "tinyattn/optim/sgd.hpp"
#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/lesson_checkpoint.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

// ---- the data: points (x, y) with a class 0 or 1 --------------------------------------------
struct Points {
    std::vector<float> xy;    // [N, 2] row-major
    std::vector<int> label;   // [N]
    int size() const { return int(label.size()); }
};

// Two half-moons (scikit-learn's make_moons): class 0 on the upper arc of the unit circle,
// class 1 on a lower arc shifted right, each point blurred by Gaussian noise.
Points make_moons(int n, float noise, Rng& rng) {
    Points p;
    for (int i = 0; i < n; ++i) {
        const int c = i % 2;
        const float t = rng.uniform(0.0f, std::numbers::pi_v<float>);
        const float x = c == 0 ? std::cos(t) : 1.0f - std::cos(t);
        const float y = c == 0 ? std::sin(t) : 0.5f - std::sin(t);
        p.xy.push_back(x + rng.normal(0.0f, noise));
        p.xy.push_back(y + rng.normal(0.0f, noise));
        p.label.push_back(c);
    }
    return p;
}

// --data: your own points, one per line "x<TAB>y<TAB>label" with label 0 or 1 (a header line
// is skipped). Returns all of them; the caller splits.
Points load_points(const std::string& path) {
    Points p;
    for (const data::Line& line : data::read_lines(path, "03_training_loop")) {
        const std::vector<std::string> f = data::split(line.text, '\t');
        if (f.size() < 3) throw std::runtime_error(data::where(path, line.number, "expected x<TAB>y<TAB>label"));
        try {
            const float x = std::stof(f[0]), y = std::stof(f[1]);
            const std::string label = data::trim(f[2]);
            if (label != "0" && label != "1") throw std::invalid_argument("label");
            p.xy.insert(p.xy.end(), {x, y});
            p.label.push_back(label == "1");
        } catch (const std::invalid_argument&) {
            if (line.number == 1) continue;  // a header line
            throw std::runtime_error(data::where(path, line.number, "x and y must be numbers and the label 0 or 1"));
        }
    }
    if (p.size() < 10) throw std::runtime_error(path + ": need at least 10 points, got " + std::to_string(p.size()));
    return p;
}

Points subset(const Points& p, const std::vector<int>& rows) {
    Points s;
    for (int i : rows) {
        s.xy.insert(s.xy.end(), {p.xy[2 * i], p.xy[2 * i + 1]});
        s.label.push_back(p.label[i]);
    }
    return s;
}

// ---- the two models -------------------------------------------------------------------------
struct Classifier2D : nn::Module {
    virtual Tensor forward(const Tensor& x) const = 0;  // x [B, 2] -> logits [B, 2]
};

// Logistic regression with two outputs: softmax(Wx + b). For two classes this is exactly
// σ(w·x + b) with w = W[1] - W[0]: the boundary p = 0.5 is the straight line w·x + b = 0.
struct LogisticRegression : Classifier2D {
    nn::Linear linear{2, 2};
    LogisticRegression() { register_module("linear", linear); }
    Tensor forward(const Tensor& x) const override { return linear.forward(x); }
};

// Two hidden layers of tanh units: each layer bends the plane, so the boundary can curve.
struct MLP : Classifier2D {
    nn::Linear fc1, fc2, fc3;
    explicit MLP(int hidden) : fc1(2, hidden), fc2(hidden, hidden), fc3(hidden, 2) {
        register_module("fc1", fc1);
        register_module("fc2", fc2);
        register_module("fc3", fc3);
    }
    Tensor forward(const Tensor& x) const override { return fc3.forward(tanh(fc2.forward(tanh(fc1.forward(x))))); }
};

// ---- the loop -------------------------------------------------------------------------------
Tensor inputs(const Points& p, const std::vector<int>& rows) { return tensor(subset(p, rows).xy, {int(rows.size()), 2}); }

std::vector<int> all_rows(int n) {
    std::vector<int> rows(n);
    for (int i = 0; i < n; ++i) rows[i] = i;
    return rows;
}

// Mean loss and accuracy on a whole set, without recording a graph, and each point's answer.
struct Score {
    float loss = 0.0f, accuracy = 0.0f;
    std::vector<int> predicted;     // per point: the class with the larger score
    std::vector<float> confidence;  // its probability, softmax(logits)[predicted]
};
Score score(const Classifier2D& model, const Points& p) {
    NoGrad no_grad;
    const Tensor logits = model.forward(inputs(p, all_rows(p.size())));
    const Tensor probability = softmax(logits, 1);
    Score s{cross_entropy(logits, p.label).item(), 0.0f, argmax(logits, 1), {}};
    s.accuracy = float(accuracy(s.predicted, p.label));
    for (int i = 0; i < p.size(); ++i) s.confidence.push_back(probability.at({i, s.predicted[i]}));
    return s;
}

// The held-out points with each model's answer, a TSV with a header, one line per point:
//     x<TAB>y<TAB>label<TAB>logreg_prediction<TAB>logreg_confidence<TAB>mlp_prediction<TAB>mlp_confidence
void write_predictions(const std::string& path, const Points& test, const Score& logreg, const Score& mlp) {
    std::string text = "x\ty\tlabel\tlogreg_prediction\tlogreg_confidence\tmlp_prediction\tmlp_confidence\n";
    char answers[96];
    for (int i = 0; i < test.size(); ++i) {
        std::snprintf(answers, sizeof answers, "%d\t%d\t%.4f\t%d\t%.4f\n", test.label[i], logreg.predicted[i],
                      logreg.confidence[i], mlp.predicted[i], mlp.confidence[i]);
        text += plot::format_value(test.xy[2 * i]) + "\t" + plot::format_value(test.xy[2 * i + 1]) + "\t" + answers;
    }
    plot::write_text_file(path, text);
}

// One pass over the training set in shuffled mini-batches. Returns the mean training loss.
float train_epoch(Classifier2D& model, optim::Optimizer& optimizer, const Points& train, int batch_size,
                  uint64_t seed, int epoch) {
    data::BatchOptions order;
    order.batch_size = batch_size;
    order.bucket = false;  // all "lengths" are 1: nothing to bucket
    order.seed = seed;
    float total = 0.0f;
    const auto batches = data::make_batches(std::vector<int>(train.size(), 1), order, epoch);
    for (const std::vector<int>& rows : batches) {
        std::vector<int> labels;
        for (int i : rows) labels.push_back(train.label[i]);

        optimizer.zero_grad();                               // 1. forget the last step's gradients
        const Tensor logits = model.forward(inputs(train, rows));  // 2. forward: a score per class
        const Tensor loss = cross_entropy(logits, labels);   //    mean -log p(true class)
        loss.backward();                                     // 3. backward: dloss/dθ for every θ
        optimizer.step();                                    // 4. step: θ ← θ - lr·(momentum of dloss/dθ)

        total += loss.item();
    }
    return total / float(batches.size());
}

// ---- the decision-boundary figure -----------------------------------------------------------
struct Grid {
    float x0, x1, y0, y1;
    int nx, ny;
};

// P(class 1) on an ny × nx grid of points covering the data.
plot::Matrix probability_grid(const Classifier2D& model, const Grid& g) {
    NoGrad no_grad;
    std::vector<float> xy;
    for (int r = 0; r < g.ny; ++r)
        for (int c = 0; c < g.nx; ++c)
            xy.insert(xy.end(), {g.x0 + (g.x1 - g.x0) * c / (g.nx - 1), g.y0 + (g.y1 - g.y0) * r / (g.ny - 1)});
    const Tensor p = softmax(model.forward(tensor(xy, {g.nx * g.ny, 2})), 1);
    plot::Matrix m(g.ny, std::vector<float>(g.nx));
    for (int r = 0; r < g.ny; ++r)
        for (int c = 0; c < g.nx; ++c) m[r][c] = p.at({r * g.nx + c, 1});
    return m;
}

// Side-by-side panels: the probability surface as a heatmap (blue = class 0, red = class 1,
// white = undecided, the boundary), the held-out points on top. The plot module has no
// scatter figure, so this lesson drives gnuplot itself through GnuplotSession.
std::string decision_boundary_figure(const std::string& path, const std::vector<std::string>& names,
                                     const std::vector<plot::Matrix>& grids, const Grid& g, const Points& test) {
    const plot::FigurePaths files = plot::figure_paths(path);
    std::string table = "# P(class 1) on a grid: x from " + plot::format_value(g.x0) + " to " + plot::format_value(g.x1) +
                        ", y from " + plot::format_value(g.y0) + " to " + plot::format_value(g.y1) + "\n";
    for (size_t k = 0; k < grids.size(); ++k) {
        table += "# model: " + names[k] + "\n";
        for (const auto& row : grids[k]) {
            for (size_t c = 0; c < row.size(); ++c) table += (c ? "\t" : "") + plot::format_value(row[c]);
            table += "\n";
        }
    }
    plot::write_text_file(files.data, table);

    if (plot::png_enabled()) {
        plot::GnuplotSession gp(files.png, 560 * int(grids.size()), 520);
        gp << "set multiplot layout 1," + std::to_string(grids.size());
        // The colour key: blue = the model says class 0, red = class 1, white = undecided (0.5).
        gp << "set palette defined (0 '#6baed6', 0.5 '#f7f7f7', 1 '#fb6a4a')\nset cbrange [0:1]";
        gp << "set colorbox vertical\nset cblabel 'P(class 1)' font ',11'\nset cbtics 0.25 font ',9'";
        gp << "set xlabel 'x (first input)' font ',11'\nset ylabel 'y (second input)' font ',11'";
        gp << "set xrange [" + std::to_string(g.x0) + ":" + std::to_string(g.x1) + "]\nset yrange [" +
                  std::to_string(g.y0) + ":" + std::to_string(g.y1) + "]";
        gp << "set key bottom left box opaque font ',10'\nset tics font ',10'";
        const std::string dx = std::to_string((g.x1 - g.x0) / (g.nx - 1)), dy = std::to_string((g.y1 - g.y0) / (g.ny - 1));
        for (size_t k = 0; k < grids.size(); ++k) {
            gp << "set title " + plot::gp_quote(names[k]) + " font ',14'";
            gp << "plot '-' matrix using (" + std::to_string(g.x0) + "+$1*" + dx + "):(" + std::to_string(g.y0) + "+$2*" +
                      dy + "):3 with image notitle, "
                      "'-' using 1:2 with points pt 7 ps 0.55 lc rgb '#08306b' title 'class 0', "
                      "'-' using 1:2 with points pt 5 ps 0.55 lc rgb '#67000d' title 'class 1'";
            gp.send_rows(grids[k]);
            for (int c = 0; c < 2; ++c) {
                plot::Matrix pts;
                for (int i = 0; i < test.size(); ++i)
                    if (test.label[i] == c) pts.push_back({test.xy[2 * i], test.xy[2 * i + 1]});
                gp.send_rows(pts);
            }
        }
        gp << "unset multiplot";
        gp.finish();
    }
    // Terminal view: the MLP's surface, top row = largest y, one character per 2 × 4 cells.
    std::string text = names.back() + ": P(class 1) (" + plot::shade_legend(1.0f) + ")\n";
    for (int r = g.ny - 1; r >= 0; r -= 4) {
        for (int c = 0; c < g.nx; c += 2) text += plot::shade_char(grids.back()[r][c], 1.0f);
        text += "\n";
    }
    return text;
}

int main(int argc, char** argv) {
    LessonInfo info("03_training_loop", "the training loop: logistic regression vs a small MLP on two moons");
    info.trains = true;
    info.default_epochs = 40;
    info.quick_epochs = 20;
    info.data_help = "x<TAB>y<TAB>label (label 0 or 1, header line allowed); split 80/20 into train/test";
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const int epochs = opt.epochs;  // the total: a resumed MLP trains the rest
    const int hidden = 16, batch_size = 32;
    const float lr = 0.02f, momentum = 0.9f;

    // 1. Data: a training set and a held-out test set.
    Rng data_rng(opt.seed, 3);
    Points train, test;
    if (opt.data.empty()) {
        train = make_moons(1000, 0.15f, data_rng);
        test = make_moons(1000, 0.15f, data_rng);
    } else {
        const Points all = load_points(opt.data);
        std::vector<int> rows = all_rows(all.size());
        data_rng.shuffle(rows);
        const int n_train = all.size() * 4 / 5;
        train = subset(all, std::vector<int>(rows.begin(), rows.begin() + n_train));
        test = subset(all, std::vector<int>(rows.begin() + n_train, rows.end()));
    }
    // What --resume compares: the same points (same file or generator, same --seed).
    std::vector<std::string> point_lines;
    for (int i = 0; i < train.size(); ++i)
        point_lines.push_back(plot::format_value(train.xy[2 * i]) + " " + plot::format_value(train.xy[2 * i + 1]) + " " +
                              std::to_string(train.label[i]));
    const std::string data_source = tasks::data_fingerprint(point_lines);
    std::printf("data: %s, %d training points, %d held-out test points\n",
                opt.data.empty() ? "two moons (noise 0.15)" : opt.data.c_str(), train.size(), test.size());

    // 2. Models and their optimizers: the same SGD with momentum for both.
    LogisticRegression logreg;
    MLP mlp(hidden);
    optim::SGD logreg_opt(logreg.parameters(), lr, momentum);
    optim::SGD mlp_opt(mlp.parameters(), lr, momentum);
    std::printf("logistic regression: %zu parameters · MLP 2-%d-%d-2 (tanh): %zu parameters\n",
                logreg.parameter_count(), hidden, hidden, mlp.parameter_count());

    // --resume continues the MLP (model, momentum buffers, epoch); the logistic regression
    // trains from scratch, it takes a fraction of a second.
    int start_epoch = 0;
    if (!opt.resume.empty()) {
        const io::Metadata saved = io::read_checkpoint(opt.resume).metadata;
        tasks::check_resume(saved, opt.resume, {info.name}, {{"hidden", std::to_string(hidden)}}, data_source);
        const io::Metadata meta = io::load_checkpoint(opt.resume, mlp, &mlp_opt);
        start_epoch = std::stoi(tasks::metadata_value(meta, "epoch", opt.resume));
        std::printf("resumed the MLP from %s at epoch %d\n", opt.resume.c_str(), start_epoch);
    }

    // 3. Train both, one epoch at a time, and score them on the test set after each epoch.
    std::vector<float> curve[4];  // train loss logreg, test loss logreg, train loss MLP, test loss MLP
    Progress progress(0, epochs, 1, 2.0, "points");
    for (int epoch = 0; epoch < epochs; ++epoch) {
        curve[0].push_back(train_epoch(logreg, logreg_opt, train, batch_size, opt.seed, epoch));
        curve[1].push_back(score(logreg, test).loss);
        if (epoch >= start_epoch) {
            curve[2].push_back(train_epoch(mlp, mlp_opt, train, batch_size, opt.seed, epoch));
            curve[3].push_back(score(mlp, test).loss);
            io::save_checkpoint(opt.checkpoint, mlp, &mlp_opt,
                                {{"lesson", info.name},
                                 {"epoch", std::to_string(epoch + 1)},
                                 {"hidden", std::to_string(hidden)},
                                 {"data", data_source}});
        }
        progress.step(epoch, 0, curve[2].empty() ? curve[0].back() : curve[2].back(), train.size());
    }
    const double train_seconds = progress.elapsed_seconds();

    const Score lr_test = score(logreg, test), mlp_test = score(mlp, test);
    std::printf("\nheld-out test accuracy: logistic regression %.1f%%, MLP %.1f%%  (%d test points, trained in %.1f s)\n",
                100 * lr_test.accuracy, 100 * mlp_test.accuracy, test.size(), train_seconds);
    std::printf("\n");

    // 4. Figures: the loss curves and the two decision boundaries.
    const std::string plots = opt.plots_dir + "/";
    std::vector<plot::Series> series = {{"logistic regression (train)", {}, curve[0]},
                                        {"logistic regression (test)", {}, curve[1]}};
    if (!curve[2].empty()) {
        std::vector<float> x;
        for (int e = start_epoch; e < epochs; ++e) x.push_back(float(e + 1));
        series.push_back({"MLP (train)", x, curve[2]});
        series.push_back({"MLP (test)", x, curve[3]});
    }
    std::cout << plot::line_curves(plots + "03_loss", series, {.title = "cross-entropy per epoch", .y_label = "loss"});
    const Grid grid{-1.6f, 2.6f, -1.2f, 1.7f, 120, 84};
    std::cout << "\n" << decision_boundary_figure(plots + "03_decision_boundary", {"logistic regression", "MLP 2-16-16-2"},
                                                  {probability_grid(logreg, grid), probability_grid(mlp, grid)}, grid, test);
    write_predictions(plots + "03_training_loop_test_predictions.tsv", test, lr_test, mlp_test);
    note_output("test predictions (x, y, label, each model's prediction and confidence)",
                plots + "03_training_loop_test_predictions.tsv");
    print_outputs(opt);  // the figures, the predictions, and the checkpoint (MLP + optimizer)

    Report report;
    report.set("lesson", info.name);
    report.set("epochs", epochs);
    report.set("test_points", test.size());
    report.set("test_accuracy_logreg", lr_test.accuracy);
    report.set("test_accuracy_mlp", mlp_test.accuracy);
    report.set("test_loss_logreg", lr_test.loss);
    report.set("test_loss_mlp", mlp_test.loss);
    report.set("final_train_loss_mlp", curve[2].empty() ? 0.0 : curve[2].back());
    report.set("train_seconds", train_seconds);
    report.write(opt.report);
    return 0;
}
