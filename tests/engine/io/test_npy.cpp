// NPY reader/writer: round trips for every engine type, numpy-written headers (v1, v2), errors.
#include "engine/io/npy.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace aisys::engine;

namespace {

/// An NPY file the way numpy writes it: magic, version, little-endian length, padded header.
std::string numpyFile(int major, const std::string& dict, const std::string& data) {
    const std::size_t prefix = major == 1 ? 10 : 12;
    std::string header = dict;
    const std::size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
    header.append(total - prefix - header.size() - 1, ' ');
    header += '\n';
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    for (std::size_t i = 0; i < prefix - 8; ++i)
        out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    return out + header + data;
}

std::string npyError(const std::string& bytes) {
    try {
        parseNpy(bytes);
    } catch (const NpyError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(Npy, RoundTripsEveryEngineType) {
    const std::vector<Tensor> tensors = {
        Tensor::f32({2, 3}, {1, 2, 3, 4, 5, -6.5f}),
        Tensor::f64({3}, {1e300, -2, 0.25}),
        Tensor::i64({}, {-1234567890123LL}),
        Tensor::of<std::int32_t>({1, 2}, {-7, 70000}),
        Tensor::of<std::uint8_t>({4}, {0, 1, 128, 255}),
        Tensor::of<std::int8_t>({2}, {-128, 127}),
        Tensor::of<bool>({2, 1}, {true, false}),
        Tensor(DType::F32, {0, 3}),
    };
    for (const Tensor& t : tensors) {
        const std::string bytes = encodeNpy(t);
        EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
        EXPECT_EQ((bytes.size() - t.bytes()) % 64, 0u) << "header is padded to 64 bytes";
        EXPECT_EQ(parseNpy(bytes), t) << dtypeName(t.dtype()) << shapeToString(t.shape());
    }
    const auto path = std::filesystem::temp_directory_path() / "aisys_npy_test.npy";
    writeNpy(tensors[0], path.string());
    EXPECT_EQ(readNpy(path.string()), tensors[0]);
    std::filesystem::remove(path);
}

TEST(Npy, ReadsNumpyHeadersV1AndV2) {
    const std::int64_t v[3] = {0, 1, 2};
    const std::string data(reinterpret_cast<const char*>(v), sizeof v);
    const std::string dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    EXPECT_EQ(parseNpy(numpyFile(1, dict, data)), Tensor::i64({3}, {0, 1, 2}));
    EXPECT_EQ(parseNpy(numpyFile(2, dict, data)), Tensor::i64({3}, {0, 1, 2}));
    const std::string scalar = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
    const double one = 1.5;
    EXPECT_EQ(parseNpy(numpyFile(1, scalar, std::string(reinterpret_cast<const char*>(&one), 8))),
              Tensor::f64({}, {1.5}));
}

TEST(Npy, RejectsBadFilesWithClearMessages) {
    const std::string data(12, '\0');
    auto dict = [](const std::string& descr, const std::string& order, const std::string& shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape +
               ", }";
    };
    EXPECT_NE(npyError("not numpy").find("bad magic"), std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict(">i4", "False", "(3,)"), data)).find("not supported"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict("<c8", "False", "(3,)"), data)).find("not supported"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict("<i4", "True", "(3,)"), data)).find("Fortran"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict("<i4", "False", "(4,)"), data)).find("truncated"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict("<i4", "False", "(2,)"), data)).find("needs 8"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, dict("<i4", "False", "(x,)"), data)).find("bad dimension"),
              std::string::npos);
    EXPECT_NE(npyError(numpyFile(1, "{'descr': '<i4'}", data)).find("fortran_order"),
              std::string::npos);
    std::string v9 = encodeNpy(Tensor::f32({1}, {1}));
    v9[6] = 9;
    EXPECT_NE(npyError(v9).find("version 9"), std::string::npos);
    const std::string good = encodeNpy(Tensor::f32({4}, {1, 2, 3, 4}));
    for (std::size_t cut = 0; cut < good.size(); ++cut)
        EXPECT_NE(npyError(good.substr(0, cut)), "") << "cut at " << cut;
    EXPECT_THROW(readNpy("/nonexistent/file.npy"), NpyError);
}
