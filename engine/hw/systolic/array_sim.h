// Cycle-level systolic array: computes C = A·B through the PEs, fold by fold, and gives any
// PE's state at any (fold, cycle) directly from closed-form timing (no replay).
//
// Timing within one fold (cycle t = 0 .. cyclesPerFold−1; PE (r, c), 0-based):
//   WS: cycles 0..R−1 preload weights from the top edge (bottom row's weight first);
//       ifmap word A[m][k0+r] enters row r at t = R + m + r, reaches PE (r,c) at
//       t = R + m + r + c; partial sums flow down and leave the bottom at R + m + R−1 + c.
//   IS: same as WS with the ifmap (Kᵀ×M block) preloaded and B[k0+r][n] streaming from the
//       left; the psum of column c is the output C[m0+c][n].
//   OS: A[m0+r][k] enters row r at t = k + r, B[k][n0+c] enters column c at t = k + c, so PE
//       (r,c) does MAC k at t = k + r + c and keeps C[m0+r][n0+c].
// Each fold lasts 2R + C + T − 2 (WS, IS) or R + C + T − 2 (OS) cycles, exactly SCALE-Sim's
// per-fold length; folds run col-fold-major: fold f = colFold · rowFolds + rowFold.
#pragma once

#include "engine/hw/systolic/addresses.h"
#include "engine/hw/systolic/layer.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace aisys::engine::systolic {

using Matrix = Eigen::MatrixXd;

/// One fold: which block of the stationary matrix (Sr×Sc) sits in the array.
struct FoldInfo {
    std::int64_t index = 0;
    std::int64_t rowFold = 0, colFold = 0;
    std::int64_t rowStart = 0, rowsUsed = 0; ///< spatial rows [rowStart, rowStart+rowsUsed)
    std::int64_t colStart = 0, colsUsed = 0; ///< spatial cols
    std::int64_t cycles = 0;                 ///< length of this fold
    std::int64_t startCycle = 0;             ///< global cycle of its first cycle (no stalls)
};

/// Phase of the array during a fold cycle.
enum class Phase { Preload, Stream, Drain };

/// State of one PE at one cycle (after that cycle's MAC).
struct PeState {
    bool used = false;   ///< this PE holds a mapped element in this fold
    bool active = false; ///< it performs a MAC this cycle
    /// WS/IS: the stationary word is loaded (true from the cycle it arrives at its final PE);
    /// OS: always true for used PEs (the output accumulator).
    bool stationaryLoaded = false;
    std::int64_t k = -1; ///< reduction index of this cycle's MAC (−1 if idle)
    std::int64_t m = -1; ///< output row the psum belongs to (−1 if none)
    std::int64_t n = -1; ///< output col the psum belongs to (−1 if none)
    double a = 0;        ///< ifmap operand A[m][k] used this cycle (0 if idle)
    double b = 0;        ///< filter operand B[k][n] used this cycle (0 if idle)
    /// WS/IS: value held in the weight/input register (also while it travels in the
    /// preload phase); OS: equals psum.
    double stationary = 0;
    /// Partial sum in this PE after the cycle: WS/IS: Σ over this fold's rows 0..r of the
    /// column's products for output (m,n); OS: Σ_{k'≤k} A[m][k']·B[k'][n] (accumulator).
    double psum = 0;
    std::int64_t macsDone = 0; ///< MACs this PE has performed in this fold up to this cycle
};

/// One word on an array edge at one cycle.
struct EdgeWord {
    bool valid = false;
    std::int64_t i = -1, j = -1; ///< element of its matrix: A[i][j], B[i][j] or C[i][j]
    double value = 0;
    /// SCALE-Sim operand-matrix address (+ offset); −1 for an ifmap word past the edge.
    std::int64_t sramAddress = -1;
};

/// Words entering the array at one cycle: the skewed wavefront.
struct EdgeFeed {
    std::vector<EdgeWord> left;   ///< size R: word entering row r at column 0
    std::vector<EdgeWord> top;    ///< size C: word entering column c at row 0
    std::vector<EdgeWord> bottom; ///< size C: finished output leaving column c (WS/IS) or
                                  ///< written from PE row (OS, at its last MAC)
};

/// The array, a GEMM and a dataflow. A is M×K (ifmap, im2col'd), B is K×N (filter).
class SystolicArray {
public:
    /// Throws std::invalid_argument on shape mismatch or an invalid array.
    SystolicArray(ArrayConfig array, Dataflow df, Matrix A, Matrix B);

    const ArrayConfig& array() const { return m_array; }
    Dataflow dataflow() const { return m_df; }
    GemmShape gemm() const { return m_gemm; }
    SpatioTemporal spatioTemporal() const { return m_st; }
    const Matrix& A() const { return m_A; }
    const Matrix& B() const { return m_B; }

    std::int64_t foldCount() const { return m_rowFolds * m_colFolds; }
    FoldInfo fold(std::int64_t f) const;
    std::int64_t cyclesPerFold() const;
    /// folds · cyclesPerFold − 1 (SCALE-Sim's total without stalls).
    std::int64_t totalCycles() const;
    Phase phase(std::int64_t fold, std::int64_t cycle) const;

    /// Random access, O(1) for everything but psum (O(depth): ≤ R terms for WS/IS, ≤ T for
    /// OS). Throws std::out_of_range for a bad fold/cycle/row/col.
    PeState state(std::int64_t fold, std::int64_t cycle, int row, int col) const;
    /// Whole array at (fold, cycle): row-major R·C states. withPsum=false skips the psum
    /// dot products and is O(R·C).
    std::vector<PeState> snapshot(std::int64_t fold, std::int64_t cycle,
                                  bool withPsum = true) const;
    /// The skewed wavefront at (fold, cycle) with SRAM addresses. O(R + C).
    EdgeFeed feed(std::int64_t fold, std::int64_t cycle) const;
    /// R×C: MACs each PE performed in the fold up to and including `cycle` (−1 = whole fold).
    Eigen::MatrixXi activity(std::int64_t fold, std::int64_t cycle = -1) const;

    /// Cycle-stepped run: registers shift PE to PE every cycle, for every fold; partial
    /// results of row folds are accumulated outside the array. Returns C (M×N) = A·B.
    Matrix run() const;

    /// SRAM address of A[m][k] / B[k][n] / C[m][n] as in SCALE-Sim's operand matrices
    /// (conv layers: the ifmap pixel the im2col entry reads). Default: the GEMM layer
    /// Layer::gemm(M, K, N), i.e. A[m][k] at m·K + k.
    void setLayer(const Layer& layer, std::int64_t ifmapOffset = 0,
                  std::int64_t filterOffset = 10000000, std::int64_t ofmapOffset = 20000000);
    std::int64_t addressA(std::int64_t m, std::int64_t k) const;
    std::int64_t addressB(std::int64_t k, std::int64_t n) const;
    std::int64_t addressC(std::int64_t m, std::int64_t n) const;

private:
    friend class SystolicStepper;
    /// Throws std::out_of_range unless 0 ≤ t < fi.cycles.
    void checkCycle(const FoldInfo& fi, std::int64_t t) const;
    /// The cycle of fold-relative time at which PE (r, c) does its first MAC.
    std::int64_t firstMacCycle(std::int64_t r, std::int64_t c) const;
    /// The state of PE (r, c) at cycle t of fold fi (the one formula behind state() and
    /// snapshot()); the psum only when withPsum.
    PeState peState(const FoldInfo& fi, std::int64_t t, std::int64_t r, std::int64_t c,
                    bool withPsum) const;
    ArrayConfig m_array;
    Dataflow m_df;
    Matrix m_A, m_B;
    /// Aᵀ (column m = row m of A) so partial sums are contiguous dot products.
    Matrix m_At;
    GemmShape m_gemm;
    SpatioTemporal m_st;
    std::int64_t m_rowFolds = 0, m_colFolds = 0;
    OperandAddresses m_addr;
};

/// Replays one fold cycle by cycle with real registers (the reference the random-access
/// states are tested against). step() advances one cycle; state() reads the registers.
class SystolicStepper {
public:
    SystolicStepper(const SystolicArray& sa, std::int64_t fold);
    std::int64_t cycle() const { return m_cycle; } ///< last executed cycle (−1 before step)
    bool done() const;
    void step();
    PeState state(int row, int col) const;
    /// Outputs completed in this fold so far: (m, n, value) contributions of this fold.
    const std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, double>>& outputs() const {
        return m_out;
    }

private:
    const SystolicArray& m_sa;
    FoldInfo m_fold;
    std::int64_t m_cycle = -1;
    int m_R, m_C;
    // Per-PE registers, row-major.
    std::vector<PeState> m_pe;
    std::vector<double> m_hReg, m_vReg;       // horizontal / vertical moving values
    std::vector<std::int64_t> m_hTag, m_vTag; // temporal index carried (−1 = bubble)
    std::vector<double> m_stat;               // stationary register
    std::vector<std::int64_t> m_statTag;      // which spatial row the held word is for
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, double>> m_out;
};

} // namespace aisys::engine::systolic
