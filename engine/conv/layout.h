// Memory layouts as address maps: a logical index → an element offset in the stored buffer,
// and back. NCHW, NHWC, NC4HW4 and NC1HWC0 (from engine/compress/memory_format.h) for a 4-D
// activation; Ascend's fractal orders FRACTAL_NZ ("NZ") and FRACTAL_ZZ ("zZ") for a matrix.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::conv {

enum class Layout { NCHW, NHWC, NC4HW4, NC1HWC0, NZ, zZ };

/// "NCHW", "NHWC", "NC4HW4", "NC1HWC0", "NZ", "zZ".
const char* layoutName(Layout l);
/// The names above, separated by ", ".
std::string layoutNames();
/// Inverse of layoutName (case-sensitive: NZ ≠ zZ); false for an unknown name.
bool parseLayout(const std::string& s, Layout& out);
/// True for NZ and zZ (a matrix M×N), false for the 4-D activation layouts.
bool isFractal(Layout l);

/// One layout over a logical shape.
/// 4-D: dims = {N, C, H, W}, block = 4 (NC4HW4) or C0 (NC1HWC0, default 16).
/// Fractal: dims = {M, N} cut into M0×N0 fractals (16×16 for fp16 in the Cube unit), M1 = ⌈M/M0⌉
/// and N1 = ⌈N/N0⌉ fractals. Inside each fractal the elements are row-major (the small "Z").
/// NZ orders the fractals column-major (the big "N": down a column of fractals first), stored
/// shape [N1, M1, M0, N0]; zZ orders them row-major, stored shape [M1, N1, M0, N0]
/// (CANN "数据排布格式 / Data layout format",
/// https://www.hiascend.com/document/detail/zh/CANNCommunityEdition/83RC1alpha002/opdevg/Ascendcopdevg/atlas_ascendc_10_0099.html).
struct AddressMap {
    Layout layout = Layout::NCHW;
    std::vector<std::int64_t> dims;        ///< the logical shape
    std::vector<std::string> dimNames;     ///< "N","C","H","W" or "M","N"
    std::vector<std::int64_t> storedShape; ///< outermost first, padding included
    std::vector<std::string> storedNames;  ///< "N","C1","H","W","C0", …
    std::int64_t block = 1;                ///< C block (4-D), or M0
    std::int64_t block2 = 1;               ///< N0 (fractal)
    std::string formula;                   ///< the offset as a formula

    std::int64_t logicalSize() const;
    std::int64_t paddedSize() const; ///< product of storedShape
    /// Offset of a logical index (dims.size() coordinates, each in range; else throws).
    std::int64_t offset(const std::vector<std::int64_t>& idx) const;
    /// The logical index stored at `offset`, or false when it is padding (or out of range).
    bool indexOf(std::int64_t offset, std::vector<std::int64_t>& idx) const;
};

/// The map of `l` over `dims`; `block` is C0 for NC1HWC0 (default 16; NC4HW4 is always 4) or
/// M0 for the fractals, `block2` N0 (default 16). Throws std::invalid_argument naming the bad
/// dimension (non-positive, the wrong count for the layout, more than 2^26 stored elements).
AddressMap makeAddressMap(Layout l, const std::vector<std::int64_t>& dims, std::int64_t block = 0,
                          std::int64_t block2 = 0);

} // namespace aisys::engine::conv
