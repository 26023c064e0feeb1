// A multi-level set-associative cache simulator (LRU, write-back, write-allocate) fed by the
// executor's address trace: hits, misses and evictions per level and per array.
#pragma once

#include "engine/loops/compute.h"
#include "engine/loops/executor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::loops {

/// One level's geometry.
struct CacheGeometry {
    std::string name; ///< "L1", "L2", …
    std::int64_t size = 0, assoc = 0, line = 0;
    std::int64_t sets() const { return size / (line * assoc); }
};

/// "" or why the geometry cannot exist: a zero or negative value, a line that is not a power of
/// two, a size that is not a multiple of line × assoc, a set count that is not a power of two
/// (the set index is a field of address bits, as in cachegrind).
std::string checkGeometry(const CacheGeometry& g);

/// Parses "L1=32K:8:64,L2=1M:16:64" (NAME=SIZE:ASSOC:LINE, SIZE in bytes with an optional K or M
/// suffix; levels from the core outwards, each line at least as large as the one before).
/// Errors say the column and what was expected.
Checked<std::vector<CacheGeometry>> parseCacheSpec(const std::string& text);

/// Counts of one level. A demand access is a load or store from the core (level 0) or a miss
/// of the level before; write-backs of dirty victims from the level before are counted apart.
struct LevelCounts {
    std::int64_t reads = 0, writes = 0;           ///< demand accesses
    std::int64_t readMisses = 0, writeMisses = 0; ///< demand misses (write misses allocate)
    std::int64_t evictions = 0;                   ///< valid lines replaced
    std::int64_t dirtyEvictions = 0;              ///< of them dirty: written back to the next level
    std::int64_t writebacksIn = 0;                ///< dirty lines received from the level before
    std::int64_t writebackMisses = 0;             ///< of them not present here (allocated)
    std::int64_t misses() const { return readMisses + writeMisses; }
    std::int64_t accesses() const { return reads + writes; }
};

/// Per array and level: demand accesses, misses and the evictions of its lines.
struct ArrayCounts {
    std::int64_t accesses = 0, misses = 0, evictions = 0;
};

/// The hierarchy. Each level is set-associative with true LRU; a demand miss fetches the line
/// from the next level (a demand access there of the same kind, read or write) and allocates it
/// here; a store marks the line dirty in level 0; a dirty victim is written back to the next
/// level (allocated there on a miss); the last level's misses and dirty victims go to memory.
class CacheSim : public TraceSink {
public:
    /// Geometries must pass `checkGeometry` (asserted); `arrays` sizes the per-array counts.
    CacheSim(std::vector<CacheGeometry> levels, int arrays);

    void consume(std::span<const TraceEvent> events) override;
    /// One access from the core.
    void access(std::uint64_t address, int array, bool write);

    int levelCount() const { return static_cast<int>(m_levels.size()); }
    const CacheGeometry& geometry(int level) const { return m_levels[level].g; }
    const LevelCounts& counts(int level) const { return m_levels[level].c; }
    const ArrayCounts& arrayCounts(int level, int array) const {
        return m_levels[level].perArray[array];
    }
    /// True when the line holding `address` is in `level` now.
    bool resident(int level, std::uint64_t address) const;
    std::int64_t memoryReads() const { return m_memReads; }   ///< lines fetched from memory
    std::int64_t memoryWrites() const { return m_memWrites; } ///< dirty lines written to memory

private:
    struct Level {
        CacheGeometry g;
        int lineBits = 0;
        std::uint64_t setMask = 0;
        int ways = 0;
        std::vector<std::uint64_t> tag;   ///< sets × ways, most recently used first; ~0 = empty
        std::vector<std::uint8_t> dirty;  ///< parallel to tag
        std::vector<std::uint16_t> owner; ///< the array whose access brought the line in
        LevelCounts c;
        std::vector<ArrayCounts> perArray;
    };
    void demand(int level, std::uint64_t lineAddr, int array, bool write);
    void writeback(int level, std::uint64_t lineAddr, int array);
    /// Inserts a line at the MRU position of its set; handles the victim.
    void insert(int level, std::uint64_t lineAddr, int array, bool dirty);

    std::vector<Level> m_levels;
    std::int64_t m_memReads = 0, m_memWrites = 0;
};

} // namespace aisys::engine::loops
