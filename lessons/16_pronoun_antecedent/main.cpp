// Lesson 16 — "it → animal": does attention find what a pronoun refers to?
//
// The articles' example (seed 003 §4.2.3) is "The animal didn't cross the street because it was
// too tired", with the claim that self-attention links "it" to "animal". Here that is a
// translation task whose output shows whether the model got it: French must say "il" or "elle"
// after the antecedent's gender (datasets/toy-pronoun, gen_toy_pronoun.cpp):
//
//     the cow did not cross the bridge because it was too tired .  ->  ... qu' elle était trop fatiguée .
//     the cow did not cross the bridge because it was too long .   ->  ... qu' il était trop long .
//
// Only the adjective says which noun "it" is; position and gender alone are worth 50 % by
// construction. We train lesson 10's Transformer and lesson 07's LSTM + Bahdanau attention on it,
// score the pronoun on the test split, and measure, per layer × head, how much weight "it" puts on
// its antecedent against the other noun (encoder self-attention), and how much the output pronoun
// reads each of them (cross-attention).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include "tinyattn/data/text_file.hpp"
#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/models/transformer_seq2seq.hpp"
#include "tinyattn/tasks/head_matrices.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using tasks::TranslationData;

namespace {

// The two nouns of each test sentence (English token indices), from the corpus' third column.
struct Nouns {
    int antecedent = -1, distractor = -1, it = -1;
};

std::vector<Nouns> read_nouns(const std::string& test_file, const std::vector<data::SentencePair>& test) {
    std::map<int, Nouns> by_line;
    for (const data::Line& line : data::read_lines(test_file, "read_nouns")) {
        const std::vector<std::string> f = data::split(line.text, '\t');
        Nouns n;
        if (f.size() == 3 && std::sscanf(f[2].c_str(), "antecedent=%d distractor=%d", &n.antecedent, &n.distractor) == 2)
            by_line[line.number] = n;
    }
    std::vector<Nouns> nouns;
    for (const data::SentencePair& p : test) {
        if (!by_line.count(p.line)) throw std::runtime_error(data::where(test_file, p.line, "no antecedent=I distractor=J column"));
        Nouns n = by_line[p.line];
        n.it = int(std::find(p.src.begin(), p.src.end(), "it") - p.src.begin());
        nouns.push_back(n);
    }
    return nouns;
}

// The pronoun of a French sentence: its first "il" or "elle" ("" if none).
std::string pronoun(const Tokens& fr) {
    for (const std::string& w : fr)
        if (w == "il" || w == "elle") return w;
    return "";
}
int pronoun_index(const Tokens& fr) {
    for (size_t i = 0; i < fr.size(); ++i)
        if (fr[i] == "il" || fr[i] == "elle") return int(i);
    return -1;
}

// ---- training the Transformer (lesson 10's loop, without its curves) ----------------------------

void train_transformer(models::TransformerSeq2Seq& model, const tasks::EncodedPairs& train, int epochs, int warmup,
                       int batch_size, uint64_t seed) {
    optim::Adam adam(model.parameters(), 2e-3, 0.9, 0.98, 1e-9);
    auto schedule = optim::WarmupInverseSqrtLR::with_peak_lr(adam, 2e-3, warmup);
    Progress progress(0, epochs, tasks::batches_per_epoch(train, batch_size), 2.0, "sentences");
    model.train();
    for (int epoch = 0; epoch < epochs; ++epoch) {
        data::BatchOptions bo;
        bo.batch_size = batch_size;
        bo.seed = seed;
        const auto batches = data::make_batches(train.src_lengths, bo, epoch);
        for (size_t k = 0; k < batches.size(); ++k) {
            const data::Batch batch = data::collate_pairs(train.src, train.tgt, batches[k]);
            adam.zero_grad();
            const Tensor loss = model.loss(batch);
            loss.backward();
            optim::clip_grad_norm(adam.params(), 1.0);
            adam.step();
            schedule.step();
            progress.step(epoch, int(k), loss.item(), long(batch.tgt_lengths.size()));
        }
    }
    model.eval();
}

// ---- scoring ----------------------------------------------------------------------------------

struct PronounScore {
    double accuracy = 0.0, exact = 0.0;
    std::vector<Tokens> outputs;
};

PronounScore score(const std::vector<Tokens>& outputs, const std::vector<data::SentencePair>& test) {
    PronounScore s;
    s.outputs = outputs;
    for (size_t i = 0; i < test.size(); ++i) {
        s.accuracy += pronoun(outputs[i]) == pronoun(test[i].tgt);
        s.exact += outputs[i] == test[i].tgt;
    }
    s.accuracy /= double(test.size());
    s.exact /= double(test.size());
    return s;
}

std::vector<Tokens> translate_transformer(const models::TransformerSeq2Seq& model, const TranslationData& data,
                                          const std::vector<data::SentencePair>& test) {
    models::TransformerStepDecoder decoder(model);
    std::vector<Tokens> out;
    for (const data::SentencePair& p : test) {
        const std::vector<int> ids = data.src_vocab.encode(p.src, false, true);
        DecodeOptions o;
        o.max_length = 2 * int(ids.size()) + 10;
        Tokens hyp;
        for (int id : greedy_decode(decoder, ids, o).tokens) hyp.push_back(data.tgt_vocab.token(id));
        out.push_back(hyp);
    }
    return out;
}

// ---- where "it" looks ---------------------------------------------------------------------------

// Mean weight on the antecedent and on the distractor, and how often the antecedent gets more.
struct Reading {
    double antecedent = 0.0, distractor = 0.0, wins = 0.0;
    void add(float a, float d) { antecedent += a, distractor += d, wins += a > d; }
    void divide(double n) { antecedent /= n, distractor /= n, wins /= n; }
};

// per layer × head: encoder self-attention from "it", cross-attention from the row that outputs
// the pronoun — the Transformer teacher-forced on each test reference, in batches of 50.
//   decoder: decoder self-attention from the same row to the FRENCH nouns the decoder already wrote;
//   adjective: the cross-attention weight on the English adjective (in .antecedent; .distractor unused).
struct HeadReadings {
    std::vector<std::vector<Reading>> encoder, cross, decoder, adjective;  // [layer][head]
};

// The French position of an English noun: the first noun is word 1 in both languages; the second is
// English 6 → French 7 (le chat n' a pas traversé la RUE) or English 7 → French 9 (… été traversée par le CHAT).
int french_position(int english) { return english == 1 ? 1 : english == 6 ? 7 : 9; }

HeadReadings transformer_readings(const models::TransformerSeq2Seq& model, const TranslationData& data,
                                  const std::vector<Nouns>& nouns) {
    NoGrad no_grad;
    const auto& c = model.config;
    const auto grid = [&](int layers) { return std::vector<std::vector<Reading>>(size_t(layers), std::vector<Reading>(size_t(c.nhead))); };
    HeadReadings r{grid(c.num_encoder_layers), grid(c.num_decoder_layers), grid(c.num_decoder_layers),
                   grid(c.num_decoder_layers)};
    for (size_t first = 0; first < data.test.size(); first += 50) {
        std::vector<int> rows;
        for (size_t i = first; i < std::min(first + 50, data.test.size()); ++i) rows.push_back(int(i));
        const models::TransformerSeq2SeqOutput o = model.forward(data::collate_pairs(data.test.src, data.test.tgt, rows));
        for (size_t b = 0; b < rows.size(); ++b) {
            const Nouns& n = nouns[size_t(rows[b])];
            const int out_row = pronoun_index(data.pairs.test[size_t(rows[b])].tgt);  // row i predicts target i
            const auto enc = tasks::head_matrices(o.encoder_self_weights, int(b));
            const auto cross = tasks::head_matrices(o.decoder_cross_weights, int(b));
            const auto dec = tasks::head_matrices(o.decoder_self_weights, int(b));
            // decoder input = <bos> + French, so French word k is at input position k + 1
            const size_t fr_a = size_t(french_position(n.antecedent) + 1), fr_d = size_t(french_position(n.distractor) + 1);
            for (size_t l = 0; l < dec.size(); ++l)
                for (size_t h = 0; h < dec[l].size(); ++h) {
                    r.decoder[l][h].add(dec[l][h][size_t(out_row)][fr_a], dec[l][h][size_t(out_row)][fr_d]);
                    r.adjective[l][h].add(cross[l][h][size_t(out_row)][size_t(n.it + 3)], 0.0f);  // it was too ADJ
                }
            for (size_t l = 0; l < enc.size(); ++l)
                for (size_t h = 0; h < enc[l].size(); ++h)
                    r.encoder[l][h].add(enc[l][h][size_t(n.it)][size_t(n.antecedent)], enc[l][h][size_t(n.it)][size_t(n.distractor)]);
            for (size_t l = 0; l < cross.size(); ++l)
                for (size_t h = 0; h < cross[l].size(); ++h)
                    r.cross[l][h].add(cross[l][h][size_t(out_row)][size_t(n.antecedent)],
                                      cross[l][h][size_t(out_row)][size_t(n.distractor)]);
        }
    }
    for (auto* kind : {&r.encoder, &r.cross, &r.decoder, &r.adjective})
        for (auto& layer : *kind)
            for (Reading& x : layer) x.divide(double(data.test.size()));
    return r;
}

// The LSTM decoder's one attention, at the step that outputs the pronoun.
Reading lstm_reading(const models::Seq2Seq& model, const TranslationData& data, const std::vector<Nouns>& nouns) {
    Reading r;
    for (size_t i = 0; i < data.test.size(); ++i) {
        const plot::Matrix a = tasks::teacher_forced_attention(model, data.test, int(i));
        const auto& row = a[size_t(pronoun_index(data.pairs.test[i].tgt))];
        r.add(row[size_t(nouns[i].antecedent)], row[size_t(nouns[i].distractor)]);
    }
    r.divide(double(data.test.size()));
    return r;
}

void print_readings(const char* title, const std::vector<std::vector<Reading>>& layers, std::vector<std::string>& names,
                    plot::Series& antecedent, plot::Series& distractor) {
    std::printf("%s\n  %-8s %12s %12s %18s\n", title, "", "antecedent", "other noun", "antecedent > other");
    for (size_t l = 0; l < layers.size(); ++l)
        for (size_t h = 0; h < layers[l].size(); ++h) {
            const Reading& x = layers[l][h];
            const std::string name = "L" + std::to_string(l + 1) + " H" + std::to_string(h + 1);
            std::printf("  %-8s %12.3f %12.3f %17.1f%%\n", name.c_str(), x.antecedent, x.distractor, 100.0 * x.wins);
            names.push_back(name);
            antecedent.y.push_back(float(x.antecedent));
            distractor.y.push_back(float(x.distractor));
        }
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("16_pronoun_antecedent", "\"it\" → il / elle: does attention find the antecedent? Transformer vs LSTM + attention");
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    const std::string plots = opt.plots_dir + "/16_";
    const std::string corpus = std::string(TINYATTN_SOURCE_DIR) + "/datasets/toy-pronoun";
    Report report;
    report.set("lesson", info.name);

    // ---- 1. Data, and what the shortcuts would score --------------------------------------------
    const TranslationData data = tasks::prepare_translation(tasks::load_translation_corpus(corpus, opt.seed));
    const std::vector<Nouns> nouns = read_nouns(corpus + "/test.tsv", data.pairs.test);
    const tasks::EncodedPairs train = opt.quick ? tasks::head(data.train, 2000) : data.train;
    // The pronoun is the last thing both models learn (the rest of the sentence is right long
    // before); --quick takes more, smaller steps (batches of 16) to get there in its time.
    const int batch_size = opt.quick ? 16 : 32;
    std::printf("corpus toy-pronoun: %zu train / %zu test pairs, vocab %d English / %d French\n", train.size(),
                data.test.size(), data.src_vocab.size(), data.tgt_vocab.size());
    double always_il = 0, first_noun = 0, nearest_noun = 0, the_animal = 0;
    for (size_t i = 0; i < nouns.size(); ++i) {
        const bool passive = data.pairs.test[i].src[2] != "did";
        const int animal_at = passive ? 7 : 1;
        always_il += pronoun(data.pairs.test[i].tgt) == "il";
        first_noun += nouns[i].antecedent < nouns[i].distractor;
        nearest_noun += nouns[i].antecedent > nouns[i].distractor;
        the_animal += nouns[i].antecedent == animal_at;
    }
    const double n_test = double(nouns.size());
    std::printf("shortcuts on the test split: always \"il\" %.1f%%, the first noun's gender %.1f%%, the nearest "
                "noun's %.1f%%, the animal's %.1f%%\n\n", 100 * always_il / n_test, 100 * first_noun / n_test,
                100 * nearest_noun / n_test, 100 * the_animal / n_test);

    // ---- 2. Lesson 10's Transformer ---------------------------------------------------------------
    models::TransformerConfig cfg;
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    cfg.d_model = 64;  // half of lesson 10's width: 45 + 60 words need less, and it trains 3x faster
    cfg.dim_feedforward = 256;
    models::TransformerSeq2Seq transformer(cfg);
    const int transformer_epochs = opt.quick ? 5 : 8, warmup = 100;  // 125 steps per epoch either way
    std::printf("Transformer (lesson 10: d_model %d, %d heads, %d + %d layers), %d epochs\n", cfg.d_model, cfg.nhead,
                cfg.num_encoder_layers, cfg.num_decoder_layers, transformer_epochs);
    Timer timer;
    train_transformer(transformer, train, transformer_epochs, warmup, batch_size, opt.seed);
    const PronounScore t = score(translate_transformer(transformer, data, data.pairs.test), data.pairs.test);
    std::printf("Transformer: pronoun %.1f%%, whole sentence exact %.1f%% (%.0f s)\n\n", 100 * t.accuracy,
                100 * t.exact, timer.seconds());

    // ---- 3. Lesson 07's LSTM + Bahdanau attention -------------------------------------------------
    models::Seq2SeqConfig lcfg;
    lcfg.src_vocab = data.src_vocab.size();
    lcfg.tgt_vocab = data.tgt_vocab.size();
    models::Seq2Seq lstm(lcfg, models::make_bahdanau_decoder);
    optim::Adam adam(lstm.parameters(), 3e-3);
    const int lstm_epochs = opt.quick ? 2 : 5;
    std::printf("LSTM + Bahdanau attention (lesson 07: embedding %d, hidden %d), %d epochs\n", lcfg.embedding_dim,
                lcfg.hidden_size, lstm_epochs);
    timer = Timer();
    long step = 0;
    tasks::train_epochs(tasks::seq2seq_trainee(lstm), adam, data, train, {batch_size, 1.0, opt.seed}, info.name, "", 0,
                        lstm_epochs, step);
    std::vector<Tokens> lstm_out;
    for (const data::SentencePair& p : data.pairs.test)
        lstm_out.push_back(tasks::translate(lstm, data.src_vocab, data.tgt_vocab, p.src).hyp);
    const PronounScore s = score(lstm_out, data.pairs.test);
    std::printf("LSTM + attention: pronoun %.1f%%, whole sentence exact %.1f%% (%.0f s)\n\n", 100 * s.accuracy,
                100 * s.exact, timer.seconds());

    // ---- 4. Where "it" looks ----------------------------------------------------------------------
    const HeadReadings r = transformer_readings(transformer, data, nouns);
    std::vector<std::string> enc_names, cross_names;
    plot::Series enc_a{"antecedent", {}, {}}, enc_d{"the other noun", {}, {}};
    plot::Series cross_a{"antecedent", {}, {}}, cross_d{"the other noun", {}, {}};
    print_readings("Transformer encoder self-attention: the weight from \"it\" to each noun (test mean)", r.encoder,
                   enc_names, enc_a, enc_d);
    print_readings("\nTransformer cross-attention: the weight from the output \"il\"/\"elle\" to each source noun", r.cross,
                   cross_names, cross_a, cross_d);
    std::vector<std::string> dec_names;
    plot::Series dec_a{"antecedent (French)", {}, {}}, dec_d{"the other noun (French)", {}, {}};
    print_readings("\nTransformer decoder self-attention: the weight from the row that outputs the pronoun to the "
                   "French nouns already written", r.decoder, dec_names, dec_a, dec_d);
    std::printf("\nTransformer cross-attention from that row to the English adjective (too / very ADJ):");
    for (size_t l = 0; l < r.adjective.size(); ++l)
        for (size_t h = 0; h < r.adjective[l].size(); ++h)
            std::printf(" L%zu H%zu %.3f", l + 1, h + 1, r.adjective[l][h].antecedent);
    std::printf("\n");
    const Reading lr = lstm_reading(lstm, data, nouns);
    std::printf("\nLSTM + attention, at the step that outputs the pronoun: antecedent %.3f, other noun %.3f "
                "(antecedent more in %.1f%%)\n\n", lr.antecedent, lr.distractor, 100 * lr.wins);
    cross_names.push_back("LSTM+attn");
    cross_a.y.push_back(float(lr.antecedent));
    cross_d.y.push_back(float(lr.distractor));
    std::cout << plot::bucket_bars(plots + "encoder_it", enc_names, {enc_a, enc_d},
                                   {.title = "encoder self-attention from \"it\": antecedent vs the other noun",
                                    .x_label = "layer, head", .y_label = "mean weight"})
              << plot::bucket_bars(plots + "decoder_pronoun", dec_names, {dec_a, dec_d},
                                   {.title = "decoder self-attention from the pronoun's row to the French nouns",
                                    .x_label = "layer, head", .y_label = "mean weight"})
              << plot::bucket_bars(plots + "cross_pronoun", cross_names, {cross_a, cross_d},
                                   {.title = "attention from the output pronoun to the source nouns",
                                    .x_label = "Transformer layer, head (and the LSTM's one attention)",
                                    .y_label = "mean weight"});

    // ---- 5. One sentence, every head, for the browser ------------------------------------------------
    const data::SentencePair& pair = data.pairs.test[0];
    models::TransformerSeq2SeqOutput inside;
    {
        NoGrad no_grad;
        inside = transformer.forward(data::collate_pairs({data.test.src[0]}, {data.tgt_vocab.encode(t.outputs[0])}, {0}));
    }
    plot::ModelAttention views;
    views.encoder_tokens = pair.src;
    views.encoder_tokens.push_back("<eos>");
    views.decoder_tokens = {"<bos>"};
    views.decoder_tokens.insert(views.decoder_tokens.end(), t.outputs[0].begin(), t.outputs[0].end());
    views.encoder_attention = tasks::head_matrices(inside.encoder_self_weights);
    views.decoder_attention = tasks::head_matrices(inside.decoder_self_weights);
    views.cross_attention = tasks::head_matrices(inside.decoder_cross_weights);
    plot::attention_page(plots + "attention.html", "lesson 16: " + data::join(pair.src), views);
    std::printf("\nfigures: %sencoder_it.png, %sdecoder_pronoun.png, %scross_pronoun.png; open %sattention.html in a "
                "browser\n", plots.c_str(), plots.c_str(), plots.c_str(), plots.c_str());

    report.set("pronoun_accuracy_transformer", t.accuracy);
    report.set("pronoun_accuracy_lstm_attention", s.accuracy);
    report.set("exact_match_transformer", t.exact);
    report.set("exact_match_lstm_attention", s.exact);
    report.set("shortcut_always_il", always_il / n_test);
    report.set("shortcut_first_noun", first_noun / n_test);
    double best_encoder_wins = 0.0;
    for (const auto& layer : r.encoder)
        for (const Reading& x : layer) best_encoder_wins = std::max(best_encoder_wins, x.wins);
    report.set("best_encoder_head_antecedent_wins", best_encoder_wins);
    double best_decoder_wins = 0.0;
    for (const auto& layer : r.decoder)
        for (const Reading& x : layer) best_decoder_wins = std::max(best_decoder_wins, x.wins);
    report.set("best_decoder_head_antecedent_wins", best_decoder_wins);
    report.write(opt.report);
    return 0;
}
