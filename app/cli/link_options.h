// What `dp` and `tp` share on the command line: the simulated network's options (--topology,
// --algo, --alpha, --bw) and a whole number within a range.
#pragma once

#include "engine/dist/collective.h"
#include "engine/dist/topology.h"

#include <string>

namespace aisys::app::cli {

/// Reads option `a` with value `v` when it is --topology NAME, --algo ALGO, --alpha TIME or
/// --bw RATE, into `topology`, `algo` and `net`. Returns false when `a` is none of them;
/// otherwise true, with `err` set ("--algo 'x': expected one of …") when `v` is not valid.
bool parseLinkOption(const std::string& a, const std::string& v, std::string& topology,
                     engine::dist::Algo& algo, engine::dist::ShapeParams& net, std::string& err);

/// `v` as a whole number in [lo, hi] into `out`; false (out unchanged) otherwise.
bool parseInt(const std::string& v, int lo, int hi, int& out);

} // namespace aisys::app::cli
