// ONNX model import and export (through Debian's libonnx protobuf classes, kept private here).
#pragma once

#include "engine/graph/graph.h"
#include "engine/graph/ops.h"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace aisys::engine {

/// A model file the engine cannot take: corrupt, truncated, unsupported ops or types, unsafe
/// external data. The message names the file, the node or tensor, and what was expected.
class OnnxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How to import.
struct OnnxImportOptions {
    /// Values for symbolic dimensions (`--dim NAME=V`); unbound ones stay -1 with their name.
    std::map<std::string, std::int64_t> dims;
    /// Run shape inference after building the graph (needed before interpreting).
    bool inferShapes = true;
    /// For drawing a model that may not run: ops the engine lacks are kept as nodes, shape
    /// inference keeps going past a node it cannot infer (inferSymbolicShapes: symbolic dims
    /// named through the graph) and its problems go to `problems` instead of an OnnxError.
    bool keepUnsupported = false;
    std::vector<InferenceProblem>* problems = nullptr;
};

/// Reads an ONNX model file. Initializers (raw_data, typed fields, external data resolved
/// only inside the model's folder) become Graph initializers, Constant nodes become
/// initializers, graph inputs exclude initializers, opsets are kept per domain and symbolic
/// dims are kept in Value::dimParams. Throws OnnxError.
Graph importOnnxFile(const std::string& path, const OnnxImportOptions& options = {});
/// Same from serialized bytes; external data is resolved inside `baseDir` ("" refuses it).
Graph importOnnxBytes(const std::string& bytes, const std::string& baseDir,
                      const OnnxImportOptions& options = {}, const std::string& label = "model");

/// Serializes a graph as an ONNX model (ir_version 8; initializers as raw_data; value types
/// with symbolic dim names). Import of the result gives the same graph.
std::string exportOnnxBytes(const Graph& g);
/// Writes exportOnnxBytes(g) to a file; throws OnnxError when it cannot.
void exportOnnxFile(const Graph& g, const std::string& path);

/// Parses "NAME=V" (the CLI's --dim) into `dims`; throws std::invalid_argument when malformed.
/// The size a symbolic dimension is given when nobody binds it (a first run, `info`): batch-like
/// names (N, B, batch…) `fallback`, image sides (H, W, height, width) 224, sequence lengths
/// (seq…, …len…, tokens) 128, any other `fallback`.
std::int64_t defaultDimSize(const std::string& name, std::int64_t fallback = 1);
void parseDimBinding(const std::string& text, std::map<std::string, std::int64_t>& dims);

} // namespace aisys::engine
