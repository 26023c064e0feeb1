// ONNX backend node conformance: every case of libonnx-testdata whose ops the engine supports
// runs and matches the expected outputs, except the cases listed (with reasons) in
// tests/engine/onnx/conformance_skips.txt.
#include "engine/graph/interpreter.h"
#include "engine/graph/ops.h"
#include "engine/onnx/onnx_import.h"
#include "engine/onnx/onnx_tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace aisys::engine;
namespace fs = std::filesystem;

namespace {

fs::path nodeTestDir() {
    if (const char* env = std::getenv("AISYS_ONNX_NODE_TESTS"))
        return env;
    return "/usr/share/libonnx-testdata/data/node";
}

/// The operators engine/ops/UNSUPPORTED.md lists as not run: every `Name` in the first cell of
/// a table row ("| `A`, `B` | why |").
std::set<std::string> readUnsupportedList() {
    std::set<std::string> ops;
    std::ifstream f(std::string(AISYS_SOURCE_DIR) + "/engine/ops/UNSUPPORTED.md");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("| `", 0) != 0)
            continue;
        const std::string cell = line.substr(1, line.find('|', 1) - 1);
        for (std::size_t a = cell.find('`'); a != std::string::npos; a = cell.find('`', a)) {
            const std::size_t b = cell.find('`', a + 1);
            if (b == std::string::npos)
                break;
            ops.insert(cell.substr(a + 1, b - a - 1));
            a = b + 1;
        }
    }
    return ops;
}

/// Case name → reason, from the skip list (lines "name reason...", '#' comments).
std::map<std::string, std::string> readSkipList() {
    std::map<std::string, std::string> skips;
    std::ifstream f(std::string(AISYS_SOURCE_DIR) + "/tests/engine/onnx/conformance_skips.txt");
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream in(line);
        std::string name, reason;
        in >> name;
        std::getline(in, reason);
        skips[name] = reason;
    }
    return skips;
}

Tensor readTensor(const fs::path& file) {
    std::ifstream f(file, std::ios::binary);
    std::ostringstream data;
    data << f.rdbuf();
    onnx::TensorProto p;
    if (!p.ParseFromString(data.str()))
        throw std::runtime_error("cannot parse " + file.string());
    return onnxio::tensorFromProto(p, file.parent_path().string());
}

std::vector<fs::path> numbered(const fs::path& dir, const std::string& prefix) {
    std::vector<fs::path> files;
    for (int i = 0;; ++i) {
        fs::path p = dir / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(p))
            break;
        files.push_back(p);
    }
    return files;
}

/// "" when `got` matches `want` (floats within 1e-4·max(1, |want|), NaN matches NaN; other
/// types exactly), else what differs.
std::string compare(const Tensor& got, const Tensor& want) {
    if (got.dtype() != want.dtype())
        return std::string("type ") + dtypeName(got.dtype()) + " vs expected " +
               dtypeName(want.dtype());
    if (got.shape() != want.shape())
        return "shape " + shapeToString(got.shape()) + " vs expected " +
               shapeToString(want.shape());
    const bool isFloat = want.dtype() == DType::F32 || want.dtype() == DType::F64;
    for (std::int64_t i = 0; i < want.numel(); ++i) {
        const double g = got.at(i), w = want.at(i);
        const bool ok = isFloat ? ((std::isnan(g) && std::isnan(w)) || g == w ||
                                   std::fabs(g - w) <= 1e-4 * std::max(1.0, std::fabs(w)))
                                : got.atInt(i) == want.atInt(i);
        if (!ok)
            return "element " + std::to_string(i) + ": " + std::to_string(g) + " vs expected " +
                   std::to_string(w);
    }
    return "";
}

/// Runs one case directory; returns "" on success or the failure.
std::string runCase(const fs::path& dir, bool* applicable, std::string* missingOps) {
    *applicable = true;
    Graph g;
    try {
        g = importOnnxFile((dir / "model.onnx").string(), {.dims = {}, .inferShapes = false});
    } catch (const OnnxError& e) {
        if (std::string(e.what()).find("unsupported op types") != std::string::npos) {
            *applicable = false;
            *missingOps = e.what();
            return "";
        }
        return std::string("import: ") + e.what();
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_directory() || entry.path().filename().string().rfind("test_data_set", 0))
            continue;
        try {
            auto inputs = numbered(entry.path(), "input_");
            auto outputs = numbered(entry.path(), "output_");
            Graph copy = g;
            // Bind the graph inputs to the files' concrete shapes.
            if (inputs.size() != copy.inputs.size())
                return "case has " + std::to_string(inputs.size()) + " inputs, the graph " +
                       std::to_string(copy.inputs.size());
            std::vector<Tensor> values;
            for (std::size_t i = 0; i < inputs.size(); ++i) {
                values.push_back(readTensor(inputs[i]));
                Value& v = copy.values[copy.inputs[i]];
                v.shape = values.back().shape();
                v.dimParams.clear();
            }
            Interpreter ip(std::move(copy));
            for (std::size_t i = 0; i < values.size(); ++i)
                ip.setInput(ip.graph().values[ip.graph().inputs[i]].name, values[i]);
            ip.run();
            if (outputs.size() > ip.graph().outputs.size())
                return "more expected outputs than graph outputs";
            for (std::size_t i = 0; i < outputs.size(); ++i) {
                const Tensor* got = ip.value(ip.graph().outputs[i]);
                if (!got)
                    return "output " + std::to_string(i) + " not computed";
                std::string diff = compare(*got, readTensor(outputs[i]));
                if (!diff.empty())
                    return entry.path().filename().string() + " output " +
                           ip.graph().values[ip.graph().outputs[i]].name + ": " + diff;
            }
        } catch (const std::exception& e) {
            return entry.path().filename().string() + ": " + e.what();
        }
    }
    return "";
}

} // namespace

TEST(OnnxConformance, BackendNodeCases) {
    const fs::path root = nodeTestDir();
    if (!fs::is_directory(root))
        GTEST_SKIP() << "ONNX backend node tests not found at " << root
                     << " (install libonnx-testdata or set AISYS_ONNX_NODE_TESTS)";
    const auto skips = readSkipList();
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(root))
        if (entry.is_directory() && fs::exists(entry.path() / "model.onnx"))
            cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    int passed = 0, listed = 0, notSupported = 0;
    std::map<std::string, int> missingOps;
    std::vector<std::string> unexpected, nowPassing;
    std::set<std::string> seen;
    for (const auto& dir : cases) {
        const std::string name = dir.filename().string();
        seen.insert(name);
        bool applicable = true;
        std::string missing;
        const std::string err = runCase(dir, &applicable, &missing);
        // "...: unsupported op types (n): A ×1, B ×2" → count cases per missing op type.
        if (auto colon = missing.find("): "); colon != std::string::npos) {
            std::istringstream list(missing.substr(colon + 3));
            std::string item;
            while (std::getline(list, item, ',')) {
                const auto b = item.find_first_not_of(' ');
                const auto e = item.find(" \u00d7");
                ++missingOps[item.substr(b, e == std::string::npos ? e : e - b)];
            }
        }
        const bool isListed = skips.count(name) > 0;
        if (!applicable) {
            ++notSupported;
        } else if (err.empty()) {
            ++passed;
            if (isListed)
                nowPassing.push_back(name);
        } else if (isListed) {
            ++listed;
        } else {
            unexpected.push_back(name + ": " + err);
        }
    }
    std::cout << "ONNX node conformance: " << cases.size() << " cases; " << passed << " passed, "
              << listed << " listed as not applicable, " << notSupported
              << " use ops the engine does not have, " << unexpected.size()
              << " unexpected failures\nCases per op type the engine does not have:";
    for (const auto& [op, n] : missingOps)
        std::cout << " " << op << "(" << n << ")";
    std::cout << "\n";
    std::ostringstream report;
    for (const auto& u : unexpected)
        report << "  " << u << "\n";
    EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unlisted failures:\n" << report.str();
    // The list stays honest: an entry whose case now passes (or no longer exists) must go.
    std::ostringstream stale;
    for (const auto& n : nowPassing)
        stale << "  " << n << " (passes now)\n";
    for (const auto& [n, reason] : skips)
        if (!seen.count(n))
            stale << "  " << n << " (no such case)\n";
    EXPECT_TRUE(stale.str().empty()) << "remove from onnx_conformance_skips.txt:\n" << stale.str();
    // engine/ops/UNSUPPORTED.md names every op the node tests use that the engine lacks.
    const auto documented = readUnsupportedList();
    std::string unlisted;
    for (const auto& [op, n] : missingOps)
        if (!documented.count(op))
            unlisted += " " + op + "(" + std::to_string(n) + " cases)";
    EXPECT_TRUE(unlisted.empty())
        << "node tests use ops the engine does not have and engine/ops/UNSUPPORTED.md does not "
           "list (add a row with the reason):"
        << unlisted;
}

TEST(OnnxConformance, UnsupportedListIsTrue) {
    // Every op engine/ops/UNSUPPORTED.md lists is really missing from the registry (a row for
    // an op that has since been implemented must go), and the list is not empty by accident.
    const auto listed = readUnsupportedList();
    ASSERT_GE(listed.size(), 10u) << "engine/ops/UNSUPPORTED.md: table not found or unreadable";
    const OpRegistry& ops = OpRegistry::builtin();
    std::string registered;
    for (const std::string& op : listed) // "domain:Op" names are outside the default domain
        if (op.find(':') == std::string::npos && ops.find(op))
            registered += " " + op;
    EXPECT_TRUE(registered.empty())
        << "engine/ops/UNSUPPORTED.md lists ops the engine registers (remove their rows):"
        << registered;
}
