// Address maps of the activation layouts and the fractal orders (layout.h).
#include "engine/conv/layout.h"

#include "engine/compress/memory_format.h"

#include <stdexcept>

namespace aisys::engine::conv {

namespace {

constexpr Layout kAll[] = {Layout::NCHW,    Layout::NHWC, Layout::NC4HW4,
                           Layout::NC1HWC0, Layout::NZ,   Layout::zZ};

compress::MemoryFormat formatOf(Layout l) {
    switch (l) {
    case Layout::NHWC:
        return compress::MemoryFormat::NHWC;
    case Layout::NC4HW4:
        return compress::MemoryFormat::NC4HW4;
    case Layout::NC1HWC0:
        return compress::MemoryFormat::NC1HWC0;
    default:
        return compress::MemoryFormat::NCHW;
    }
}

compress::FormatLayout formatLayout(const AddressMap& m) {
    return compress::layoutOf(formatOf(m.layout), m.dims[0], m.dims[1], m.dims[2], m.dims[3],
                              m.layout == Layout::NC1HWC0 ? m.block : 16);
}

} // namespace

const char* layoutName(Layout l) {
    switch (l) {
    case Layout::NCHW:
        return "NCHW";
    case Layout::NHWC:
        return "NHWC";
    case Layout::NC4HW4:
        return "NC4HW4";
    case Layout::NC1HWC0:
        return "NC1HWC0";
    case Layout::NZ:
        return "NZ";
    case Layout::zZ:
        return "zZ";
    }
    return "?";
}

std::string layoutNames() {
    std::string s;
    for (Layout l : kAll)
        s += (s.empty() ? "" : ", ") + std::string(layoutName(l));
    return s;
}

bool parseLayout(const std::string& s, Layout& out) {
    for (Layout l : kAll)
        if (s == layoutName(l)) {
            out = l;
            return true;
        }
    return false;
}

bool isFractal(Layout l) {
    return l == Layout::NZ || l == Layout::zZ;
}

std::int64_t AddressMap::logicalSize() const {
    std::int64_t p = 1;
    for (std::int64_t d : dims)
        p *= d;
    return p;
}

std::int64_t AddressMap::paddedSize() const {
    std::int64_t p = 1;
    for (std::int64_t d : storedShape)
        p *= d;
    return p;
}

std::int64_t AddressMap::offset(const std::vector<std::int64_t>& idx) const {
    if (idx.size() != dims.size())
        throw std::invalid_argument(std::string(layoutName(layout)) + ": an index needs " +
                                    std::to_string(dims.size()) + " coordinates, got " +
                                    std::to_string(idx.size()));
    for (std::size_t i = 0; i < idx.size(); ++i)
        if (idx[i] < 0 || idx[i] >= dims[i])
            throw std::invalid_argument(std::string(layoutName(layout)) + ": " + dimNames[i] +
                                        " = " + std::to_string(idx[i]) + " outside 0…" +
                                        std::to_string(dims[i] - 1));
    if (!isFractal(layout))
        return formatLayout(*this).offset(idx[0], idx[1], idx[2], idx[3]);
    const std::int64_t M0 = block, N0 = block2;
    const std::int64_t M1 = storedShape[layout == Layout::NZ ? 1 : 0];
    const std::int64_t N1 = storedShape[layout == Layout::NZ ? 0 : 1];
    const std::int64_t bi = idx[0] / M0, bj = idx[1] / N0;
    const std::int64_t fractal = layout == Layout::NZ ? bj * M1 + bi : bi * N1 + bj;
    return fractal * M0 * N0 + (idx[0] % M0) * N0 + idx[1] % N0;
}

bool AddressMap::indexOf(std::int64_t off, std::vector<std::int64_t>& idx) const {
    if (off < 0 || off >= paddedSize())
        return false;
    if (!isFractal(layout)) {
        std::int64_t n, c, h, w;
        if (!formatLayout(*this).coordsOf(off, n, c, h, w))
            return false;
        idx = {n, c, h, w};
        return true;
    }
    const std::int64_t M0 = block, N0 = block2;
    const std::int64_t M1 = storedShape[layout == Layout::NZ ? 1 : 0];
    const std::int64_t N1 = storedShape[layout == Layout::NZ ? 0 : 1];
    const std::int64_t fractal = off / (M0 * N0), inner = off % (M0 * N0);
    const std::int64_t bi = layout == Layout::NZ ? fractal % M1 : fractal / N1;
    const std::int64_t bj = layout == Layout::NZ ? fractal / M1 : fractal % N1;
    const std::int64_t r = bi * M0 + inner / N0, c = bj * N0 + inner % N0;
    if (r >= dims[0] || c >= dims[1])
        return false;
    idx = {r, c};
    return true;
}

AddressMap makeAddressMap(Layout l, const std::vector<std::int64_t>& dims, std::int64_t block,
                          std::int64_t block2) {
    const std::string name = layoutName(l);
    AddressMap m;
    m.layout = l;
    m.dims = dims;
    if (isFractal(l)) {
        m.dimNames = {"M", "N"};
        if (dims.size() != 2)
            throw std::invalid_argument(name +
                                        " is a matrix layout: --shape needs M,N (2 sizes), got " +
                                        std::to_string(dims.size()));
        m.block = block > 0 ? block : 16;
        m.block2 = block2 > 0 ? block2 : 16;
        if (block < 0 || block2 < 0 || m.block > 64 || m.block2 > 64)
            throw std::invalid_argument(name + ": the fractal M0×N0 must be 1…64 each, got " +
                                        std::to_string(block) + "×" + std::to_string(block2));
    } else {
        m.dimNames = {"N", "C", "H", "W"};
        if (dims.size() != 4)
            throw std::invalid_argument(
                name + " is a 4-D activation layout: --shape needs N,C,H,W (4 sizes), got " +
                std::to_string(dims.size()));
        m.block = l == Layout::NC4HW4 ? 4 : l == Layout::NC1HWC0 ? (block > 0 ? block : 16) : 1;
        if (l == Layout::NC1HWC0 && (block < 0 || m.block > 64))
            throw std::invalid_argument(
                "NC1HWC0: C0 must be 1…64 (16 for fp16, 32 for int8), got " +
                std::to_string(block));
    }
    double stored = 1;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] < 1)
            throw std::invalid_argument(name + ": " + m.dimNames[i] + " must be at least 1, got " +
                                        std::to_string(dims[i]));
        if (dims[i] > (std::int64_t(1) << 26))
            throw std::invalid_argument(name + ": " + m.dimNames[i] + " = " +
                                        std::to_string(dims[i]) + " is above 2^26");
        stored *= double(dims[i]);
    }
    if (stored > double(1 << 26))
        throw std::invalid_argument(name + ": " + std::to_string(static_cast<long long>(stored)) +
                                    " elements; at most 2^26 are allowed");
    if (isFractal(l)) {
        const std::int64_t M1 = (dims[0] + m.block - 1) / m.block;
        const std::int64_t N1 = (dims[1] + m.block2 - 1) / m.block2;
        if (l == Layout::NZ) {
            m.storedShape = {N1, M1, m.block, m.block2};
            m.storedNames = {"N1", "M1", "M0", "N0"};
            m.formula = "((⌊n/N0⌋·M1 + ⌊m/M0⌋)·M0 + m mod M0)·N0 + n mod N0";
        } else {
            m.storedShape = {M1, N1, m.block, m.block2};
            m.storedNames = {"M1", "N1", "M0", "N0"};
            m.formula = "((⌊m/M0⌋·N1 + ⌊n/N0⌋)·M0 + m mod M0)·N0 + n mod N0";
        }
    } else {
        const compress::FormatLayout f = formatLayout(m);
        m.storedShape = f.storedShape();
        switch (l) {
        case Layout::NCHW:
            m.storedNames = {"N", "C", "H", "W"};
            m.formula = "((n·C + c)·H + h)·W + w";
            break;
        case Layout::NHWC:
            m.storedNames = {"N", "H", "W", "C"};
            m.formula = "((n·H + h)·W + w)·C + c";
            break;
        case Layout::NC4HW4:
            m.storedNames = {"N", "⌈C/4⌉", "H", "W", "4"};
            m.formula = "(((n·⌈C/4⌉ + ⌊c/4⌋)·H + h)·W + w)·4 + c mod 4";
            break;
        default:
            m.storedNames = {"N", "C1", "H", "W", "C0"};
            m.formula = "(((n·C1 + ⌊c/C0⌋)·H + h)·W + w)·C0 + c mod C0, C1 = ⌈C/C0⌉";
            break;
        }
    }
    if (m.paddedSize() > (std::int64_t(1) << 26))
        throw std::invalid_argument(name + ": " + std::to_string(m.paddedSize()) +
                                    " stored elements; at most 2^26 are allowed");
    return m;
}

} // namespace aisys::engine::conv
