// libFuzzer harness: bytes → parseNpy; a parsed tensor must encode and parse back identically.
// Anything but a clean NpyError is a finding.
#include "engine/io/npy.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace aisys::engine;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        Tensor t = parseNpy(bytes, "fuzz");
        if (!(parseNpy(encodeNpy(t), "fuzz re-encoded") == t))
            std::abort(); // the writer and the reader disagree
    } catch (const NpyError&) {
    }
    return 0;
}
