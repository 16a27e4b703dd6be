// plot.hpp — every figure in one include: `#include "tinyattn/plot/plot.hpp"`.
// Each figure writes <path>.png (when gnuplot is installed) and <path>.txt, and
// returns its terminal view; see the individual headers.
#pragma once
#include "tinyattn/plot/attention_json.hpp"
#include "tinyattn/plot/attention_page.hpp"
#include "tinyattn/plot/curves.hpp"
#include "tinyattn/plot/head_grid.hpp"
#include "tinyattn/plot/head_view.hpp"
#include "tinyattn/plot/heatmap.hpp"
#include "tinyattn/plot/highlight.hpp"
#include "tinyattn/plot/image_attention.hpp"
#include "tinyattn/plot/terminal_view.hpp"
