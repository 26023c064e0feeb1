// The α-β closed forms of closed_forms.h.
#include "engine/dist/closed_forms.h"

#include "engine/dist/schedule_kit.h"

namespace aisys::engine::dist {

std::optional<double> closedFormTime(Op op, Algo algo, int p, std::int64_t count, int elemBytes,
                                     double alpha, double bandwidth) {
    if (p < 1 || count < 1)
        return std::nullopt;
    const double n = double(count) * elemBytes, B = bandwidth, a = alpha, q = p;
    const bool pow2 = (p & (p - 1)) == 0, divides = count % p == 0;
    if (algo == Algo::Ring && divides) {
        if (op == Op::AllReduce)
            return 2 * (q - 1) * a + 2 * ((q - 1) / q) * n / B;
        if (op == Op::ReduceScatter || op == Op::AllGather)
            return (q - 1) * a + ((q - 1) / q) * n / B;
    }
    if ((op == Op::Broadcast || (op == Op::Reduce && pow2)) && algo == Algo::Binomial)
        return ceilLog2(p) * (a + n / B);
    if ((op == Op::Broadcast || op == Op::Reduce) && algo == Algo::Linear)
        return (q - 1) * (a + n / B);
    if (op == Op::AllReduce && algo == Algo::RecursiveDoubling)
        return pow2 ? ceilLog2(p) * (a + n / B) : (ceilLog2(floorPow2(p)) + 2) * (a + n / B);
    if (op == Op::AllReduce && algo == Algo::Rabenseifner && pow2 && divides)
        return 2 * ceilLog2(p) * a + 2 * ((q - 1) / q) * n / B;
    return std::nullopt;
}

double pipelineTime(int hops, std::int64_t bytes, std::int64_t chunk, double alpha,
                    double bandwidth) {
    const std::int64_t k = chunk > 0 && chunk < bytes ? (bytes + chunk - 1) / chunk : 1;
    const double c = k > 1 ? double(chunk) : double(bytes);
    return double(hops + k - 1) * (alpha + c / bandwidth);
}

} // namespace aisys::engine::dist
