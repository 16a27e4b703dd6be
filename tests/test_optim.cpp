// test_optim.cpp — SGD, Adam, AdamW, clip_grad_norm and the LR schedulers against
// torch.optim (fixtures from tests/reference/gen_optim.py), plus their state export.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>

#include "fixture.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/optim/clip_grad.hpp"
#include "tinyattn/optim/lr_scheduler.hpp"
#include "tinyattn/optim/sgd.hpp"

using namespace tinyattn;
using optim::OptimizerState;

namespace {

constexpr double kTol = 1e-6;  // atol and rtol against torch
constexpr int kSteps = 5;

std::string key(const std::string& what, int step, int index) {
    return what + "." + std::to_string(step) + "." + std::to_string(index);
}

Tensor state_tensor(const OptimizerState& state, const std::string& name) {
    for (const auto& [entry, t] : state.tensors)
        if (entry == name) return t;
    FAIL("optimizer state has no tensor '" << name << "'");
    return Tensor();
}

// Fresh copies of the fixture's two parameters, marked as parameters.
std::vector<Tensor> fixture_params(const fixture::Fixture& f) {
    std::vector<Tensor> params;
    for (int i = 0; i < 2; ++i) {
        const Tensor& p = f["param." + std::to_string(i)];
        params.push_back(tensor(p.to_vector(), p.shape()));
        params.back().requires_grad_(true);
    }
    return params;
}

// Sets parameter i's gradient to the fixture's gradient for `step`, or removes it (torch's
// grad = None) when the fixture has none: then the optimizer must skip the parameter.
void set_grads(const fixture::Fixture& f, std::vector<Tensor>& params, int step) {
    for (size_t i = 0; i < params.size(); ++i) {
        const std::string name = key("grad", step, int(i));
        if (!f.has(name)) {
            params[i].node()->grad.clear();
            continue;
        }
        const Tensor& g = f[name];
        std::copy(g.data(), g.data() + g.numel(), params[i].grad_data());
    }
}

// Replays the fixture's five gradient steps through `opt` and compares, after each step,
// the parameters and every state buffer torch recorded (read through state_dict()).
void replay(const std::string& file, optim::Optimizer& opt, std::vector<Tensor>& params,
            const std::vector<std::string>& buffers, bool has_step) {
    const fixture::Fixture f = fixture::load("optim/" + file);
    for (int step = 1; step <= kSteps; ++step) {
        set_grads(f, params, step);
        opt.step();
        const OptimizerState state = opt.state_dict();
        for (int i = 0; i < 2; ++i) {
            fixture::require_close(params[size_t(i)], f[key("after", step, i)], file + " " + key("after", step, i),
                                   kTol, kTol);
            for (const std::string& b : buffers)
                fixture::require_close(state_tensor(state, std::to_string(i) + "." + b), f[key(b, step, i)],
                                       file + " " + key(b, step, i), kTol, kTol);
            if (has_step) {
                INFO(file << " " << key("step", step, i));
                REQUIRE(state.scalars.at(std::to_string(i) + ".step") ==
                        std::to_string(int(f[key("step", step, i)].item())));
            }
        }
    }
}

// The fixtures' parameters (only the shapes matter for the tests that use this).
std::vector<Tensor> params_for(const std::string& file) { return fixture_params(fixture::load("optim/" + file)); }

}  // namespace

TEST_CASE("SGD without momentum matches torch.optim.SGD", "[optim][torch]") {
    auto params = params_for("sgd_plain.txt");
    optim::SGD opt(params, 0.1);
    replay("sgd_plain.txt", opt, params, {}, false);
}

TEST_CASE("SGD with momentum matches torch.optim.SGD (buffer starts at the first gradient)", "[optim][torch]") {
    auto params = params_for("sgd_momentum.txt");
    optim::SGD opt(params, 0.1, 0.9);
    replay("sgd_momentum.txt", opt, params, {"momentum_buffer"}, false);
}

TEST_CASE("SGD with Nesterov momentum matches torch.optim.SGD", "[optim][torch]") {
    auto params = params_for("sgd_nesterov.txt");
    optim::SGD opt(params, 0.1, 0.9, 0.0, 0.0, true);
    replay("sgd_nesterov.txt", opt, params, {"momentum_buffer"}, false);
}

TEST_CASE("SGD with dampening and weight decay matches torch.optim.SGD", "[optim][torch]") {
    auto params = params_for("sgd_weight_decay.txt");
    optim::SGD opt(params, 0.05, 0.8, 0.25, 0.1);
    replay("sgd_weight_decay.txt", opt, params, {"momentum_buffer"}, false);
}

TEST_CASE("Adam matches torch.optim.Adam, per-parameter step counts included", "[optim][torch]") {
    auto params = params_for("adam.txt");
    optim::Adam opt(params, 0.01);
    replay("adam.txt", opt, params, {"exp_avg", "exp_avg_sq"}, true);
    REQUIRE(opt.step_count(0) == 5);
    REQUIRE(opt.step_count(1) == 4);  // skipped at step 3, when it had no gradient
}

TEST_CASE("Adam with L2 weight decay matches torch.optim.Adam", "[optim][torch]") {
    auto params = params_for("adam_weight_decay.txt");
    optim::Adam opt(params, 0.01, 0.9, 0.999, 1e-8, 0.1);
    replay("adam_weight_decay.txt", opt, params, {"exp_avg", "exp_avg_sq"}, true);
}

TEST_CASE("AdamW with default weight decay matches torch.optim.AdamW", "[optim][torch]") {
    auto params = params_for("adamw.txt");
    optim::AdamW opt(params, 0.01);
    REQUIRE(opt.weight_decay == 1e-2);
    replay("adamw.txt", opt, params, {"exp_avg", "exp_avg_sq"}, true);
}

TEST_CASE("AdamW with other betas, eps and weight decay matches torch.optim.AdamW", "[optim][torch]") {
    auto params = params_for("adamw_betas.txt");
    optim::AdamW opt(params, 0.05, 0.8, 0.99, 1e-6, 0.1);
    replay("adamw_betas.txt", opt, params, {"exp_avg", "exp_avg_sq"}, true);
}

TEST_CASE("Adam and AdamW differ exactly when weight decay is on", "[optim]") {
    auto a = params_for("adam.txt"), b = params_for("adam.txt");
    optim::Adam adam(a, 0.01, 0.9, 0.999, 1e-8, 0.1);
    optim::AdamW adamw(b, 0.01, 0.9, 0.999, 1e-8, 0.1);
    const fixture::Fixture f = fixture::load("optim/adam.txt");
    set_grads(f, a, 1);
    set_grads(f, b, 1);
    adam.step();
    adamw.step();
    bool any_differs = false;
    for (size_t j = 0; j < a[0].numel(); ++j) any_differs |= a[0].data()[j] != b[0].data()[j];
    REQUIRE(any_differs);
}

TEST_CASE("clip_grad_norm returns torch's total norm and scales like clip_grad_norm_", "[optim][torch]") {
    const fixture::Fixture f = fixture::load("optim/clip.txt");
    for (const std::string tag : {"clipped", "unclipped"}) {
        std::vector<Tensor> params;
        for (int i = 0; i < 3; ++i) {
            const Tensor& g = f["grad." + std::to_string(i)];
            params.push_back(zeros(g.shape()));
            params.back().requires_grad_(true);
            std::copy(g.data(), g.data() + g.numel(), params.back().grad_data());
        }
        Tensor unused = zeros({4});  // a parameter without a gradient is ignored
        unused.requires_grad_(true);
        params.push_back(unused);

        const double norm = optim::clip_grad_norm(params, f[tag + ".max_norm"].item());
        REQUIRE(norm == Approx(f[tag + ".total_norm"].item()).epsilon(kTol));
        for (int i = 0; i < 3; ++i)
            fixture::require_close(params[size_t(i)].grad(), f[tag + ".grad." + std::to_string(i)],
                                   tag + " grad " + std::to_string(i), kTol, kTol);
        REQUIRE_FALSE(unused.has_grad());
    }
    REQUIRE_THROWS_WITH(optim::clip_grad_norm({}, 0.0), Catch::Contains("clip_grad_norm: max_norm must be > 0"));
}

TEST_CASE("total_grad_norm (eight partial sums) equals the plain one-sum reference", "[optim]") {
    // Sizes that fill the eight sums evenly and unevenly, a parameter without a gradient, and a
    // large one (a long sum is where the order of additions shows).
    Rng rng(3);
    std::vector<Tensor> params;
    for (const int n : {1, 7, 8, 13, 1000, 200003}) {
        Tensor p = zeros({n});
        p.requires_grad_(true);
        float* g = p.grad_data();
        for (int j = 0; j < n; ++j) g[j] = rng.uniform(-2.0f, 2.0f);
        params.push_back(p);
    }
    Tensor no_grad = zeros({5});
    no_grad.requires_grad_(true);
    params.push_back(no_grad);
    const double reference = optim::total_grad_norm_reference(params);
    REQUIRE(reference > 100.0);  // √(Σ g²) of ~200k values of mean square 4/3: about 517
    CHECK(optim::total_grad_norm(params) == Approx(reference).epsilon(1e-12));
    CHECK(optim::clip_grad_norm(params, 1e9) == Approx(reference).epsilon(1e-12));  // no clipping
}

TEST_CASE("StepLR and the warmup + inverse-square-root schedules match torch", "[optim][torch]") {
    const fixture::Fixture f = fixture::load("optim/schedulers.txt");
    auto params = params_for("sgd_plain.txt");
    auto check_sequence = [&](optim::LRScheduler& sched, optim::Optimizer& opt, const std::string& name) {
        const Tensor& expected = f[name];
        for (size_t n = 0; n < expected.numel(); ++n) {
            INFO(name << " after " << n << " scheduler steps");
            REQUIRE(sched.step_count() == int(n));
            REQUIRE(sched.get_lr() == opt.lr());
            REQUIRE(opt.lr() == Approx(expected.data()[n]).epsilon(kTol));
            sched.step();
        }
    };
    optim::SGD a(params, 0.5);
    optim::StepLR step_lr(a, 3, 0.5);
    check_sequence(step_lr, a, "step_lr");

    optim::SGD b(params, 123.0);  // the warmup schedule sets the lr absolutely
    optim::WarmupInverseSqrtLR noam(b, 64, 4, 2.0);
    check_sequence(noam, b, "noam");

    optim::SGD c(params, 1.0);
    auto peak = optim::WarmupInverseSqrtLR::with_peak_lr(c, 1e-3, 4);
    check_sequence(peak, c, "peak");
}

TEST_CASE("A scheduler resumed with set_step_count continues the same lr sequence", "[optim]") {
    auto params = params_for("sgd_plain.txt");
    optim::SGD a(params, 1.0), b(params, 1.0);
    optim::WarmupInverseSqrtLR straight(a, 32, 10), resumed(b, 32, 10);
    for (int n = 0; n < 25; ++n) straight.step();
    resumed.set_step_count(25);
    REQUIRE(b.lr() == a.lr());
    straight.step();
    resumed.step();
    REQUIRE(b.lr() == a.lr());
    // The peak parametrisation reaches exactly its peak at step = warmup.
    optim::SGD c(params, 1.0);
    auto peak = optim::WarmupInverseSqrtLR::with_peak_lr(c, 3e-4, 10);
    peak.set_step_count(9);  // the lr for optimizer step 10
    REQUIRE(c.lr() == Approx(3e-4).epsilon(1e-12));
}

TEST_CASE("A parameter without a gradient is left untouched and gets no state", "[optim]") {
    Tensor used = tensor({1.0f, 2.0f}, {2}), unused = tensor({3.0f, 4.0f}, {2});
    used.requires_grad_(true);
    unused.requires_grad_(true);
    used.grad_data()[0] = 1.0f;
    optim::Adam adam({used, unused}, 0.1);
    adam.step();
    REQUIRE(unused.to_vector() == std::vector<float>{3.0f, 4.0f});
    REQUIRE(adam.step_count(1) == 0);
    REQUIRE(adam.exp_avg(1).empty());
    REQUIRE(used.data()[0] != 1.0f);
    REQUIRE(adam.state_dict().tensors.size() == 2);  // exp_avg and exp_avg_sq of parameter 0 only

    adam.zero_grad();
    REQUIRE(used.grad().to_vector() == std::vector<float>{0.0f, 0.0f});
}

TEST_CASE("Optimizer state round-trips through state_dict exactly", "[optim]") {
    const fixture::Fixture f = fixture::load("optim/adamw_betas.txt");
    auto p1 = params_for("adamw_betas.txt"), p2 = params_for("adamw_betas.txt");
    optim::AdamW first(p1, 0.05, 0.8, 0.99, 1e-6, 0.1);
    for (int step = 1; step <= 3; ++step) {
        set_grads(f, p1, step);
        first.step();
    }
    first.set_lr(0.0123);
    for (size_t i = 0; i < 2; ++i) std::copy(p1[i].data(), p1[i].data() + p1[i].numel(), p2[i].data());
    optim::AdamW second(p2, 1.0);  // other hyperparameters: load_state_dict restores them
    second.load_state_dict(first.state_dict());
    REQUIRE(second.lr() == 0.0123);
    REQUIRE(second.beta1 == 0.8);
    REQUIRE(second.eps == 1e-6);
    for (int step = 4; step <= 5; ++step) {
        set_grads(f, p1, step);
        set_grads(f, p2, step);
        first.step();
        second.step();
    }
    for (size_t i = 0; i < 2; ++i) REQUIRE(p1[i].to_vector() == p2[i].to_vector());  // bit-identical
}

TEST_CASE("load_state_dict rejects a mismatched state and changes nothing", "[optim]") {
    auto params = params_for("sgd_momentum.txt");
    const fixture::Fixture f = fixture::load("optim/sgd_momentum.txt");
    optim::SGD sgd(params, 0.1, 0.9);
    set_grads(f, params, 1);
    sgd.step();
    const OptimizerState good = sgd.state_dict();

    optim::Adam adam(params);
    REQUIRE_THROWS_WITH(adam.load_state_dict(good), Catch::Contains("saved by a SGD optimizer"));

    optim::SGD fewer({params[0]}, 0.1, 0.9);
    REQUIRE_THROWS_WITH(fewer.load_state_dict(good), Catch::Contains("state is for 2 parameters") &&
                                                         Catch::Contains("has 1"));

    OptimizerState wrong_shape = good;
    wrong_shape.tensors[0].second = zeros({4, 3});
    optim::SGD target(params, 0.7, 0.5);
    REQUIRE_THROWS_WITH(target.load_state_dict(wrong_shape),
                        Catch::Contains("'0.momentum_buffer' has shape [4, 3] but parameter 0 has shape [3, 4]"));
    OptimizerState unknown = good;
    unknown.tensors.push_back({"7.momentum_buffer", zeros({5})});
    REQUIRE_THROWS_WITH(target.load_state_dict(unknown), Catch::Contains("unexpected state entry '7.momentum_buffer'"));
    OptimizerState missing = good;
    missing.scalars.erase("momentum");
    REQUIRE_THROWS_WITH(target.load_state_dict(missing), Catch::Contains("missing entry 'momentum'"));
    // Nothing was half-loaded.
    REQUIRE(target.lr() == 0.7);
    REQUIRE(target.momentum == 0.5);
    REQUIRE(target.state_dict().tensors.empty());
}

TEST_CASE("Optimizers and schedulers reject invalid hyperparameters", "[optim]") {
    auto params = params_for("sgd_plain.txt");
    REQUIRE_THROWS_WITH(optim::SGD(params, -1.0), Catch::Contains("SGD: invalid learning rate"));
    REQUIRE_THROWS_WITH(optim::SGD(params, 0.1, 0.0, 0.0, 0.0, true), Catch::Contains("Nesterov"));
    REQUIRE_THROWS_WITH(optim::Adam(params, 0.1, 1.0), Catch::Contains("Adam: betas must be in [0, 1)"));
    REQUIRE_THROWS_WITH(optim::AdamW(params, 0.1, 0.9, 0.999, -1.0), Catch::Contains("AdamW: eps"));
    REQUIRE_THROWS_WITH(optim::Adam({Tensor()}), Catch::Contains("parameter 0 is an undefined tensor"));
    optim::SGD sgd(params, 0.1);
    REQUIRE_THROWS_WITH(optim::StepLR(sgd, 0), Catch::Contains("StepLR: step_size must be >= 1"));
    REQUIRE_THROWS_WITH(optim::WarmupInverseSqrtLR(sgd, 0, 10), Catch::Contains("needs d_model >= 1"));
    REQUIRE_THROWS_WITH(optim::WarmupInverseSqrtLR(sgd, 64, 0), Catch::Contains("warmup_steps must be >= 1"));
}
