// A TPUv4 pod: 4×4×4-chip cubes joined by optical circuit switches (OCS) into slices that are
// 3-D tori; slice allocation around failed chips with and without the OCS.
#pragma once

#include "engine/hw/tpu/torus.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::tpu {

/// The optical wiring of a pod of `cubes` cubes of edge `edge` (TPUv4: 64 cubes, edge 4).
/// Each cube face carries edge² links; each of the 3·edge² OCSes serves one (dimension, face
/// position) and has one port for the "+" face and one for the "−" face of every cube.
struct OcsWiring {
    int linksPerCube = 0; ///< 6 faces × edge²
    int ocsCount = 0;     ///< 3 × edge²
    int portsPerOcs = 0;  ///< 2 × cubes
    int totalFibres = 0;  ///< cubes × linksPerCube = ocsCount × portsPerOcs
};
OcsWiring ocsWiring(int cubes, int edge);

/// A slice request in chips; each side a multiple of the cube edge.
struct SliceShape {
    int x = 4, y = 4, z = 4;
};

/// Where a slice landed: cubes[i] is the pod cube that plays slice cube i (row-major over the
/// slice's cube grid), or ok = false with the reason.
struct SliceAllocation {
    bool ok = false;
    std::array<int, 3> cubeGrid{1, 1, 1}; ///< slice size in cubes (x, y, z)
    std::vector<int> cubes;
    std::string reason;
};

/// The pod: cubes of edge³ chips; chip id = cube · edge³ + local row-major id (x, y, z).
/// Physically (for the no-OCS comparison) the cubes sit in a side×side×side grid.
class Pod {
public:
    /// cubes must be a perfect cube (1, 8, 27, 64, …, ≤ 512); 2 ≤ edge ≤ 8.
    explicit Pod(int cubes = 64, int edge = 4);

    int cubes() const { return m_cubes; }
    int edge() const { return m_edge; }
    int chipsPerCube() const { return m_edge * m_edge * m_edge; }
    int chips() const { return m_cubes * chipsPerCube(); }
    int cubeSide() const { return m_side; } ///< cubes per side of the physical grid

    /// `count` distinct failed chips chosen uniformly with a fixed seed.
    std::vector<bool> randomFailures(int count, unsigned seed) const;
    /// A cube is usable when none of its chips failed.
    std::vector<bool> healthyCubes(const std::vector<bool>& failedChips) const;

    /// Checks a shape: positive multiples of the edge, at most `cubes` cubes in all.
    /// Returns "" or the message.
    std::string checkShape(const SliceShape& s) const;
    /// With OCS: any healthy cubes will do (the switches wire them into a torus).
    SliceAllocation allocateWithOcs(const SliceShape& s, const std::vector<bool>& failed) const;
    /// Without OCS: an axis-aligned block of healthy cubes in the physical grid (any of the
    /// 6 orientations of the shape), found by trying every offset.
    SliceAllocation allocateStatic(const SliceShape& s, const std::vector<bool>& failed) const;

    /// Closed form: P[at least n of the pod's cubes are healthy] when each chip works with
    /// probability `chipAvailability` independently (a cube works with probability a^(edge³)).
    double ocsSuccessProbability(int cubesNeeded, double chipAvailability) const;
    /// Monte Carlo estimate of the same event for `allocate*` (random failures per chip).
    double monteCarloSuccess(const SliceShape& s, double chipAvailability, bool withOcs, int trials,
                             unsigned seed) const;

    /// The slice as a chip-level torus (its wraparound links closed through the OCS).
    static Torus sliceTorus(const SliceShape& s) { return Torus({s.x, s.y, s.z}, true); }

private:
    int m_cubes, m_edge, m_side;
};

} // namespace aisys::engine::tpu
