// Replays every input the fuzzers once crashed on (tests/tools/fuzz/regressions/HARNESS/):
// the ONNX importer (and a run of what it imports, under a small memory budget) and the NPY
// reader must answer each with a clean error (or a valid result), never a crash or another
// exception.
#include "engine/io/npy.h"
#include "engine/onnx/onnx_import.h"
#include "engine/tools/untrusted_run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace aisys::engine;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> cases(const std::string& harness) {
    std::vector<fs::path> files;
    const fs::path dir = fs::path(AISYS_SOURCE_DIR) / "tests/tools/fuzz/regressions" / harness;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file() && e.path().filename() != "README.md")
                files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string bytesOf(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

} // namespace

TEST(FuzzRegressions, OnnxImporterFailsCleanly) {
    const auto files = cases("onnx_import");
    for (const auto& p : files) {
        SCOPED_TRACE(p.filename().string());
        try {
            Graph g = importOnnxBytes(bytesOf(p), "", {}, p.filename().string());
            (void)importOnnxBytes(exportOnnxBytes(g), "", {}, "re-import");
            // As the harness does: run it, or refuse cleanly, within 16 MiB.
            (void)runUntrusted(std::move(g), std::size_t{16} << 20, 2e7);
        } catch (const OnnxError& e) {
            EXPECT_NE(std::string(e.what()), "");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not an OnnxError: " << e.what();
        }
    }
    std::cout << files.size() << " ONNX fuzz regressions replayed\n";
}

TEST(FuzzRegressions, NpyReaderFailsCleanly) {
    const auto files = cases("npy");
    for (const auto& p : files) {
        SCOPED_TRACE(p.filename().string());
        try {
            Tensor t = parseNpy(bytesOf(p), p.filename().string());
            EXPECT_EQ(parseNpy(encodeNpy(t)), t);
        } catch (const NpyError& e) {
            EXPECT_NE(std::string(e.what()), "");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not an NpyError: " << e.what();
        }
    }
    std::cout << files.size() << " NPY fuzz regressions replayed\n";
}
