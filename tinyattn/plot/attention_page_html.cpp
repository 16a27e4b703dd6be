// attention_page_html.cpp — the page attention_page() fills in: HTML, CSS and JavaScript in one
// string, no library and no network. Read top to bottom: the data, the state (which kind of
// attention, layer and heads), the head view, the model view, the controls.
#include "tinyattn/plot/attention_page.hpp"

namespace tinyattn::plot {

const char* attention_page_template() {
    return R"PAGE(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
<style>
 body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 16px; color: #222; }
 h1 { font-size: 18px; margin: 0 0 6px 0; }
 p.help { font-size: 13px; color: #555; margin: 2px 0 10px 0; max-width: 900px; }
 .controls { margin: 8px 0; font-size: 14px; }
 .controls label { margin-right: 10px; cursor: pointer; }
 .swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 3px; }
 .views { display: flex; gap: 36px; align-items: flex-start; flex-wrap: wrap; }
 h2 { font-size: 15px; margin: 6px 0; }
 svg text { font-size: 13px; cursor: default; }
 .thumb { border: 1px solid #ccc; margin: 2px; cursor: pointer; }
 .thumb.on { border: 2px solid #222; margin: 1px; }
 table.grid td, table.grid th { font-size: 11px; padding: 0; text-align: center; font-weight: normal; }
 #errors { color: #b00; }
</style></head>
<body>
<h1>@TITLE@</h1>
<p class="help">Head view: each line joins a query token (left) to a key token (right); its opacity is the
attention weight, its colour the head. Hover a left token to see only its lines. Model view: every layer
(row) and head (column) of this kind of attention; click one to open it in the head view.</p>
<div class="controls">
 <span id="kind-box">attention: <select id="kind"></select></span>
 layer: <select id="layer"></select>
 <span id="heads"></span>
</div>
<div class="views">
 <div><h2 id="head-title">head view</h2><svg id="head-view" xmlns="http://www.w3.org/2000/svg"></svg></div>
 <div><h2>model view (layers &times; heads)</h2><table class="grid" id="model-view"></table></div>
</div>
<pre id="errors"></pre>
<script id="data" type="application/json">@DATA@</script>
<script>
"use strict";
const errors = document.getElementById("errors");
window.addEventListener("error", function (e) { errors.textContent += "error: " + e.message + "\n"; });
const consoleError = console.error;
console.error = function () { errors.textContent += "console.error: " + Array.from(arguments).join(" ") + "\n";
                              consoleError.apply(console, arguments); };

// ---- the data: bertviz's keyword arguments, each layer [1][head][query][key] ----
const D = JSON.parse(document.getElementById("data").textContent);
const kinds = D.attention
  ? [{id: "self", name: "self-attention", rows: D.tokens, cols: D.tokens, layers: D.attention}]
  : [{id: "encoder", name: "encoder self-attention", rows: D.encoder_tokens, cols: D.encoder_tokens, layers: D.encoder_attention},
     {id: "decoder", name: "decoder self-attention", rows: D.decoder_tokens, cols: D.decoder_tokens, layers: D.decoder_attention},
     {id: "cross", name: "cross-attention", rows: D.decoder_tokens, cols: D.encoder_tokens, layers: D.cross_attention}];
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const colour = function (h) { return COLOURS[h % COLOURS.length]; };
const weights = function (k, l, h) { return kinds[k].layers[l][0][h]; };  // [query][key]

// ---- the state, first from the URL fragment: #kind=cross&layer=2&heads=1,3 ----
const state = {kind: 0, layer: 0, heads: []};
(function () {
  const args = new URLSearchParams(location.hash.slice(1));
  const k = kinds.findIndex(function (x) { return x.id === args.get("kind"); });
  if (k >= 0) state.kind = k;
  const nl = kinds[state.kind].layers.length, nh = kinds[state.kind].layers[0][0].length;
  const l = parseInt(args.get("layer"), 10);
  if (l >= 1 && l <= nl) state.layer = l - 1;
  state.heads = new Array(nh).fill(!args.get("heads"));
  (args.get("heads") || "").split(",").forEach(function (s) {
    const h = parseInt(s, 10);
    if (h >= 1 && h <= nh) state.heads[h - 1] = true;
  });
})();

const SVG = "http://www.w3.org/2000/svg";
function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const a in attrs) e.setAttribute(a, attrs[a]);
  if (parent) parent.appendChild(e);
  return e;
}

// ---- head view: tokens in two columns, a line per (query, key, head) ----
const ROW = 22, LEFT = 150, GAP = 220;
function drawHeadView() {
  const kind = kinds[state.kind], svg = document.getElementById("head-view");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const n = Math.max(kind.rows.length, kind.cols.length);
  svg.setAttribute("width", LEFT + GAP + 160);
  svg.setAttribute("height", n * ROW + 30);
  document.getElementById("head-title").textContent =
    "head view: " + kind.name + ", layer " + (state.layer + 1);
  const lines = el("g", {id: "lines"}, svg);
  state.heads.forEach(function (on, h) {
    if (!on) return;
    const w = weights(state.kind, state.layer, h);
    for (let i = 0; i < kind.rows.length; ++i)
      for (let j = 0; j < kind.cols.length; ++j)
        el("line", {x1: LEFT, y1: 20 + i * ROW, x2: LEFT + GAP, y2: 20 + j * ROW, stroke: colour(h),
                    "stroke-width": 2.5, "stroke-opacity": w[i][j],
                    "data-head": h, "data-i": i, "data-j": j, "data-w": String(w[i][j])}, lines);
  });
  kind.rows.forEach(function (t, i) {
    const e = el("text", {x: LEFT - 8, y: 24 + i * ROW, "text-anchor": "end"}, svg);
    e.textContent = t;
    e.addEventListener("mouseenter", function () { showOnly(i); });
    e.addEventListener("mouseleave", function () { showOnly(-1); });
  });
  kind.cols.forEach(function (t, j) {
    el("text", {x: LEFT + GAP + 8, y: 24 + j * ROW}, svg).textContent = t;
  });
}
function showOnly(i) {
  document.querySelectorAll("#lines line").forEach(function (line) {
    line.style.display = i < 0 || line.getAttribute("data-i") === String(i) ? "" : "none";
  });
}

// ---- model view: one thumbnail per layer x head ----
function drawModelView() {
  const kind = kinds[state.kind], table = document.getElementById("model-view");
  while (table.firstChild) table.removeChild(table.firstChild);
  const nh = kind.layers[0][0].length, n = Math.max(kind.rows.length, kind.cols.length);
  const step = Math.max(3, Math.min(8, Math.floor(160 / n))), height = n * step + 6;
  const head = table.insertRow();
  head.appendChild(document.createElement("th"));
  for (let h = 0; h < nh; ++h) head.appendChild(document.createElement("th")).textContent = "head " + (h + 1);
  kind.layers.forEach(function (layer, l) {
    const row = table.insertRow();
    row.appendChild(document.createElement("th")).textContent = "layer " + (l + 1);
    for (let h = 0; h < nh; ++h) {
      const svg = el("svg", {width: 80, height: height}, row.insertCell());
      svg.setAttribute("class", "thumb" + (l === state.layer && state.heads[h] ? " on" : ""));
      const w = layer[0][h];
      for (let i = 0; i < kind.rows.length; ++i)
        for (let j = 0; j < kind.cols.length; ++j)
          el("line", {x1: 8, y1: 3 + i * step, x2: 72, y2: 3 + j * step, stroke: colour(h),
                      "stroke-width": 1.2, "stroke-opacity": w[i][j]}, svg);
      svg.addEventListener("click", function () {
        state.layer = l;
        state.heads = state.heads.map(function (_, k) { return k === h; });
        render();
      });
    }
  });
}

// ---- controls ----
function drawControls() {
  const kind = kinds[state.kind];
  const kindSelect = document.getElementById("kind"), layerSelect = document.getElementById("layer");
  document.getElementById("kind-box").style.display = kinds.length > 1 ? "" : "none";
  kindSelect.innerHTML = "";
  kinds.forEach(function (k, i) { kindSelect.add(new Option(k.name, i, false, i === state.kind)); });
  layerSelect.innerHTML = "";
  kind.layers.forEach(function (_, l) { layerSelect.add(new Option(String(l + 1), l, false, l === state.layer)); });
  const heads = document.getElementById("heads");
  heads.innerHTML = "heads: ";
  state.heads.forEach(function (on, h) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = on;
    box.id = "head-" + (h + 1);
    box.addEventListener("change", function () { state.heads[h] = box.checked; render(); });
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour(h);
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(String(h + 1)));
    heads.appendChild(label);
  });
}
document.getElementById("kind").addEventListener("change", function (e) {
  state.kind = Number(e.target.value);
  state.layer = Math.min(state.layer, kinds[state.kind].layers.length - 1);
  render();
});
document.getElementById("layer").addEventListener("change", function (e) {
  state.layer = Number(e.target.value);
  render();
});

function render() {
  drawControls();
  drawHeadView();
  drawModelView();
}
render();
document.body.setAttribute("data-ready", "yes");
</script>
</body></html>
)PAGE";
}

}  // namespace tinyattn::plot
