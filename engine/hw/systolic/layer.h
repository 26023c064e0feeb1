// Systolic-array model: dataflows, array shape and layers mapped to GEMM the SCALE-Sim v2 way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aisys::engine::systolic {

/// Which operand stays in the PEs while the other one streams through.
enum class Dataflow {
    WS, ///< weight stationary: filter (K×N) stays; ifmap rows stream, temporal dim M
    OS, ///< output stationary: outputs (M×N) stay; both operands stream, temporal dim K
    IS  ///< input stationary: ifmap (K×M, transposed) stays; filter streams, temporal dim N
};

/// "ws" | "os" | "is" (any case); std::nullopt otherwise.
std::optional<Dataflow> parseDataflow(std::string_view text);
/// Like parseDataflow, but throws std::invalid_argument("unknown dataflow 'x' (expected
/// ws, os or is)").
Dataflow dataflowFromString(std::string_view text);
/// "ws", "os" or "is".
const char* dataflowName(Dataflow df);

/// An R×C grid of processing elements. rows = ArrayHeight, cols = ArrayWidth in SCALE-Sim.
struct ArrayConfig {
    int rows = 8;
    int cols = 8;
    /// Throws std::invalid_argument unless 1 ≤ rows, cols ≤ 65536.
    void validate() const;
};

/// C (M×N) = A (M×K) · B (K×N). A is the (im2col'd) ifmap, B the filter, C the ofmap.
struct GemmShape {
    std::int64_t M = 0; ///< ofmap pixels (per filter)
    std::int64_t K = 0; ///< window size = filterH · filterW · channels
    std::int64_t N = 0; ///< number of filters
    std::int64_t macs() const { return M * K * N; }
};

/// One layer in SCALE-Sim's convolution form. A GEMM layer is stored as SCALE-Sim stores it:
/// ifmap M×K, filter 1×K, 1 channel, N filters, stride 1 (so ofmap is M×1 per filter).
struct Layer {
    std::string name;
    std::int64_t ifmapH = 1, ifmapW = 1;
    std::int64_t filterH = 1, filterW = 1;
    std::int64_t channels = 1;
    std::int64_t filters = 1;
    std::int64_t strideH = 1, strideW = 1;

    /// A GEMM layer M×K×N (SCALE-Sim's "Layer, M, N, K" topology form).
    static Layer gemm(std::string name, std::int64_t M, std::int64_t K, std::int64_t N);
    /// A convolution layer (square stride if strideW ≤ 0).
    static Layer conv(std::string name, std::int64_t ifmapH, std::int64_t ifmapW,
                      std::int64_t filterH, std::int64_t filterW, std::int64_t channels,
                      std::int64_t filters, std::int64_t strideH, std::int64_t strideW = 0);

    /// ofmap height/width as SCALE-Sim computes them: ceil((H − FH + S) / S) = ⌈(H−FH)/S⌉ + 1.
    /// When S does not divide H − FH this is one more than the usual ⌊(H−FH)/S⌋ + 1: the last
    /// window runs past the edge and its missing ifmap words are null requests (address −1).
    std::int64_t ofmapH() const;
    std::int64_t ofmapW() const;
    /// M = ofmapH·ofmapW, K = filterH·filterW·channels, N = filters.
    GemmShape gemmShape() const;
    /// Throws std::invalid_argument naming the layer and the field when a size or stride is
    /// ≤ 0 or the filter is larger than the input.
    void validate() const;
};

/// The operand matrix that stays in the array and the temporal dimension, per dataflow:
/// WS: Sr = K, Sc = N, T = M;  OS: Sr = M, Sc = N, T = K;  IS: Sr = K, Sc = M, T = N.
struct SpatioTemporal {
    std::int64_t Sr = 0; ///< spatial rows (mapped onto array rows)
    std::int64_t Sc = 0; ///< spatial cols (mapped onto array cols)
    std::int64_t T = 0;  ///< temporal dimension (streamed)
};
SpatioTemporal spatioTemporal(const GemmShape& g, Dataflow df);

} // namespace aisys::engine::systolic
