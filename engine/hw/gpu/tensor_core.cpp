#include "engine/hw/gpu/tensor_core.h"

#include "engine/hw/bits/bit_formats.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace aisys::engine::hw::gpu {

const std::vector<TensorCoreGen>& tensorCoreGens() {
    static const std::vector<TensorCoreGen> all{
        {"volta", "Volta (V100)", 1, "V100", 64, 8, 4, 4, 4, true,
         "NVIDIA Tesla V100 GPU Architecture whitepaper (WP-08608-001 v1.1), 'Tensor Cores': 64 "
         "FP16 FMA per Tensor Core per clock, 8 Tensor Cores per SM",
         "same section: 'a 4x4x4 matrix processing array which performs D = A * B + C'"},
        {"turing", "Turing (T4)", 2, "", 64, 8, 4, 4, 4, false,
         "NVIDIA Turing GPU Architecture whitepaper (WP-09183-001), 'Turing Tensor Cores': up to "
         "64 FP16 FMA per Tensor Core per clock, 8 per SM",
         "not stated; the lab keeps Volta's 4×4×4 (64 FMA)"},
        {"ampere", "Ampere (A100)", 3, "A100", 256, 4, 8, 4, 8, false,
         "NVIDIA A100 Tensor Core GPU Architecture whitepaper (v1.0), 'A100 Tensor Cores': 256 "
         "FP16/FP32 FMA per Tensor Core per clock, 4 per SM",
         "not stated in the whitepaper; 8×4×8 (256 FMA) as commonly given (tinygrad's "
         "accel/cherry/nvidia_notes)"},
        {"hopper", "Hopper (H100)", 4, "H100", 512, 4, 8, 4, 16, false,
         "NVIDIA H100 Tensor Core GPU Architecture whitepaper, 'H100 SM Key Features': 2× A100's "
         "MMA rate per SM clock for clock → 2048 FP16 FMA per SM per clock / 4 Tensor Cores",
         "not stated; the lab draws 8×4×16 (512 FMA), Ampere's shape with K doubled"},
    };
    return all;
}

const TensorCoreGen* findTensorCoreGen(const std::string& in) {
    std::string n;
    for (char c : in)
        n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::pair<const char*, const char*> alias[] = {
        {"v100", "volta"},  {"sm70", "volta"},  {"t4", "turing"},   {"sm75", "turing"},
        {"a100", "ampere"}, {"sm80", "ampere"}, {"h100", "hopper"}, {"sm90", "hopper"}};
    for (const auto& [from, to] : alias)
        if (n == from)
            n = to;
    for (const TensorCoreGen& g : tensorCoreGens())
        if (g.name == n)
            return &g;
    return nullptr;
}

std::string tensorCoreGenNames() {
    std::string out;
    for (const TensorCoreGen& g : tensorCoreGens())
        out += (out.empty() ? "" : ", ") + g.name;
    return out;
}

std::string checkTiling(const TcTiling& t) {
    const std::pair<const char*, int> sizes[] = {{"block M", t.blockM},
                                                 {"block N", t.blockN},
                                                 {"block K", t.blockK},
                                                 {"warp M", t.warpM},
                                                 {"warp N", t.warpN}};
    for (const auto& [what, v] : sizes)
        if (v < 16 || v % 16 != 0 || v > 1024)
            return std::string(what) + " tile " + std::to_string(v) +
                   ": expected a multiple of the 16×16×16 fragment, 16..1024";
    if (t.blockM % t.warpM != 0 || t.blockN % t.warpN != 0)
        return "warp tile " + std::to_string(t.warpM) + "×" + std::to_string(t.warpN) +
               " must divide the block tile " + std::to_string(t.blockM) + "×" +
               std::to_string(t.blockN);
    const int warps = (t.blockM / t.warpM) * (t.blockN / t.warpN);
    if (warps > 32)
        return "block tile / warp tile gives " + std::to_string(warps) +
               " warps; a block has at most 32 (1024 threads)";
    return "";
}

TcPlan planTensorCoreGemm(long long M, long long N, long long K, const TcTiling& t,
                          const TensorCoreGen& g, int sms, double clockGHz) {
    TcPlan p;
    p.M = M, p.N = N, p.K = K;
    if (M < 1 || N < 1 || K < 1 || M > (1LL << 20) || N > (1LL << 20) || K > (1LL << 20)) {
        p.error = "GEMM " + std::to_string(M) + "×" + std::to_string(N) + "×" + std::to_string(K) +
                  " is impossible: M, N and K must be 1..1048576";
        return p;
    }
    if (std::string e = checkTiling(t); !e.empty()) {
        p.error = e;
        return p;
    }
    auto ceilDiv = [](long long a, long long b) { return (a + b - 1) / b; };
    p.gridM = ceilDiv(M, t.blockM);
    p.gridN = ceilDiv(N, t.blockN);
    p.kSteps = ceilDiv(K, t.blockK);
    p.warpsPerBlock = (t.blockM / t.warpM) * (t.blockN / t.warpN);
    p.fragmentsPerWarp = (t.warpM / 16) * (t.warpN / 16);
    p.mmaPerWarpPerKStep = static_cast<long long>(p.fragmentsPerWarp) * (t.blockK / 16);
    p.mmaSync = p.gridM * p.gridN * p.kSteps * p.warpsPerBlock * p.mmaPerWarpPerKStep;
    p.mmaMinimal = ceilDiv(M, 16) * ceilDiv(N, 16) * ceilDiv(K, 16);
    p.usefulFma = M * N * K;
    p.issuedFma = p.mmaSync * 4096;
    p.paddingWaste = 1.0 - double(p.usefulFma) / double(p.issuedFma);
    p.clocksPerMma = 4096 / g.fmaPerClock;
    p.perClockOps = 4096 / (static_cast<long long>(g.m) * g.n * g.k);
    p.tensorCoreClocks = p.mmaSync * p.clocksPerMma;
    if (sms > 0) {
        p.gpuClocks = double(p.tensorCoreClocks) / (double(sms) * g.tensorCoresPerSm);
        if (clockGHz > 0)
            p.timeUs = p.gpuClocks / (clockGHz * 1e3);
    }
    return p;
}

namespace {
float fp16(float v) {
    return static_cast<float>(encode(BitFormat::Fp16, v).value);
}
} // namespace

long long tiledTensorCoreGemm(const std::vector<float>& A, const std::vector<float>& B,
                              const std::vector<float>& C, std::vector<float>& D, int M, int N,
                              int K, const TcTiling& t, const TensorCoreGen& g,
                              const std::function<void(const TcEvent&)>& onMma) {
    if (std::string e = checkTiling(t); !e.empty())
        throw std::invalid_argument(e);
    if (M < 1 || N < 1 || K < 1 || A.size() != size_t(M) * K || B.size() != size_t(K) * N ||
        C.size() != size_t(M) * N)
        throw std::invalid_argument("tiledTensorCoreGemm: A must be M×K, B K×N, C M×N");
    std::vector<float> a(A.size()), b(B.size());
    std::transform(A.begin(), A.end(), a.begin(), fp16);
    std::transform(B.begin(), B.end(), b.begin(), fp16);
    D = C; // the accumulator fragments start as C
    auto at = [&](int r, int c) { return r < M && c < K ? a[size_t(r) * K + c] : 0.0f; };
    auto bt = [&](int r, int c) { return r < K && c < N ? b[size_t(r) * N + c] : 0.0f; };
    long long perClock = 0;
    float acc[16][16];
    const int gridM = (M + t.blockM - 1) / t.blockM, gridN = (N + t.blockN - 1) / t.blockN;
    const int kSteps = (K + t.blockK - 1) / t.blockK;
    for (int bm = 0; bm < gridM; ++bm)
        for (int bn = 0; bn < gridN; ++bn)
            for (int ks = 0; ks < kSteps; ++ks)
                for (int wm = 0; wm < t.blockM / t.warpM; ++wm)
                    for (int wn = 0; wn < t.blockN / t.warpN; ++wn)
                        for (int fm = 0; fm < t.warpM / 16; ++fm)
                            for (int fn = 0; fn < t.warpN / 16; ++fn)
                                for (int fk = 0; fk < t.blockK / 16; ++fk) {
                                    const int r0 = bm * t.blockM + wm * t.warpM + fm * 16;
                                    const int c0 = bn * t.blockN + wn * t.warpN + fn * 16;
                                    const int k0 = ks * t.blockK + fk * 16;
                                    if (onMma)
                                        onMma({bm, bn, ks, wm, wn, fm, fn, fk});
                                    // load the accumulator fragment
                                    for (int i = 0; i < 16; ++i)
                                        for (int j = 0; j < 16; ++j)
                                            acc[i][j] = r0 + i < M && c0 + j < N
                                                            ? D[size_t(r0 + i) * N + c0 + j]
                                                            : 0.0f;
                                    // 16×16×16 as per-clock m×n×k MMAs
                                    for (int mi = 0; mi < 16; mi += g.m)
                                        for (int ni = 0; ni < 16; ni += g.n)
                                            for (int ki = 0; ki < 16; ki += g.k) {
                                                ++perClock;
                                                for (int i = mi; i < mi + g.m; ++i)
                                                    for (int j = ni; j < ni + g.n; ++j) {
                                                        float s = 0;
                                                        for (int kk = ki; kk < ki + g.k; ++kk)
                                                            s += at(r0 + i, k0 + kk) *
                                                                 bt(k0 + kk, c0 + j);
                                                        acc[i][j] += s;
                                                    }
                                            }
                                    for (int i = 0; i < 16; ++i)
                                        for (int j = 0; j < 16; ++j)
                                            if (r0 + i < M && c0 + j < N)
                                                D[size_t(r0 + i) * N + c0 + j] = acc[i][j];
                                }
    return perClock;
}

void referenceGemm(const std::vector<float>& A, const std::vector<float>& B,
                   const std::vector<float>& C, std::vector<float>& D, int M, int N, int K) {
    std::vector<float> a(A.size()), b(B.size());
    std::transform(A.begin(), A.end(), a.begin(), fp16);
    std::transform(B.begin(), B.end(), b.begin(), fp16);
    D.assign(size_t(M) * N, 0);
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            double s = C[size_t(i) * N + j];
            for (int k = 0; k < K; ++k)
                s += double(a[size_t(i) * K + k]) * double(b[size_t(k) * N + j]);
            D[size_t(i) * N + j] = static_cast<float>(s);
        }
}

double tensorCorePeakTflops(int sms, int tensorCoresPerSm, double fmaPerClock, double clockGHz) {
    return double(sms) * tensorCoresPerSm * fmaPerClock * 2.0 * clockGHz / 1000.0;
}

} // namespace aisys::engine::hw::gpu
