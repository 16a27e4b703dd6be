// nn_checks.hpp — the two checks every layer test runs: gradcheck over inputs AND parameters,
// and a comparison with a PyTorch fixture written by tests/reference/gen_*.py.
//
// Fixture convention (see tests/reference/gen_attention.py): in.<name>, param.<name>,
// out.<name>, upstream.<name>, grad.in.<name>, grad.param.<name>, where the backward pass
// is run from L = Σ_outputs Σ (out · upstream).
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "tinyattn/tinyattn.hpp"

namespace nn_checks {

using tinyattn::Tensor;
using Tensors = std::map<std::string, Tensor>;

// gradcheck (default tolerances) of f w.r.t. `inputs` that require grad and every parameter of m.
inline void require_gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f, std::vector<Tensor> inputs,
                              const tinyattn::nn::Module& m) {
    for (const Tensor& p : m.parameters()) inputs.push_back(p);
    const tinyattn::GradcheckResult r = tinyattn::gradcheck(f, inputs);
    INFO(r.message);
    REQUIRE(r.ok);
}

// Several outputs flattened into one tensor, so gradcheck sees all of them.
inline Tensor flat(const std::vector<Tensor>& parts) {
    std::vector<Tensor> flats;
    for (const Tensor& t : parts) flats.push_back(tinyattn::reshape(t, {-1}));
    return tinyattn::concat(flats, 0);
}

// Copies param.<name> of the fixture into every named parameter of m (and no parameter may be missing).
inline void load_parameters(tinyattn::nn::Module& m, const fixture::Fixture& f) {
    size_t in_fixture = 0;
    for (const auto& [name, t] : f.tensors) in_fixture += name.rfind("param.", 0) == 0 ? 1 : 0;
    REQUIRE(m.named_parameters().size() == in_fixture);
    for (auto& [name, p] : m.named_parameters()) {
        const Tensor& src = f["param." + name];
        INFO(name);
        REQUIRE(src.shape() == p.shape());
        std::copy(src.data(), src.data() + src.numel(), p.data());
    }
}

// A fresh copy of in.<name>; differentiable inputs require grad.
inline Tensor input(const fixture::Fixture& f, const std::string& name, bool requires_grad = true) {
    Tensor t = tinyattn::tensor(f["in." + name].to_vector(), f["in." + name].shape());
    if (requires_grad) t.requires_grad_();
    return t;
}

// Compares every output, backpropagates the fixture's upstream gradients and compares the
// gradient of every input in `inputs` that requires grad and of every parameter of m.
inline void require_matches_fixture(const fixture::Fixture& f, const tinyattn::nn::Module* m, Tensors inputs,
                                    const Tensors& outputs) {
    // gradcheck may have left gradients behind: start from zero
    for (auto& [name, x] : inputs) x.zero_grad();
    if (m)
        for (auto& [name, p] : m->named_parameters()) p.zero_grad();
    Tensor loss = tinyattn::scalar(0.0f);
    for (const auto& [name, out] : outputs) {
        fixture::require_close(out, f["out." + name], f.path + " out." + name);
        loss = loss + tinyattn::sum(out * f["upstream." + name]);
    }
    loss.backward();
    for (const auto& [name, x] : inputs)
        if (x.requires_grad()) fixture::require_close(x.grad(), f["grad.in." + name], f.path + " grad.in." + name);
    if (m)
        for (const auto& [name, p] : m->named_parameters())
            fixture::require_close(p.grad(), f["grad.param." + name], f.path + " grad.param." + name);
}

// A [B, S] key-padding mask (1 at positions >= length) for the given true lengths.
inline Tensor padding_mask(const std::vector<int>& lengths, int max_len) {
    Tensor m = tinyattn::zeros({int(lengths.size()), max_len});
    for (size_t b = 0; b < lengths.size(); ++b)
        for (int s = lengths[b]; s < max_len; ++s) m.data()[b * size_t(max_len) + size_t(s)] = 1.0f;
    return m;
}

// A standard-normal input that requires grad.
inline Tensor random_input(const tinyattn::Shape& shape, tinyattn::Rng& rng) {
    return tinyattn::randn(shape, rng).requires_grad_();
}

// The largest |a[i] - b[i]| over two tensors of one shape.
inline float max_abs_diff(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    float m = 0.0f;
    for (size_t i = 0; i < a.numel(); ++i) m = std::max(m, std::fabs(a.data()[i] - b.data()[i]));
    return m;
}

// Number of entries of t that are exactly zero.
inline int exact_zeros(const Tensor& t) {
    const std::vector<float> v = t.to_vector();
    return int(std::count(v.begin(), v.end(), 0.0f));
}

}  // namespace nn_checks
