// Lesson 08 — Luong attention: four ways to score the source, compared on the same task.
//
// Trains four copies of lesson 07's encoder–decoder whose decoder follows Luong et al. 2015
// (tinyattn/models/luong.hpp: cell first, attention with s_t, attentional state h̃_t) with the
// global dot, general and concat scores and local-p attention, each for the same number of steps
// on the same training pairs (one epoch each by default, half of lesson 07's steps); scores each on
// the held-out test split (corpus BLEU-4, exact match, training time) and draws the four
// alignments of one test sentence side by side.
// --input-feeding feeds h̃_{t-1} into the next step (Luong's section 3.3) in all four; --unscaled
// scores with s_t itself as the paper does, instead of s_t / √H (see tinyattn/models/luong.hpp).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "tinyattn/autograd.hpp"
#include "tinyattn/models/luong.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/panel_grid.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using models::LuongVariant;
namespace fs = std::filesystem;

namespace {

constexpr double kLearningRate = 3e-3;       // lesson 07's
constexpr double kQuickLearningRate = 1e-2;  // --quick: 3e-3 learns too little in 125 steps
constexpr int kBatchSize = 32;
constexpr size_t kQuickTrainPairs = 4000;  // --quick: 125 steps per variant
constexpr int kWindow = 5;              // local-p: half-width D of the window (σ = D/2)
const LuongVariant kVariants[] = {LuongVariant::dot, LuongVariant::general, LuongVariant::concat,
                                  LuongVariant::local_p};

// One checkpoint per variant beside --checkpoint: build/08_luong.ckpt -> build/08_luong_dot.ckpt, ...
std::string variant_path(const std::string& base, LuongVariant v) {
    return fs::path(base).replace_extension("").string() + "_" + models::luong_variant_name(v) + ".ckpt";
}

// What a variant's checkpoint records about its model (and --resume compares): lesson 07's sizes and which decoder.
io::Metadata variant_config(const models::Seq2Seq& model, const models::LuongOptions& lo) {
    io::Metadata config = tasks::seq2seq_config(model);
    config["decoder"] = "luong";
    config["attention"] = models::luong_variant_name(lo.variant);
    config["input_feeding"] = lo.input_feeding ? "1" : "0";
    config["window"] = std::to_string(lo.window);
    config["scaled"] = lo.scaled ? "1" : "0";
    return config;
}

// The sentence the figure shows: the first test pair of 9–10 words whose French has "pas"
// (one-to-two: not -> ne … pas); at that length one usually has an adjective that moves after its
// noun too. 0 if there is none (a learner's corpus).
int pick_example(const std::vector<data::SentencePair>& test) {
    for (size_t i = 0; i < test.size(); ++i) {
        const size_t n = test[i].src.size();
        const bool pas = std::find(test[i].tgt.begin(), test[i].tgt.end(), "pas") != test[i].tgt.end();
        if (pas && n >= 9 && n <= 10) return int(i);
    }
    return 0;
}

struct Result {
    LuongVariant variant;
    size_t parameters = 0;
    double train_seconds = 0, train_loss = 0;
    int epochs = 0;
    long steps = 0;
    tasks::TranslationEval eval;
    plot::Matrix alignment;
};

// Builds, (resumes,) trains and scores one variant.
Result run_variant(LuongVariant v, bool input_feeding, bool scaled, const LessonOptions& opt,
                   const tasks::LessonData& loaded, const tasks::EncodedPairs& train_set, int epochs,
                   size_t test_size, int example) {
    const tasks::TranslationData& data = loaded.data;
    models::Seq2SeqConfig cfg;  // lesson 07's sizes: embedding 64, hidden 128
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    const models::LuongOptions lo{v, input_feeding, kWindow, scaled};
    Rng rng(opt.seed);  // every variant starts from the same seed
    const std::unique_ptr<models::Seq2Seq> model = models::make_luong_seq2seq(cfg, lo, rng);
    optim::Adam adam(model->parameters(), opt.quick ? kQuickLearningRate : kLearningRate);
    Result r;
    r.variant = v;
    r.parameters = model->parameter_count();
    r.steps = loaded.step;
    const tasks::TrainConfig tc{kBatchSize, 1.0, opt.seed};
    tasks::Trainee trainee = tasks::seq2seq_trainee(*model);
    trainee.config = variant_config(*model, lo);  // which Luong decoder, for checkpoints and --resume
    if (!opt.resume.empty())
        tasks::load_translation_checkpoint(variant_path(opt.resume, v), *model, trainee.config, adam, data, {"08_luong"});
    std::printf("\n== %s%s: %zu parameters ==\n", models::luong_variant_name(v),
                input_feeding ? " + input feeding" : "", r.parameters);
    const std::string ckpt = variant_path(opt.checkpoint, v);
    Timer timer;
    r.epochs = std::max(loaded.first_epoch, epochs);
    r.train_loss = tasks::train_epochs(trainee, adam, data, train_set, tc, "08_luong", ckpt, loaded.first_epoch, epochs,
                                       r.steps);
    r.train_seconds = timer.seconds();
    r.eval = tasks::evaluate_translation(*model, data, test_size, tasks::length_edges(data.pairs.test));
    r.alignment = tasks::teacher_forced_attention(*model, data.test, example);
    std::printf("%s: test BLEU %.4f, exact match %.1f%%, trained in %s\n", models::luong_variant_name(v), r.eval.bleu,
                100.0 * r.eval.exact_match, format_duration(r.train_seconds).c_str());
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    // Our one extra flag; everything else goes to the shared parser.
    bool input_feeding = false, scaled = true;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--input-feeding") == 0) input_feeding = true;
        else if (std::strcmp(argv[i], "--unscaled") == 0) scaled = false;
        else args.push_back(argv[i]);
    }
    LessonInfo info("08_luong",
                    "Luong attention (dot, general, concat, local-p) on toy English→French. Extra flags: "
                    "--input-feeding (feed h̃_{t-1} into the next step), --unscaled (the paper's raw scores, not "
                    "/√H). --checkpoint/--resume take one base path (one file per variant)");
    info.trains = true;
    info.default_epochs = 1;
    info.quick_epochs = 1;
    info.data_help = tasks::kPairDataFormat;
    const LessonOptions opt = parse_lesson_args(int(args.size()), args.data(), info);
    Timer total;

    // ---- 1. Data: lesson 07's corpus and vocabularies, a training subset for each variant -------
    LessonOptions data_opt = opt;  // a resumed run reads its vocabularies from the first variant's checkpoint
    if (!opt.resume.empty()) data_opt.resume = variant_path(opt.resume, kVariants[0]);
    const tasks::LessonData loaded = tasks::load_lesson_data(data_opt, "toy-en-fr");
    const tasks::TranslationData& data = loaded.data;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, kQuickTrainPairs) : data.train;
    const size_t test_size = opt.quick ? 100 : data.test.size();
    const int epochs = opt.epochs;  // the total: a resumed run trains the rest
    std::printf("corpus %s: training each variant on %zu of %zu train pairs for %d epoch(s); %zu test pairs; "
                "vocab %d English / %d French\n",
                data.pairs.name.c_str(), train_set.size(), data.train.size(), epochs, test_size,
                data.src_vocab.size(), data.tgt_vocab.size());
    std::printf("Adam lr %g, batch %d, clipping at norm 1; local-p window D = %d; input feeding %s; scores %s\n",
                opt.quick ? kQuickLearningRate : kLearningRate, kBatchSize, kWindow, input_feeding ? "on" : "off",
                scaled ? "scaled by 1/sqrt(H)" : "unscaled");

    // ---- 2. Train and score the four variants -----------------------------------------------------
    const int example = pick_example(data.pairs.test);
    std::vector<Result> results;
    for (LuongVariant v : kVariants)
        results.push_back(run_variant(v, input_feeding, scaled, opt, loaded, train_set, epochs, test_size, example));

    // ---- 3. The table ------------------------------------------------------------------------------
    std::printf("\ntest split (%zu sentences, greedy decoding, corpus BLEU-4):\n\n", test_size);
    std::printf("| score    | parameters | test BLEU | exact match | training time |\n");
    std::printf("|----------|-----------:|----------:|------------:|--------------:|\n");
    for (const Result& r : results)
        std::printf("| %-8s | %10zu | %9.4f | %10.1f%% | %13s |\n", models::luong_variant_name(r.variant),
                    r.parameters, r.eval.bleu, 100.0 * r.eval.exact_match, format_duration(r.train_seconds).c_str());
    std::printf("\nthe general model's first test translations:\n\n");
    tasks::print_translations(results[1].eval, 3);

    // ---- 4. The four alignments of one sentence, side by side ----------------------------------
    const data::SentencePair& pair = data.pairs.test[size_t(example)];
    Tokens cols = pair.src, rows = pair.tgt;
    cols.push_back("<eos>");
    rows.push_back("<eos>");
    std::vector<std::vector<plot::Panel>> grid(1);
    for (const Result& r : results)
        grid[0].push_back(plot::make_panel("08_luong", r.alignment, cols, rows, -1, -1,
                                           models::luong_variant_name(r.variant)));
    const std::string align_path = (fs::path(opt.plots_dir) / "08_luong_alignments").string();
    const std::string title = "Luong attention, four scores (teacher forcing on the reference)";
    std::cout << "\n" << plot::panel_grid_figure(align_path, grid, title, 1.0f, "08_luong");

    // BLEU by source length for the four, one bar each.
    std::vector<plot::Series> series;
    for (const Result& r : results) {
        plot::Series s{models::luong_variant_name(r.variant), {}, {}};
        for (const BleuBucket& b : r.eval.buckets) s.y.push_back(float(b.bleu));
        series.push_back(s);
    }
    std::cout << "\n"
              << plot::bucket_bars((fs::path(opt.plots_dir) / "08_luong_bleu_by_length").string(),
                                   tasks::bucket_labels(results[0].eval.buckets), series,
                                   {.title = "test BLEU by source length, four Luong scores",
                                    .x_label = "source words (sentences)", .y_label = "corpus BLEU-4 (0 to 1)"});

    // ---- 5. Report ------------------------------------------------------------------------------------
    Report report;
    report.set("lesson", "08_luong");
    report.set("corpus", data.pairs.name);
    report.set("test_sentences", double(test_size));
    report.set("train_pairs", double(train_set.size()));
    report.set("epochs", results[0].epochs);
    report.set("input_feeding", input_feeding ? 1.0 : 0.0);
    report.set("scaled", scaled ? 1.0 : 0.0);
    double min_bleu = 1.0;
    for (const Result& r : results) {
        std::string key = models::luong_variant_name(r.variant);
        if (key == "local-p") key = "local_p";
        report.set(key + "_test_bleu", r.eval.bleu);
        report.set(key + "_test_exact_match", r.eval.exact_match);
        report.set(key + "_train_seconds", r.train_seconds);
        report.set(key + "_final_train_loss", r.train_loss);
        report.set(key + "_steps", double(r.steps));
        min_bleu = std::min(min_bleu, r.eval.bleu);
    }
    report.set("min_test_bleu", min_bleu);
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    std::printf("\n");
    print_outputs(opt);
    std::printf("checkpoints: one per variant, e.g. %s\n", variant_path(opt.checkpoint, kVariants[0]).c_str());
    return 0;
}
