// tinyattn.hpp — everything a lesson needs, in one include.
#pragma once
#include "tinyattn/autograd.hpp"
#include "tinyattn/gradcheck.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/rng.hpp"
#include "tinyattn/tensor.hpp"
