// captioning.cpp — batches and scores for lesson 13 (see captioning.hpp).
#include "tinyattn/tasks/captioning.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "tinyattn/eval/metrics.hpp"

namespace tinyattn::tasks {

CaptionBatch make_caption_batch(const std::vector<data::CaptionedImage>& examples, const std::vector<int>& order,
                                size_t begin, size_t end, const data::Vocab& vocab) {
    CaptionBatch b;
    b.batch = int(end - begin);
    for (size_t i = begin; i < end; ++i) b.steps = std::max(b.steps, int(examples[size_t(order[i])].caption.size()) + 1);
    const int S = examples[size_t(order[begin])].size;
    std::vector<float> pixels;
    pixels.reserve(size_t(b.batch) * 3 * S * S);
    b.inputs.assign(size_t(b.batch) * b.steps, data::Vocab::pad_id);
    b.targets.assign(size_t(b.batch) * b.steps, data::Vocab::pad_id);
    for (int k = 0; k < b.batch; ++k) {
        const data::CaptionedImage& ex = examples[size_t(order[begin + size_t(k)])];
        pixels.insert(pixels.end(), ex.pixels.begin(), ex.pixels.end());
        const std::vector<int> ids = vocab.encode(ex.caption);
        b.inputs[size_t(k) * b.steps] = data::Vocab::bos_id;
        for (size_t t = 0; t < ids.size(); ++t) {
            b.inputs[size_t(k) * b.steps + t + 1] = ids[t];
            b.targets[size_t(k) * b.steps + t] = ids[t];
        }
        b.targets[size_t(k) * b.steps + ids.size()] = data::Vocab::eos_id;
    }
    b.images = tensor(pixels, {b.batch, 3, S, S});
    return b;
}

CaptionSplits split_by_image(const std::vector<data::CaptionedImage>& examples, uint64_t seed) {
    std::vector<std::string> names;
    for (const auto& ex : examples)
        if (std::find(names.begin(), names.end(), ex.name) == names.end()) names.push_back(ex.name);
    std::vector<int> order(names.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    Rng rng(seed);
    rng.shuffle(order);
    std::map<std::string, int> split_of;  // 0 train, 1 valid, 2 test
    const size_t n = names.size(), n_test = std::max<size_t>(1, n / 10), n_valid = std::max<size_t>(1, n / 10);
    for (size_t i = 0; i < n; ++i) split_of[names[size_t(order[i])]] = i < n_test ? 2 : i < n_test + n_valid ? 1 : 0;
    CaptionSplits s;
    std::map<std::string, bool> seen;
    for (const auto& ex : examples) {
        const int k = split_of[ex.name];
        if (k == 0) s.train.push_back(ex);
        else if (!seen[ex.name]) (k == 1 ? s.valid : s.test).push_back(ex);
        seen[ex.name] = true;
    }
    return s;
}

namespace {

// A toy caption read back by its grammar: "a <size> <colour> <shape>" per object, and between
// two objects the words of their relation.
struct Parsed {
    std::vector<std::pair<std::string, std::string>> objects;  // (colour, shape)
    std::vector<std::string> relations;                         // "left of", "above"
};
Parsed parse(const CaptionTokens& words) {
    Parsed p;
    std::vector<CaptionTokens> segments;  // split at every "a"
    for (const std::string& w : words) {
        if (w == "a" || segments.empty()) segments.emplace_back();
        if (w != "a") segments.back().push_back(w);
    }
    for (size_t k = 0; k < segments.size(); ++k) {
        const CaptionTokens& s = segments[k];
        p.objects.emplace_back(s.size() > 1 ? s[1] : "", s.size() > 2 ? s[2] : "");
        std::string rel;
        for (size_t i = 3; i < s.size(); ++i) rel += (rel.empty() ? "" : " ") + s[i];
        if (k + 1 < segments.size()) p.relations.push_back(rel);
    }
    return p;
}

}  // namespace

CaptionScores score_captions(const std::vector<data::CaptionedImage>& examples,
                             const std::vector<GeneratedCaption>& generated, int grid) {
    CaptionScores s;
    s.images = int(generated.size());
    s.exact_by_objects.assign(4, 0.0);
    s.images_by_objects.assign(4, 0);
    std::vector<std::vector<Tokens>> refs;
    std::vector<Tokens> hyps;
    long bound = 0, objects = 0, related = 0, relations = 0;
    for (size_t i = 0; i < generated.size(); ++i) {
        const data::CaptionedImage& ex = examples[i];
        const GeneratedCaption& g = generated[i];
        refs.push_back(ex.references);
        hyps.push_back(g.words);
        const bool exact = std::find(ex.references.begin(), ex.references.end(), g.words) != ex.references.end();
        s.exact_match += exact;
        if (ex.objects > 0 && ex.objects <= 3) {
            s.exact_by_objects[size_t(ex.objects)] += exact;
            ++s.images_by_objects[size_t(ex.objects)];
            const Parsed ref = parse(ex.caption), hyp = parse(g.words);
            std::vector<std::pair<std::string, std::string>> left = hyp.objects;  // each generated object used once
            for (const auto& o : ref.objects) {
                auto it = std::find(left.begin(), left.end(), o);
                if (it != left.end()) {
                    ++bound;
                    left.erase(it);
                }
            }
            objects += long(ref.objects.size());
            for (size_t k = 0; k < ref.relations.size(); ++k)
                related += k < hyp.relations.size() && hyp.relations[k] == ref.relations[k];
            relations += long(ref.relations.size());
        }
        // Where did it look while writing the words that name an object?
        if (g.alphas.empty()) continue;
        const int S = ex.size;
        const float cell = float(S) / float(grid);
        size_t kind = 0;  // the word's place in its run of words that share a box
        for (size_t t = 0; t < g.words.size() && t < ex.caption.size(); ++t) {
            if (g.words[t] != ex.caption[t]) break;  // from here on the words no longer match the boxes
            const data::Box& box = ex.word_boxes[t];
            if (box.empty()) continue;
            const data::Box& before = t > 0 ? ex.word_boxes[t - 1] : data::Box{};
            const bool same = before.x0 == box.x0 && before.y0 == box.y0 && before.x1 == box.x1 && before.y1 == box.y1;
            kind = same ? kind + 1 : 0;
            const std::vector<float>& a = g.alphas[t];
            double mass = 0.0;
            int best = 0;
            for (int r = 0; r < grid * grid; ++r) {
                const float x0 = float(r % grid) * cell, y0 = float(r / grid) * cell;  // region r's pixels
                const float ox = std::max(0.0f, std::min(x0 + cell, float(box.x1)) - std::max(x0, float(box.x0)));
                const float oy = std::max(0.0f, std::min(y0 + cell, float(box.y1)) - std::max(y0, float(box.y0)));
                mass += a[size_t(r)] * ox * oy / (cell * cell);  // α spread evenly over its region's pixels
                if (a[size_t(r)] > a[size_t(best)]) best = r;
            }
            const float cx = (float(best % grid) + 0.5f) * cell, cy = (float(best / grid) + 0.5f) * cell;
            const bool hit = cx >= float(box.x0) && cx <= float(box.x1) && cy >= float(box.y0) && cy <= float(box.y1);
            s.pointing += hit;
            if (kind < 3) {
                s.pointing_by_kind[kind] += hit;
                ++s.words_by_kind[kind];
            }
            s.mass_in_box += mass;
            s.box_share += double(box.area()) / double(S * S);
            ++s.located_words;
        }
    }
    if (s.images > 0) s.exact_match /= s.images;
    s.bleu = corpus_bleu_multi(refs, hyps).bleu;
    s.binding = objects ? double(bound) / double(objects) : 0.0;
    s.relation = relations ? double(related) / double(relations) : 0.0;
    for (size_t k = 1; k < 4; ++k)
        if (s.images_by_objects[k] > 0) s.exact_by_objects[k] /= s.images_by_objects[k];
    if (s.located_words > 0) {
        s.pointing /= s.located_words;
        s.mass_in_box /= s.located_words;
        s.box_share /= s.located_words;
    }
    for (size_t k = 0; k < 3; ++k)
        if (s.words_by_kind[k] > 0) s.pointing_by_kind[k] /= s.words_by_kind[k];
    return s;
}

std::string caption_scores_line(const std::string& name, const CaptionScores& s) {
    char buf[320];
    int n = std::snprintf(buf, sizeof buf, "%-7s exact %5.1f%%  BLEU-4 %.3f", name.c_str(), 100 * s.exact_match, s.bleu);
    const bool toy = s.images_by_objects[1] + s.images_by_objects[2] + s.images_by_objects[3] > 0;
    if (toy)  // binding and relations need the toy grammar; a learner's own captions have neither
        n += std::snprintf(buf + n, sizeof buf - size_t(n), "  binding %5.1f%%  relation %5.1f%%", 100 * s.binding,
                           100 * s.relation);
    if (s.located_words > 0)
        std::snprintf(buf + n, sizeof buf - size_t(n), "  pointing %5.1f%%  mass in box %.2f (box share %.2f)",
                      100 * s.pointing, s.mass_in_box, s.box_share);
    return buf;
}

}  // namespace tinyattn::tasks
