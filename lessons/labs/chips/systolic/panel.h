// Drawing one systolic array at one cycle: PEs (numbers, colour by k, or heat-map cells for big
// arrays), the skewed words waiting at the edges, outputs leaving, and SRAM operand grids.
#pragma once

#include "lessons/labs/chips/systolic/setup.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <cstdint>

namespace aisys::lessons {

/// How one array panel is drawn.
struct PanelStyle {
    float maxSize = 520;      ///< the PE grid fits in maxSize × maxSize
    bool staging = true;      ///< draw the skewed words waiting at the edges (small arrays)
    int stagingDepth = 3;     ///< cycles of waiting words shown (the one entering now included)
    bool numbers = true;      ///< values in PEs when the cells are big enough
    std::uint32_t idBase = 0; ///< pick ids: idBase + PE index (0 = none)
    bool mappingOnly = false; ///< only which PEs the fold uses: no activity, no edge words
};

/// Largest side of the array drawn one box per PE; bigger arrays become heat-map cells of
/// b×b PEs, with at most 128 cells per side (fewer in small panels).
constexpr int kBoxLimit = 64;

/// Colour of reduction index k (the wavefront colouring).
viz::Color kColour(std::int64_t k, const viz::Palette& pal);

/// Draws the PE grid of `c` at global cycle `g` with its top-left corner at `origin` and
/// returns the grid's rectangle. Adds inspector facts for PEs (box mode) to `scene`.
viz::Rect drawArrayAt(viz::Scene& scene, const SystolicSetup& s, const SystolicCase& c,
                      std::int64_t g, viz::Vec2 origin, const PanelStyle& style, Lang L,
                      const viz::Palette& pal);

/// Size of the grid drawArrayAt would draw (cell size × R, × C).
viz::Vec2 arrayExtent(const SystolicCase& c, const PanelStyle& style);
/// Room the staged words take left of (and above) the grid.
float stagingLead(const SystolicCase& c, const PanelStyle& style);

/// Draws an operand matrix (rows × cols of `m`, or the output C when `m` is null) as an SRAM
/// grid inside `box` with the words (i, j) in `hot` highlighted; numbers when it is small.
void drawOperandGrid(viz::DisplayList& dl, viz::Rect box, const std::string& title,
                     const engine::systolic::Matrix* m, std::int64_t rows, std::int64_t cols,
                     const std::vector<std::pair<std::int64_t, std::int64_t>>& hot,
                     viz::Color hotColour, bool integers, const viz::Palette& pal);

/// Size drawOperandGrid uses for the cells of a rows × cols matrix in a w × h box (without the
/// title above and the size line below).
viz::Vec2 operandGridSize(std::int64_t rows, std::int64_t cols, float w, float h);

/// Heat map of every PE's MAC count over fold `fold` (ramp colours; numbers when small).
viz::Rect drawActivity(viz::DisplayList& dl, const SystolicCase& c, std::int64_t fold,
                       viz::Vec2 origin, float maxSize, const viz::Palette& pal);

/// Heat map of per-PE values (R×C; negative = unused, grey) scaled by vmax; blocks of PEs
/// averaged for big arrays, numbers when the cells are big enough.
viz::Rect drawPeHeat(viz::DisplayList& dl, const Eigen::MatrixXd& v, double vmax, viz::Vec2 origin,
                     float maxSize, const viz::Palette& pal);

/// "12", "0.37": value text for PEs and grids.
std::string valueText(double v, bool integers);

} // namespace aisys::lessons
