// tinyattn.hpp — everything a lesson needs, in one include.
#pragma once
#include "tinyattn/autograd.hpp"
#include "tinyattn/gradcheck.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tensor.hpp"
#include "tinyattn/nn/embedding.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/nn/module.hpp"
#include "tinyattn/lesson_cli.hpp"
