// matrix.hpp — the plain data every figure takes: a row-major grid of floats.
//
// The figure code must not depend on the Tensor type, so a heatmap takes
// `Matrix` = one std::vector<float> per row. For attention weights the rows are
// the output (query) tokens and the columns the source (key) tokens, exactly
// like a row of softmax(Q K^T / sqrt(d)).
#pragma once
#include <string>
#include <vector>

namespace tinyattn::plot {

using Matrix = std::vector<std::vector<float>>;

// Throws std::invalid_argument "<where>: ..." unless every row has the same
// length, rows > 0 and cols > 0. Returns the column count.
int check_rectangular(const Matrix& m, const std::string& where);

// The top-left rows x cols block of `m` (drops padding rows / columns).
// rows or cols < 0 keeps that dimension whole. Throws if the block is larger than m.
Matrix trim(const Matrix& m, int rows, int cols, const std::string& where = "plot::trim");

// Largest entry (0 for an empty matrix).
float max_value(const Matrix& m);

// Throws std::invalid_argument naming `where` unless labels.size() == n.
void check_labels(const std::vector<std::string>& labels, size_t n, const std::string& what,
                  const std::string& where);

}  // namespace tinyattn::plot
