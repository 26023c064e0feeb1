// The loop nest as text: readable pseudo-C for students, and a complete C program (the same
// loads and stores in the same order) for comparing with real tools such as cachegrind.
#pragma once

#include "engine/loops/schedule.h"

#include <string>

namespace aisys::engine::loops {

/// Pseudo-C: one `for` per loop (annotated parallel / unrolled / vectorized), the derived
/// variables resolved back to the axes, guards of split tails, and the statement.
std::string nestText(const LoopNest& nest);

/// A C11 program whose `kernel` runs the nest over `volatile float` arrays placed in one pool
/// aligned to 2 MiB, at the same byte offsets as the executor's addresses (so every address
/// agrees modulo 2 MiB). Compiled with gcc -O1 it performs exactly the executor's loads and
/// stores, in its order (a vectorized loop as one group: each load for all lanes, then the
/// stores: on x86-64 one SSE/AVX access per load and store when each is uniform or contiguous
/// across 4 or 8 lanes without a guard, else lane temporaries, also with -DAISYS_NO_SIMD);
/// unrolled loops carry `#pragma GCC unroll`; parallel loops run serially.
/// `schedule` is quoted in the header comment.
std::string cProgram(const LoopNest& nest, const std::string& schedule);

/// The stages of a pipeline one after the other: the pseudo-C of each under "// stage NAME"
/// (a single nest prints as `nestText(nest)`), and one kernel with a block per stage (link
/// with -lm: exp is `expf`).
std::string nestText(const std::vector<LoopNest>& stages);
std::string cProgram(const std::vector<LoopNest>& stages, const std::string& schedule);

} // namespace aisys::engine::loops
