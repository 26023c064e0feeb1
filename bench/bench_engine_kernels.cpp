// MatMul and Conv 3×3 GFLOP/s, single-threaded: the engine's kernels (called through the op
// registry, output allocation included) against Eigen's own GEMM on the same shapes.
#include "engine/core/threads.h"
#include "engine/graph/ops.h"

#include "engine/core/gemm.h"

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <random>

using namespace aisys::engine;

namespace {

Tensor randomTensor(const Shape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(static_cast<std::size_t>(numElements(shape)));
    for (float& x : v)
        x = u(rng);
    return Tensor::f32(shape, std::move(v));
}

/// Runs one op's registered kernel per iteration (output allocated per call, as the
/// interpreter does) and reports GFLOP/s from the op's own FLOP count.
void runOp(benchmark::State& state, Node node, const std::vector<Tensor>& inputs) {
    const OpDef* def = OpRegistry::builtin().find(node.op);
    std::vector<const Tensor*> in;
    for (const Tensor& t : inputs)
        in.push_back(&t);
    const OpCall call = opCall(node, in);
    const auto types = def->infer(call);
    for (auto _ : state) {
        std::vector<Tensor> out;
        for (const auto& t : types)
            out.emplace_back(t.dtype, t.shape);
        def->forward(call, in, out);
        benchmark::DoNotOptimize(out[0].rawData());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(def->flops(call, types) / 1e9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

/// Eigen's GEMM C = A·B (row-major, f32) for M×K times K×N, built for the same instruction set
/// the kernels use (engine::gemm: Eigen's AVX2+FMA build when the CPU has it), called directly
/// on raw arrays: no registry, no allocation.
void eigenGemm(benchmark::State& state, Eigen::Index m, Eigen::Index k, Eigen::Index n) {
    const Tensor a = randomTensor({m, k}, 1), b = randomTensor({k, n}, 2);
    MatrixXfR c(m, n);
    state.SetLabel(gemmKernelName());
    for (auto _ : state) {
        gemm(false, false, m, n, k, 1.0f, a.data<float>(), k, b.data<float>(), n, 0.0f, c.data(),
             n);
        benchmark::DoNotOptimize(c.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * double(m) * double(k) * double(n) / 1e9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

void BM_EigenGemmSquare(benchmark::State& state) {
    const auto n = state.range(0);
    eigenGemm(state, n, n, n);
}

void BM_EngineMatMulSquare(benchmark::State& state) {
    const auto n = state.range(0);
    Node node;
    node.name = "matmul";
    node.op = "MatMul";
    node.inputs = {0, 1};
    node.outputs = {2};
    runOp(state, node, {randomTensor({n, n}, 1), randomTensor({n, n}, 2)});
}

/// Conv 3×3, stride 1, pad 1: channels c → c on an h×h image (batch 1).
void BM_EngineConv3x3(benchmark::State& state) {
    const auto c = state.range(0), h = state.range(1);
    Node node;
    node.name = "conv";
    node.op = "Conv";
    node.inputs = {0, 1};
    node.outputs = {2};
    node.attrs = {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
                  {"pads", std::vector<std::int64_t>{1, 1, 1, 1}}};
    runOp(state, node, {randomTensor({1, c, h, h}, 1), randomTensor({c, c, 3, 3}, 2)});
}

/// Depthwise Conv 3×3 (group = channels), the MobileNet block's first half.
void BM_EngineDepthwiseConv3x3(benchmark::State& state) {
    const auto c = state.range(0), h = state.range(1);
    Node node;
    node.name = "dwconv";
    node.op = "Conv";
    node.inputs = {0, 1};
    node.outputs = {2};
    node.attrs = {{"kernel_shape", std::vector<std::int64_t>{3, 3}},
                  {"pads", std::vector<std::int64_t>{1, 1, 1, 1}},
                  {"group", c}};
    runOp(state, node, {randomTensor({1, c, h, h}, 1), randomTensor({c, 1, 3, 3}, 2)});
}

/// The GEMM an im2col 3×3 conv performs: [c × 9c] · [9c × h²].
void BM_EigenGemmConvShape(benchmark::State& state) {
    const auto c = state.range(0), h = state.range(1);
    eigenGemm(state, c, 9 * c, h * h);
}

BENCHMARK(BM_EigenGemmSquare)->Arg(128)->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineMatMulSquare)->Arg(128)->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EigenGemmConvShape)
    ->Args({64, 56})
    ->Args({128, 28})
    ->Args({256, 14})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineConv3x3)
    ->Args({64, 56})
    ->Args({128, 28})
    ->Args({256, 14})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineDepthwiseConv3x3)
    ->Args({64, 56})
    ->Args({256, 14})
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    setThreads(1); // single-threaded: the engine's kernels and Eigen alike
    Eigen::setNbThreads(1);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
