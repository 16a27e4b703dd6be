// matrix.cpp — shape checks and trimming for the plain matrices figures take.
#include "tinyattn/plot/matrix.hpp"

#include <algorithm>
#include <stdexcept>

namespace tinyattn::plot {

int check_rectangular(const Matrix& m, const std::string& where) {
    if (m.empty() || m[0].empty())
        throw std::invalid_argument(where + ": matrix is empty (need at least 1x1)");
    const size_t cols = m[0].size();
    for (size_t r = 0; r < m.size(); ++r)
        if (m[r].size() != cols)
            throw std::invalid_argument(where + ": row " + std::to_string(r) + " has " +
                                        std::to_string(m[r].size()) + " values, row 0 has " +
                                        std::to_string(cols) + " (matrix must be rectangular)");
    return static_cast<int>(cols);
}

Matrix trim(const Matrix& m, int rows, int cols, const std::string& where) {
    const int have_cols = check_rectangular(m, where);
    const int have_rows = static_cast<int>(m.size());
    if (rows < 0) rows = have_rows;
    if (cols < 0) cols = have_cols;
    if (rows == 0 || cols == 0 || rows > have_rows || cols > have_cols)
        throw std::invalid_argument(where + ": cannot trim a " + std::to_string(have_rows) + "x" +
                                    std::to_string(have_cols) + " matrix to " +
                                    std::to_string(rows) + "x" + std::to_string(cols));
    Matrix out(rows);
    for (int r = 0; r < rows; ++r) out[r].assign(m[r].begin(), m[r].begin() + cols);
    return out;
}

float max_value(const Matrix& m) {
    float best = 0.0f;
    bool first = true;
    for (const auto& row : m)
        for (float v : row)
            if (first || v > best) { best = v; first = false; }
    return best;
}

void check_labels(const std::vector<std::string>& labels, size_t n, const std::string& what,
                  const std::string& where) {
    if (labels.size() != n)
        throw std::invalid_argument(where + ": " + std::to_string(labels.size()) + " " + what +
                                    " labels for " + std::to_string(n) + " " + what +
                                    (n == 1 ? "" : "s"));
}

}  // namespace tinyattn::plot
