// Winograd minimal filtering for 3-tap / 3×3 convolution (Lavin & Gray 2016, "Fast Algorithms
// for Convolutional Neural Networks", arXiv:1509.09308): F(2,3) along the width,
// F(2×2,3×3) and F(4×4,3×3) over 2-D tiles, with the transform matrices written out.
#pragma once

#include "engine/conv/conv.h"

#include <array>
#include <string>
#include <vector>

namespace aisys::engine::conv {

enum class WinogradKind {
    F2_3,     ///< 1-D F(2,3) along each kernel row: 2 outputs from 4 inputs, 4 multiplies
    F2x2_3x3, ///< 2-D F(2×2,3×3): a 4×4 input tile → 2×2 outputs, 16 multiplies (direct 36)
    F4x4_3x3, ///< 2-D F(4×4,3×3): a 6×6 input tile → 4×4 outputs, 36 multiplies (direct 144)
};

/// "F(2,3)", "F(2x2,3x3)", "F(4x4,3x3)".
const char* winogradName(WinogradKind k);

/// The transforms of F(m, r) with α = m + r − 1 (row-major):
/// 1-D  y = Aᵀ [(G g) ⊙ (Bᵀ d)];  2-D  Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A.
struct WinogradMatrices {
    int m = 2, r = 3, alpha = 4;
    int dims = 2;            ///< 1 for F(2,3) applied along the width, 2 for the tile forms
    std::vector<double> BT;  ///< α × α
    std::vector<double> G;   ///< α × r
    std::vector<double> AT;  ///< m × α (2×4 for m = 2: the course's 4×2 is the transpose)
    const char* source = ""; ///< where the matrices are printed
    /// Multiplications per output tile and (input, output) channel pair: α^dims.
    std::int64_t multipliesPerTile() const;
    /// The direct loop's multiplications for the same outputs: m^dims · r^dims.
    std::int64_t directMultipliesPerTile() const;
};
const WinogradMatrices& winogradMatrices(WinogradKind k);

/// "" when Winograd `k` can compute shape `s`, else why not (it needs stride 1, dilation 1 and
/// a 3-wide kernel — 3×3 for the 2-D forms).
std::string winogradApplicable(const ConvShape& s, WinogradKind k);

/// The convolution by Winograd tiles, in precision T (the transforms too). Filter transforms
/// U = G g Gᵀ once per (OC, IC/G) pair, input transforms V = Bᵀ d B per tile and channel, the
/// element-wise products summed over the channels, one output transform Aᵀ M A per tile and
/// OC. Tiles that cross the output's edge are computed whole and cut. Throws
/// std::invalid_argument when `winogradApplicable` says no.
template <class T>
ConvResult<T> convWinograd(const ConvShape& s, const std::vector<T>& x, const std::vector<T>& w,
                           WinogradKind k);

/// One tile's four stages in f64 (the lesson shows them): input d (α×α, or 1×α), kernel g
/// (r×r or 1×r); U = G g Gᵀ, V = Bᵀ d B, M = U ⊙ V, Y = Aᵀ M A, and the direct result.
struct WinogradTile {
    WinogradKind kind{};
    int rows = 0, cols = 0; ///< of d: α×α, or 1×α for F(2,3)
    std::vector<double> d, g, U, V, M, Y, direct;
};
WinogradTile winogradTile(WinogradKind k, const std::vector<double>& d,
                          const std::vector<double>& g);

} // namespace aisys::engine::conv
