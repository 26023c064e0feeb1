// Writes the demo models shipped in assets/models/ from the engine's model zoo with the
// engine's own ONNX exporter: tiny_cnn.onnx (models::tinyCnn) and mobile_block.onnx
// (models::mobileBlock at the graph-optimizer Lab's default size).
// Usage: make_demo_models OUTPUT_DIR   (rerun after changing a model; the files are committed)
#include "engine/models/zoo.h"
#include "engine/onnx/onnx_import.h"

#include <cstdio>
#include <string>

using namespace aisys::engine;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_demo_models OUTPUT_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    try {
        // 1. Export each model; 2. check that the file imports and infers (a symbolic batch
        //    bound to 1).
        struct File {
            std::string name;
            Graph graph;
            bool symbolicBatch;
        };
        const File files[] = {{"tiny_cnn.onnx", models::tinyCnn(), true},
                              {"mobile_block.onnx", models::mobileBlock({}), false}};
        for (const File& f : files) {
            exportOnnxFile(f.graph, dir + "/" + f.name);
            OnnxImportOptions io;
            if (f.symbolicBatch)
                io.dims["batch"] = 1;
            (void)importOnnxFile(dir + "/" + f.name, io);
            std::printf("wrote %s/%s\n", dir.c_str(), f.name.c_str());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_demo_models: %s\n", e.what());
        return 1;
    }
    return 0;
}
