// NPY reader and writer: magic, version, header dict (descr, fortran_order, shape), raw data.
#include "engine/io/npy.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace aisys::engine {

namespace {

const char kMagic[] = "\x93NUMPY";

const char* descrOf(DType t) {
    switch (t) {
    case DType::F32:
        return "<f4";
    case DType::F64:
        return "<f8";
    case DType::I8:
        return "|i1";
    case DType::U8:
        return "|u1";
    case DType::I32:
        return "<i4";
    case DType::I64:
        return "<i8";
    case DType::Bool:
        return "|b1";
    }
    return "?";
}

DType dtypeOfDescr(const std::string& d, const std::string& label) {
    // Byte order: '<' little, '|' not applicable, '=' native (little on our targets).
    if (d.size() >= 3 && d[0] != '>') {
        const std::string kind = d.substr(1);
        if (kind == "f4")
            return DType::F32;
        if (kind == "f8")
            return DType::F64;
        if (kind == "i8")
            return DType::I64;
        if (kind == "i4")
            return DType::I32;
        if (kind == "i1")
            return DType::I8;
        if (kind == "u1")
            return DType::U8;
        if (kind == "b1")
            return DType::Bool;
    }
    throw NpyError(label + ": dtype '" + d +
                   "' is not supported (expected little-endian f4 f8 i8 i4 i1 u1 or b1)");
}

/// The text after `'key':` in the header dict, or throws.
std::size_t findKey(const std::string& h, const std::string& key, const std::string& label) {
    const auto k = h.find("'" + key + "'");
    if (k == std::string::npos)
        throw NpyError(label + ": header has no '" + key + "' entry: " + h);
    const auto colon = h.find(':', k);
    if (colon == std::string::npos)
        throw NpyError(label + ": malformed header near '" + key + "': " + h);
    const auto value = h.find_first_not_of(' ', colon + 1);
    if (value == std::string::npos)
        throw NpyError(label + ": header ends after '" + key + "': " + h);
    return value;
}

} // namespace

Tensor parseNpy(const std::string& bytes, const std::string& label) {
    // 1. Magic "\x93NUMPY", version (1: 2-byte header length; 2, 3: 4-byte).
    // 2. Header dict: 'descr', 'fortran_order' (must be False), 'shape' tuple.
    // 3. The data: exactly numel · element size bytes after the header.
    if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0)
        throw NpyError(label + ": not an NPY file (bad magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLen = 0, offset = 0;
    if (major == 1) {
        headerLen = static_cast<unsigned char>(bytes[8]) |
                    (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw NpyError(label + ": truncated header");
        for (int i = 0; i < 4; ++i)
            headerLen |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i]))
                         << (8 * i);
        offset = 12;
    } else {
        throw NpyError(label + ": NPY version " + std::to_string(major) +
                       " is not supported (expected 1, 2 or 3)");
    }
    if (bytes.size() < offset + headerLen)
        throw NpyError(label + ": truncated header (" + std::to_string(headerLen) +
                       " bytes announced)");
    const std::string h = bytes.substr(offset, headerLen);
    auto d = findKey(h, "descr", label);
    if (d == std::string::npos || h[d] != '\'')
        throw NpyError(label + ": malformed 'descr': " + h);
    const auto dEnd = h.find('\'', d + 1);
    if (dEnd == std::string::npos)
        throw NpyError(label + ": malformed 'descr': " + h);
    const DType dtype = dtypeOfDescr(h.substr(d + 1, dEnd - d - 1), label);
    const auto f = findKey(h, "fortran_order", label);
    if (h.compare(f, 4, "True") == 0)
        throw NpyError(label + ": Fortran-order arrays are not supported (save C order)");
    if (h.compare(f, 5, "False") != 0)
        throw NpyError(label + ": malformed 'fortran_order': " + h);
    auto s = findKey(h, "shape", label);
    const auto sEnd = h.find(')', s);
    if (s == std::string::npos || h[s] != '(' || sEnd == std::string::npos)
        throw NpyError(label + ": malformed 'shape': " + h);
    Shape shape;
    std::stringstream dims(h.substr(s + 1, sEnd - s - 1));
    std::string item;
    while (std::getline(dims, item, ',')) {
        const auto b = item.find_first_not_of(' ');
        if (b == std::string::npos)
            continue;
        std::size_t used = 0;
        long long v = -1;
        try {
            v = std::stoll(item.substr(b), &used);
        } catch (const std::exception&) {
        }
        if (v < 0 || item.find_first_not_of(' ', b + used) != std::string::npos)
            throw NpyError(label + ": bad dimension '" + item + "' in shape");
        shape.push_back(v);
    }
    double count = 1, nonzero = 1; // (the product of nonzero dims must fit an int64 too)
    for (auto v : shape) {
        count *= static_cast<double>(v);
        nonzero *= static_cast<double>(std::max<long long>(v, 1));
    }
    if (nonzero > 0x1p52)
        throw NpyError(label + ": shape " + shapeToString(shape) + " is too large");
    if (count * static_cast<double>(dtypeSize(dtype)) >
        static_cast<double>(bytes.size() - offset - headerLen))
        throw NpyError(label + ": truncated data (shape " + shapeToString(shape) + " of " +
                       dtypeName(dtype) + " needs more bytes than the file holds)");
    Tensor t(dtype, shape);
    if (bytes.size() - offset - headerLen != t.bytes())
        throw NpyError(label + ": data has " + std::to_string(bytes.size() - offset - headerLen) +
                       " bytes, shape " + shapeToString(shape) + " of " + dtypeName(dtype) +
                       " needs " + std::to_string(t.bytes()));
    if (t.bytes() > 0) // an empty tensor has no storage (memcpy with null is undefined)
        std::memcpy(t.rawData(), bytes.data() + offset + headerLen, t.bytes());
    if (dtype == DType::Bool) {
        auto* b = static_cast<std::uint8_t*>(t.rawData());
        for (std::size_t i = 0; i < t.bytes(); ++i)
            b[i] = b[i] != 0;
    }
    return t;
}

Tensor readNpy(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw NpyError(path + ": cannot open the file");
    std::ostringstream data;
    data << f.rdbuf();
    return parseNpy(data.str(), path);
}

std::string encodeNpy(const Tensor& t) {
    std::string shape = "(";
    for (std::size_t i = 0; i < t.shape().size(); ++i)
        shape += std::to_string(t.shape()[i]) + (t.shape().size() == 1      ? ","
                                                 : i + 1 < t.shape().size() ? ", "
                                                                            : "");
    shape += ")";
    std::string header = std::string("{'descr': '") + descrOf(t.dtype()) +
                         "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad with spaces so magic + version + length + header (ending in '\n') is a multiple of 64.
    const bool v2 = header.size() + 1 + 10 > 65535;
    const std::size_t prefix = v2 ? 12 : 10;
    const std::size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
    header.append(total - prefix - header.size() - 1, ' ');
    header += '\n';
    std::string out(kMagic, 6);
    out += static_cast<char>(v2 ? 2 : 1);
    out += '\0';
    const std::size_t len = header.size();
    for (int i = 0; i < (v2 ? 4 : 2); ++i)
        out += static_cast<char>((len >> (8 * i)) & 0xff);
    out += header;
    out.append(static_cast<const char*>(t.rawData()), t.bytes());
    return out;
}

void writeNpy(const Tensor& t, const std::string& path) {
    const std::string bytes = encodeNpy(t);
    std::ofstream f(path, std::ios::binary);
    if (!f)
        throw NpyError(path + ": cannot write the file");
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f)
        throw NpyError(path + ": writing failed");
}

} // namespace aisys::engine
