// translation.hpp — the plumbing every translation lesson shares (06, 07, 08, 10, 11), one
// concept per header: pair_data (load, split, encode), training_loop (the one loop),
// translation_eval (translate, score, report), translation_checkpoint (save, check, resume),
// subword_data (--bpe N: byte-pair pieces instead of words) and rare_words (BLEU by word rarity).
//
// The lessons keep the interesting part (which model, what to plot) and call these for the rest:
//
//     PairSplits pairs = load_translation_corpus(opt.data.empty() ? shipped_dir : opt.data, opt.seed);
//     TranslationData data = prepare_translation(std::move(pairs));
//     models::Seq2Seq model({.src_vocab = data.src_vocab.size(), .tgt_vocab = data.tgt_vocab.size()},
//                           models::make_bahdanau_decoder);
//     optim::Adam adam(model.parameters(), 2e-3);
//     train_epochs({model, [&](const data::Batch& b) { return model.loss(b); }, seq2seq_config(model)},
//                  adam, data, data.train, {32, 1.0, seed}, "06_seq2seq", checkpoint, 0, epochs, step);
//     TranslationEval eval = evaluate_translation(model, data, data.pairs.test.size());
//
// Conventions: sources are encoded with <eos> appended (the decoder can attend to "the end" when
// it decides to stop); targets without specials (collate_pairs adds <bos>/<eos>). Vocabularies
// come from the TRAIN split only, so test words never seen in training become <unk> — as they
// would for any new sentence. BLEU is corpus BLEU-4 on the tokenized test split.
#pragma once

#include "tinyattn/tasks/pair_data.hpp"
#include "tinyattn/tasks/training_loop.hpp"
#include "tinyattn/tasks/translation_checkpoint.hpp"
#include "tinyattn/tasks/translation_eval.hpp"
