// Compute definitions of the loop-optimization lab: what is computed (arrays, iteration axes,
// one statement with affine indices), independent of how the loops run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aisys::engine::loops {

/// A value or the message saying why there is none (errors a user can cause are values).
template <class T> struct Checked {
    std::optional<T> value;
    std::string error;
    explicit operator bool() const { return value.has_value(); }
    static Checked fail(std::string msg) { return Checked{std::nullopt, std::move(msg)}; }
};

/// Bytes of one element: every array holds float32 (the generated C code uses `float`).
inline constexpr std::int64_t kElemBytes = 4;

/// One array in row-major order, placed at `offset` bytes into one memory pool.
struct ArrayDecl {
    std::string name;
    std::vector<std::int64_t> dims;
    std::int64_t offset = 0; ///< byte offset in the pool (a multiple of 64)
    std::int64_t elements() const;
    std::int64_t bytes() const { return elements() * kElemBytes; }
};

/// An iteration axis of the naive nest; `reduction` axes do not appear in the output's index.
struct Axis {
    std::string name;
    std::int64_t extent = 1;
    bool reduction = false;
};

/// One index of an array access: constant + Σ coef[a]·axis[a].
struct AffineIndex {
    std::int64_t constant = 0;
    std::vector<std::int64_t> coef; ///< one per axis of the ComputeDef
};

/// An access to an array: one affine index per dimension.
struct ArrayRef {
    int array = 0;
    std::vector<AffineIndex> index;
};

/// What the statement computes from its loads.
enum class Body {
    MulAcc,     ///< out += load0 · load1
    Mean,       ///< out = (Σ loads) / count
    MulAddRelu, ///< out = max(load0 · load1 + load2, 0)
    Add,        ///< out += load0
    Max,        ///< out = max(out, load0) (accumulate)
    Fill,       ///< out = −∞ (no loads: the start of a max)
    ExpSub,     ///< out = exp(load0 − load1)
    Div,        ///< out = load0 / load1
};

/// A compute definition: `out (+)= body(loads)` over the box of its axes. The output starts at
/// zero; every iteration point is visited once by the naive nest (axes in their order).
struct ComputeDef {
    std::string op; ///< "matmul", "conv-nchw", "conv-nhwc", "blur3x3", "elementwise", "accumulate"
    std::string stage;     ///< the stage's name in a pipeline of several ("" alone)
    std::string signature; ///< its sizes, e.g. "M=256 N=256 K=256"
    std::vector<ArrayDecl> arrays;
    std::vector<Axis> axes;
    ArrayRef out;
    bool accumulate = false; ///< out += … (reads the output before writing it)
    std::vector<ArrayRef> loads;
    Body body = Body::MulAcc;

    /// Index of the axis named `name`, or -1.
    int axisIndex(const std::string& name) const;
    /// The access as text, e.g. "C[i][j]" or "I[n][ic][oh + kh][ow + kw]".
    std::string refText(const ArrayRef& r) const;
    /// The statement as pseudo-C, e.g. "C[i][j] += A[i][k] * B[k][j]".
    std::string statementText() const;
    /// Total bytes of the pool.
    std::int64_t poolBytes() const;
    /// Multiply-adds or additions of one iteration (for the cost model).
    int flopsPerIteration() const;
};

/// out C[M][N] += A[M][K] · B[K][N]; axes i, j, k (k reduces).
ComputeDef matmul(std::int64_t m, std::int64_t n, std::int64_t k);
/// Valid (unpadded) stride-1 convolution in NCHW: O[n][oc][oh][ow] += I[n][ic][oh+kh][ow+kw] ·
/// W[oc][ic][kh][kw], OH = H − KH + 1; axes n, oc, oh, ow, ic, kh, kw (the last three reduce).
ComputeDef convNchw(std::int64_t n, std::int64_t ic, std::int64_t h, std::int64_t w,
                    std::int64_t oc, std::int64_t kh, std::int64_t kw);
/// The same convolution in NHWC: O[n][oh][ow][oc] += I[n][oh+kh][ow+kw][ic] · W[kh][kw][ic][oc];
/// axes n, oh, ow, oc, kh, kw, ic.
ComputeDef convNhwc(std::int64_t n, std::int64_t ic, std::int64_t h, std::int64_t w,
                    std::int64_t oc, std::int64_t kh, std::int64_t kw);
/// 3×3 box blur: out[y][x] = (Σ in[y+dy][x+dx]) / 9 over an (H+2)×(W+2) input; axes y, x.
ComputeDef blur3x3(std::int64_t h, std::int64_t w);
/// An element-wise chain fused in one statement: out[i][j] = max(A[i][j]·B[i][j] + C[i][j], 0).
ComputeDef elementwise(std::int64_t m, std::int64_t n);

/// The course's tiling example: for i < n, j < m: A[i] += B[j]; axes i, j (j reduces).
ComputeDef accumulate(std::int64_t n, std::int64_t m);

/// Several stages over the same arrays, run one after the other (each a ComputeDef whose
/// `arrays` are the pipeline's). An array no stage writes is an input.
struct Pipeline {
    std::string op, signature;
    std::vector<ComputeDef> stages;
    /// The stage named `name`, or -1.
    int stageIndex(const std::string& name) const;
};

/// Softmax over the rows of X[M][N] in five stages: mx[i] = −∞ ("init"); mx[i] = max(mx[i],
/// X[i][j]) ("max"); E[i][j] = exp(X[i][j] − mx[i]) ("exp"); S[i] += E[i][j] ("sum");
/// Y[i][j] = E[i][j] / S[i] ("div").
Pipeline softmax(std::int64_t m, std::int64_t n);

/// Every op of `makeCompute` as a one-stage pipeline, and softmax M,N.
Checked<Pipeline> makePipeline(const std::string& op, const std::vector<std::int64_t>& sizes);

/// The op names `makeCompute` knows, with the meaning of their sizes.
std::string computeOpsHelp();
/// Builds `op` from its sizes (matmul M,N,K; conv-nchw / conv-nhwc N,IC,H,W,OC,KH,KW; blur3x3
/// H,W; elementwise M,N; accumulate N,M). Error: unknown op, wrong count, a size < 1, a kernel
/// larger than the input, or more than 2^31 elements in an array.
Checked<ComputeDef> makeCompute(const std::string& op, const std::vector<std::int64_t>& sizes);

} // namespace aisys::engine::loops
