// SIMT execution of a small kernel on one warp: every lane holds a register x; branches split
// the warp with an active mask, each side runs with its lanes masked in, and the warp
// reconverges at the branch's end (the immediate post-dominator), as a SIMT stack does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::hw::gpu {

/// One statement of the kernel language (one per line or separated by ';'):
///   x += K   x -= K   x *= K   x = K        (1 cycle each; "@N" after it: N cycles)
///   if lane < K | if x < K | if x >= K | if lane == K | if x != K | if lane % K == R | ...
///   else
///   end
struct SimtStmt {
    enum class Kind { Op, If, Else, End };
    enum class Var { Lane, X };
    enum class Cmp { Lt, Ge, Gt, Le, Eq, Ne };
    Kind kind = Kind::Op;
    // Op: x = x <op> value (op '+', '-', '*', '=').
    char op = '+';
    long long value = 0;
    int cycles = 1;
    // If: (var [% mod]) cmp rhs.
    Var var = Var::Lane;
    long long mod = 0; ///< 0 = no modulo
    Cmp cmp = Cmp::Lt;
    long long rhs = 0;
    std::string text; ///< the statement as written (normalised)
    int line = 0;     ///< 1-based statement number
};

/// A parsed kernel, or the error ("statement N: ... (expected ...)").
struct SimtKernel {
    std::vector<SimtStmt> stmts;
    std::string error;
    bool ok() const { return error.empty(); }
};
SimtKernel parseSimtKernel(const std::string& source);

/// One executed statement of the warp.
struct SimtStep {
    int stmt = 0;             ///< index into the kernel
    std::uint32_t mask = 0;   ///< lanes active while it runs
    int cycles = 0;           ///< cycles it cost the warp (0: skipped, no lane active)
    int depth = 0;            ///< nesting depth (for indentation)
    std::vector<long long> x; ///< every lane's x after the statement
};

struct SimtRun {
    std::vector<SimtStep> steps;    ///< every statement the warp reached, in order
    std::vector<long long> x;       ///< each lane's register after the kernel
    int cycles = 0;                 ///< cycles the warp spent: Σ over executed statements
    int uniformCycles = 0;          ///< cycles if no branch diverged (the longest lane)
    long long activeLaneCycles = 0; ///< Σ cycles × active lanes
    double efficiency = 0;          ///< active lane-cycles / (lanes × cycles)
    int divergentBranches = 0;      ///< ifs whose lanes split both ways
};

/// Runs `k` on one warp of `lanes` lanes (1..32) with x[i] = input[i] (missing inputs: the lane
/// id). A statement no lane reaches costs nothing (the warp jumps over it); an `if` costs one
/// cycle, its taken sides their statements. Throws std::invalid_argument on a bad kernel or
/// lane count.
SimtRun runSimt(const SimtKernel& k, const std::vector<long long>& input, int lanes = 32);

/// The same kernel on one lane alone (the scalar reference): the lane's x at the end and the
/// cycles it spent.
long long runScalarLane(const SimtKernel& k, int lane, long long x0, int* cycles = nullptr);

/// "0x0000FFFF"-style mask text and a 32-character lane map ('#' active, '.' masked).
std::string maskText(std::uint32_t mask, int lanes = 32);

/// The built-in example kernels, by name: "ifelse" (lanes < 16 take one side), "oddeven"
/// (x % 2), "uniform" (a branch every lane takes the same way), "nested".
std::string simtExample(const std::string& name);
const char* simtExampleNames();

} // namespace aisys::engine::hw::gpu
