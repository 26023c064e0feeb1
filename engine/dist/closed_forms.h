// Textbook α-β times of the collectives (Thakur, Rabenseifner & Gropp 2005; Chan et al. 2007),
// which the simulator must equal exactly on an uncontended one-hop network.
#pragma once

#include "engine/dist/collective.h"

#include <optional>

namespace aisys::engine::dist {

/// Time of `algo` for `op` on p ranks for a size of n bytes, latency α and bandwidth B per
/// link, every message on its own one-hop link (ring topology for ring, fully connected for the
/// rest), no chunking:
///  - ring all-reduce 2(p−1)α + 2((p−1)/p)·n/B; ring reduce-scatter, all-gather
///    (p−1)α + ((p−1)/p)·n/B — when p divides the element count;
///  - binomial broadcast ⌈log₂p⌉(α + n/B), binomial reduce the same for p a power of two
///    (otherwise the ranks above 2^⌊log₂p⌋ send at once and it is faster); linear broadcast
///    and reduce (p−1)(α + n/B);
///  - recursive doubling all-reduce log₂p·(α + n/B), p a power of two; otherwise MPICH's fold
///    adds a round each side: (⌊log₂p⌋ + 2)(α + n/B);
///  - Rabenseifner all-reduce 2·log₂p·α + 2((p−1)/p)·n/B, p a power of two dividing the count.
/// nullopt for the rest (and for the cases above outside their conditions).
std::optional<double> closedFormTime(Op op, Algo algo, int p, std::int64_t count, int elemBytes,
                                     double alpha, double bandwidth);

/// One message of `bytes` over H equal hops in chunks of c bytes (k = ⌈bytes/c⌉ chunks, all of c
/// bytes): (H + k − 1)(α + c/B).
double pipelineTime(int hops, std::int64_t bytes, std::int64_t chunk, double alpha,
                    double bandwidth);

} // namespace aisys::engine::dist
