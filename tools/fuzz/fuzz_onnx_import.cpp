// libFuzzer harness: bytes → importOnnxBytes (with shape inference and constant folding), then
// export and re-import. Anything but a clean OnnxError is a finding.
#include "engine/onnx/onnx_import.h"

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
    } catch (const OnnxError&) {
    }
    return 0;
}
