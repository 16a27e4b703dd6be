// tinyattn.hpp — everything a lesson needs, in one include.
#pragma once

// tensors and automatic differentiation
#include "tinyattn/autograd.hpp"
#include "tinyattn/gradcheck.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tensor.hpp"

// layers
#include "tinyattn/nn/additive_attention.hpp"
#include "tinyattn/nn/attention_pooling.hpp"
#include "tinyattn/nn/conv2d.hpp"
#include "tinyattn/nn/cosine_attention.hpp"
#include "tinyattn/nn/dropout.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/gru.hpp"
#include "tinyattn/nn/hard_attention.hpp"
#include "tinyattn/nn/layer_norm.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/local_attention.hpp"
#include "tinyattn/nn/local_m_attention.hpp"
#include "tinyattn/nn/location_attention.hpp"
#include "tinyattn/nn/lstm.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/nn/multihead_attention.hpp"
#include "tinyattn/nn/positional_encoding.hpp"
#include "tinyattn/nn/scaled_dot_product.hpp"
#include "tinyattn/nn/transformer.hpp"
#include "tinyattn/nn/windowed_attention.hpp"

// training
#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/optim/clip_grad.hpp"
#include "tinyattn/optim/lr_scheduler.hpp"
#include "tinyattn/optim/sgd.hpp"

// text, decoding, metrics, figures
#include "tinyattn/data/batching.hpp"
#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/eval/metrics.hpp"
#include "tinyattn/plot/plot.hpp"

// the lesson programs' shared command line, progress line and report
#include "tinyattn/app/lesson_cli.hpp"
