// classification.hpp — what the sentiment lessons (04, 05, 09) share: labelled text in,
// batches out, one training loop with checkpoints, and accuracy per phenomenon on the test split.
//
// The lessons differ only in their model. Each model is a TextClassifier: it reads a padded
// batch of token ids (with the true lengths) and returns class scores, and, if it uses
// attention, the weights and a penalty to add to the loss:
//
//     loss = cross_entropy(logits, labels) + penalty_coef · penalty
//
// The shipped corpus datasets/toy-sentiment/{train,valid,test}.tsv has lines
// `text<TAB>label<TAB>phenomenon`; evaluate() reports the accuracy per phenomenon (plain,
// intensifier, hedge, negation, contrast) so a lesson can show where word order matters.
// A learner's own `text<TAB>label` file (--data) is split 80/10/10 with the seeded Rng and
// has one phenomenon, "all".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tinyattn/data/batching.hpp"
#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/optim/optimizer.hpp"
#include "tinyattn/tasks/early_stopping.hpp"

namespace tinyattn::tasks {

// The --data file format of the sentiment lessons, for their --help.
inline constexpr const char* kLabelledDataFormat =
    "a FILE of text<TAB>label lines (or label<TAB>text; a header naming the\n"
    "                    label column and CRLF fine), shuffled with --seed and split 80/10/10; or a\n"
    "                    DIRECTORY holding train.tsv, valid.tsv and test.tsv. At least 2 labels,\n"
    "                    each on max(2, 1% of the lines); texts cut to their first 200 tokens";

// ---- data ------------------------------------------------------------------------------------

// Every text (shipped or --data) is cut to its first kMaxTextTokens tokens before it becomes ids,
// so a batch is at most 64 × 200 token slots whatever the file holds: one 10 MB line costs the
// loader a few times its size while it is tokenized (linear in the file), never a huge tensor.
inline constexpr int kMaxTextTokens = 200;
// Fewer test examples than this and the accuracy is too coarse to mean anything: a warning.
inline constexpr int kFewTestExamples = 50;

// One split, with every sentence already turned into token ids.
struct TextSplit {
    std::vector<data::LabelledExample> examples;  // the text, its tokens and label
    std::vector<std::vector<int>> ids;            // token ids (unknown words -> <unk>)
    std::vector<int> labels;                      // label ids
    std::vector<std::string> phenomena;           // third column, or "all"
    int size() const { return int(ids.size()); }
};

struct TextData {
    TextSplit train, valid, test;
    std::vector<std::string> labels;  // label id -> name ("neg", "pos")
    data::Vocab vocab;                // built from the training split only
    std::string source;               // what was loaded, for messages and result files
    std::string fingerprint;          // of the whole training split (tasks/lesson_checkpoint.hpp)
    int cut = 0;                      // texts cut to kMaxTextTokens
};

// Prints the class list with its counts in the training split, how many texts were cut, and a
// warning when the test split is too small (load_text_data calls it).
void print_data_summary(const TextData& data);

// The shipped toy-sentiment corpus when `data_path` is empty; else the learner's file
// (split 80/10/10, shuffled with Rng(seed)) or a directory holding train.tsv, valid.tsv and
// test.tsv. `resume` (may be empty) is a checkpoint whose vocabulary is reused, as --resume needs.
// Else the vocabulary keeps the training words seen at least `min_freq` times, at most `max_size`
// tokens (0: no cap): the rarer ones become <unk> in the training split too, so <unk> is trained
// (tasks::prepare_translation says why). Prints the share of <unk> tokens in each split.
TextData load_text_data(const std::string& data_path, uint64_t seed, const std::string& resume = "",
                        int min_freq = 1, int max_size = 0);

// The padded batches of one epoch: shuffled and bucketed by length when `shuffle`, seeded by
// (seed, epoch) so a resumed run sees the same batches; in length order otherwise.
std::vector<data::ClassBatch> make_class_batches(const TextSplit& split, int batch_size, bool shuffle,
                                                 uint64_t seed = 1, int epoch = 0);

// Keep only the first n examples (n <= 0 or >= size: all), e.g. a --quick run's training set.
void keep_first(TextSplit& split, int n);

// A batch holding the single example `index` (for figures of one sentence).
data::ClassBatch single_example(const TextSplit& split, int index);

// [B, T] float mask, 1 where the batch is padding (the mask the attention modules take).
Tensor padding_mask(const data::ClassBatch& batch);

// ---- models ----------------------------------------------------------------------------------

struct ClassifierOutput {
    Tensor logits;     // [B, classes]
    Tensor attention;  // [B, hops, T] for attention models, else undefined
    Tensor penalty;    // a scalar to add to the loss (times penalty_coef), else undefined
};

class TextClassifier : public nn::Module {
public:
    virtual ClassifierOutput forward(const data::ClassBatch& batch) const = 0;
};

// ---- training --------------------------------------------------------------------------------

struct TrainConfig {
    std::string lesson;        // written into the checkpoint
    int epochs = 10;
    int batch_size = 64;
    double clip_norm = 5.0;    // clip_grad_norm before each step (0: off)
    float penalty_coef = 0.0f; // weight of ClassifierOutput::penalty
    uint64_t seed = 1;
    std::string checkpoint;    // saved after every epoch (empty: never), one self-contained file
    std::string resume;        // continue from this checkpoint (empty: from scratch)
    bool verbose = true;       // progress lines and a line per epoch
    // Early stopping on the validation accuracy (tasks/early_stopping.hpp): --patience, --keep-last.
    EarlyStopping stopping = {};
};

// The training settings a lesson's command line gives: lesson name, epochs (the total), seed,
// checkpoint and resume paths, early stopping (--patience, --keep-last).
TrainConfig train_config(const LessonInfo& info, const LessonOptions& opt);

struct TrainResult {
    std::vector<float> train_loss;      // mean loss per epoch (all epochs, resumed ones too)
    std::vector<float> valid_accuracy;  // accuracy on the validation split after each epoch
    int start_epoch = 0;                // > 0 when resumed
    double seconds = 0.0;               // training time of this run
    int kept_epoch = 0;                 // the epoch whose weights the model holds (the best one with early stopping)
    EarlyStopping stopping;             // its state (resumed and saved with the checkpoint)
};

// The training loop: for each epoch, for each batch,
//     zero_grad → forward → loss (+ penalty) → backward → clip → step
// then the validation accuracy, and a checkpoint (model, optimizer, epoch, curves, vocab file).
// With config.stopping on, the checkpoint is saved only for a better validation accuracy (and to
// <checkpoint>.last every epoch with keep_last), training stops after `patience` epochs without
// one, and the model ends holding the best epoch's weights.
TrainResult train_classifier(TextClassifier& model, optim::Optimizer& optimizer, const TextData& data,
                             const TrainConfig& config);

// Save / restore everything a resumed run needs, in one file: model, optimizer, global RNG, and
// in the metadata the lesson, epoch, curves, label list, vocabulary and data fingerprint.
// Loading refuses (one line) a checkpoint of another lesson or other data.
void save_classifier_checkpoint(const std::string& path, const TextClassifier& model,
                                const optim::Optimizer& optimizer, const TextData& data, const TrainConfig& config,
                                const TrainResult& so_far);
TrainResult load_classifier_checkpoint(const std::string& path, TextClassifier& model, optim::Optimizer& optimizer,
                                       const TextData& data, const TrainConfig& config);

// ---- evaluation ------------------------------------------------------------------------------

struct GroupAccuracy {
    std::string name;  // "negation", or "all" for the whole split
    int count = 0;
    double accuracy = 0.0;
};

struct Evaluation {
    double accuracy = 0.0;
    std::vector<GroupAccuracy> groups;  // known phenomena in the corpus order, then others, then "all"
    std::vector<int> predictions;       // per example of the split
    std::vector<float> confidence;      // the probability of the predicted class
    // The examples with a word the model reads as <unk> (an id of Vocab::unk_id), and the accuracy
    // on them and on the others (0 for an empty group).
    int with_unk = 0, without_unk = 0;
    double accuracy_with_unk = 0.0, accuracy_without_unk = 0.0;
    double accuracy_of(const std::string& group) const;  // throws if the group is missing
};

// Predictions for every example of `split` (no graph, eval mode) and accuracy per phenomenon.
Evaluation evaluate(TextClassifier& model, const TextSplit& split, int batch_size = 256);

// "plain 98.8% (240) · negation 51.4% (280) · ... · all 79.2% (1000)", then on a second line
// "  with an unknown word (⟨unk:word⟩) 70.2% (570) · without 85.0% (430)"
std::string format_groups(const Evaluation& evaluation);

// A few test examples per phenomenon with the reference label and the prediction, the words the
// model reads as <unk> marked ⟨unk:word⟩:
//   [negation] the plot was not dull .   reference pos · predicted pos (p = 0.93) ✓
std::string example_lines(const TextData& data, const TextSplit& split, const Evaluation& evaluation, int per_group = 2);

// The --report fields every sentiment lesson writes: lesson, epochs, test_accuracy,
// test_accuracy_<group> for each group, final_train_loss, train_seconds.
void report_results(Report& report, const std::string& lesson, int epochs, const Evaluation& test,
                    const TrainResult& trained);

// Writes `split` with the model's answers as a TSV with a header, one line per example:
//     text<TAB>label<TAB>prediction<TAB>confidence
// the text's tokens joined by spaces with the words unknown to the model marked ⟨unk:word⟩.
void write_predictions(const std::string& path, const TextData& data, const TextSplit& split,
                       const Evaluation& evaluation);
// What every sentiment lesson keeps of its test run: writes <plots>/<lesson>_test_predictions.tsv
// (listed at the end by print_outputs) and sets the report keys test_sentences_with_unk,
// test_accuracy_with_unk, test_accuracy_without_unk.
void save_test_results(Report& report, const LessonOptions& opt, const std::string& lesson, const TextData& data,
                       const Evaluation& test);

// ---- results that later lessons compare against ------------------------------------------------

// A small TSV with the model name, the data source and one line per group:
//     # model<TAB>bag of embeddings
//     # data<TAB>datasets/toy-sentiment
//     group<TAB>count<TAB>accuracy
//     plain<TAB>240<TAB>0.9875 ...
void write_results(const std::string& path, const std::string& model_name, const std::string& source,
                   const Evaluation& evaluation);

struct SavedResults {
    bool found = false;        // false: no file (run the earlier lesson first)
    std::string model_name, source;
    std::vector<GroupAccuracy> groups;
};
SavedResults read_results(const std::string& path);

// The group accuracies in percent, in the order of `names` (a missing group is 0), for figures.
std::vector<float> percentages_for(const std::vector<GroupAccuracy>& groups, const std::vector<std::string>& names);

// The per-phenomenon bar chart comparing this model with earlier lessons: reads each of
// `earlier_results` (files written by write_results) and draws their bars beside this model's
// (plot::bucket_bars at `figure_path`). A missing file, or one trained on other data, is left
// out with a note in the returned text, which also holds the chart's terminal view.
std::string compare_per_phenomenon(const std::string& figure_path, const std::vector<std::string>& earlier_results,
                                   const std::string& model_name, const std::string& source,
                                   const Evaluation& evaluation);

}  // namespace tinyattn::tasks
