// libFuzzer harness: bytes → importOnnxBytes (with shape inference and constant folding), then
// export and re-import, then a run of the imported graph under a 16 MiB memory budget and a
// FLOP ceiling (runUntrusted). Anything but a clean OnnxError or refusal is a finding.
#include "engine/onnx/onnx_import.h"
#include "engine/tools/untrusted_run.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace aisys::engine;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        Graph g = importOnnxBytes(bytes, "", {}, "fuzz");
        // A model that imports must export, and the export must import again.
        Graph again = importOnnxBytes(exportOnnxBytes(g), "", {}, "fuzz re-import");
        (void)again;
        // And it must run or be refused cleanly, within 16 MiB and 2·10⁷ FLOPs.
        (void)runUntrusted(std::move(g), std::size_t{16} << 20, 2e7);
    } catch (const OnnxError&) {
    }
    return 0;
}
