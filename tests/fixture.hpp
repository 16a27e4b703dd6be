// fixture.hpp — load the PyTorch reference fixtures written by tests/reference/*.py.
//
// A fixture file holds named tensors, one per line:
//   <name> <rank> <dim_0> ... <dim_rank-1> <value_0> <value_1> ...
// (values in row-major order, printed with 9 significant digits so float32 round-trips).
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tinyattn/tensor.hpp"

namespace fixture {

struct Fixture {
    std::string path;
    std::map<std::string, tinyattn::Tensor> tensors;

    const tinyattn::Tensor& operator[](const std::string& name) const {
        auto it = tensors.find(name);
        if (it == tensors.end()) throw std::runtime_error(path + ": no tensor named '" + name + "'");
        return it->second;
    }
    bool has(const std::string& name) const { return tensors.count(name) > 0; }
};

// `name` is the file name under tests/reference/fixtures/, e.g. "ops/matmul.txt".
inline Fixture load(const std::string& name) {
    Fixture f;
    f.path = std::string(TINYATTN_SOURCE_DIR) + "/tests/reference/fixtures/" + name;
    std::ifstream in(f.path);
    if (!in) throw std::runtime_error(f.path + ": cannot open fixture (regenerate: see tests/reference/README.md)");
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string tensor_name;
        int rank = 0;
        ls >> tensor_name >> rank;
        tinyattn::Shape shape(size_t(std::max(rank, 0)));
        for (int& d : shape) ls >> d;
        std::vector<float> values(tinyattn::shape_numel(shape));
        for (float& v : values) {
            std::string token;  // read as text so "nan"/"inf" parse too
            ls >> token;
            v = std::stof(token);
        }
        if (!ls) throw std::runtime_error(f.path + ":" + std::to_string(line_no) + ": malformed tensor line");
        f.tensors[tensor_name] = tinyattn::tensor(values, shape);
    }
    return f;
}

// Every element within atol + rtol·|expected| (the PyTorch comparison tolerance of the project).
inline void require_close(const tinyattn::Tensor& actual, const tinyattn::Tensor& expected, const std::string& what,
                          double atol = 1e-5, double rtol = 1e-4) {
    INFO(what << ": actual shape " << tinyattn::shape_str(actual.shape()) << ", expected "
              << tinyattn::shape_str(expected.shape()));
    REQUIRE(actual.numel() == expected.numel());
    double worst = 0.0;
    size_t worst_at = 0;
    for (size_t i = 0; i < actual.numel(); ++i) {
        const double a = actual.data()[i], e = expected.data()[i];
        const double excess = std::fabs(a - e) - (atol + rtol * std::fabs(e));
        if (excess > worst || std::isnan(a) != std::isnan(e)) {
            worst = std::isnan(excess) ? 1e30 : excess;
            worst_at = i;
        }
    }
    INFO("worst element " << worst_at << ": actual " << actual.data()[worst_at] << ", expected "
                          << expected.data()[worst_at]);
    REQUIRE(worst <= 0.0);
}

}  // namespace fixture
