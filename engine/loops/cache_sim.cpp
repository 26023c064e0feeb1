// The cache simulator: geometry checks, the spec parser, LRU sets with write-back and
// write-allocate.
#include "engine/loops/cache_sim.h"

#include <bit>
#include <cassert>
#include <cctype>

namespace aisys::engine::loops {

namespace {

bool pow2(std::int64_t v) {
    return v > 0 && (v & (v - 1)) == 0;
}
constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

} // namespace

std::string checkGeometry(const CacheGeometry& g) {
    const std::string n = g.name.empty() ? "cache" : g.name;
    if (g.size <= 0 || g.assoc <= 0 || g.line <= 0)
        return n + ": size, associativity and line must all be positive (got size " +
               std::to_string(g.size) + ", assoc " + std::to_string(g.assoc) + ", line " +
               std::to_string(g.line) + ")";
    if (!pow2(g.line))
        return n + ": the line size " + std::to_string(g.line) +
               " is not a power of two (the line offset is a field of address bits)";
    if (g.size % (g.line * g.assoc) != 0)
        return n + ": the size " + std::to_string(g.size) +
               " is not a multiple of line × assoc = " + std::to_string(g.line) + " × " +
               std::to_string(g.assoc) + " = " + std::to_string(g.line * g.assoc) +
               " (sets = size / (line × assoc) must be whole)";
    if (!pow2(g.sets()))
        return n + ": " + std::to_string(g.sets()) +
               " sets (size / (line × assoc)) is not a power of two (the set index is a field "
               "of address bits)";
    if (g.assoc > 1024)
        return n + ": associativity " + std::to_string(g.assoc) + " exceeds 1024";
    return "";
}

Checked<std::vector<CacheGeometry>> parseCacheSpec(const std::string& s) {
    using R = Checked<std::vector<CacheGeometry>>;
    std::vector<CacheGeometry> out;
    std::size_t i = 0;
    auto fail = [&](std::size_t at, const std::string& what) {
        return R::fail("column " + std::to_string(at + 1) + ": " + what);
    };
    // 1. Each level: NAME '=' SIZE[K|M] ':' ASSOC ':' LINE, levels separated by ','.
    while (i < s.size()) {
        CacheGeometry g;
        const std::size_t start = i;
        while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])))
            g.name += s[i++];
        if (g.name.empty())
            return fail(i, "expected a level name such as L1");
        if (i >= s.size() || s[i] != '=')
            return fail(i, "expected '=' after " + g.name + " (NAME=SIZE:ASSOC:LINE)");
        ++i;
        std::int64_t* field[3] = {&g.size, &g.assoc, &g.line};
        const char* what[3] = {"a size in bytes (K or M allowed)", "an associativity",
                               "a line size in bytes"};
        for (int f = 0; f < 3; ++f) {
            const std::size_t at = i;
            std::int64_t v = 0;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
                v = v * 10 + (s[i++] - '0');
                if (v > (std::int64_t{1} << 40))
                    return fail(at, "number too large");
            }
            if (i == at)
                return fail(at, std::string("expected ") + what[f] + " for " + g.name);
            if (f == 0 && i < s.size() &&
                (s[i] == 'K' || s[i] == 'k' || s[i] == 'M' || s[i] == 'm')) {
                v *= (s[i] == 'K' || s[i] == 'k') ? 1024 : 1024 * 1024;
                ++i;
            }
            *field[f] = v;
            if (f < 2) {
                if (i >= s.size() || s[i] != ':')
                    return fail(i, "expected ':' in " + g.name + "=SIZE:ASSOC:LINE");
                ++i;
            }
        }
        if (const std::string e = checkGeometry(g); !e.empty())
            return fail(start, e);
        for (const CacheGeometry& o : out)
            if (o.name == g.name)
                return fail(start, "level " + g.name + " is given twice");
        if (!out.empty() && g.line < out.back().line)
            return fail(start, g.name + "'s line (" + std::to_string(g.line) +
                                   ") is smaller than " + out.back().name + "'s (" +
                                   std::to_string(out.back().line) + ")");
        out.push_back(g);
        if (i < s.size()) {
            if (s[i] != ',')
                return fail(i, "expected ',' between levels");
            ++i;
            if (i >= s.size())
                return fail(i, "expected a level after ','");
        }
    }
    if (out.empty())
        return R::fail("column 1: no cache level given (expected e.g. L1=32K:8:64)");
    if (out.size() > 8)
        return R::fail("column 1: at most 8 levels");
    return R{std::move(out), ""};
}

CacheSim::CacheSim(std::vector<CacheGeometry> levels, int arrays) {
    for (CacheGeometry& g : levels) {
        assert(checkGeometry(g).empty());
        Level l;
        l.g = g;
        l.lineBits = std::countr_zero(static_cast<std::uint64_t>(g.line));
        l.setMask = static_cast<std::uint64_t>(g.sets() - 1);
        l.ways = static_cast<int>(g.assoc);
        const std::size_t n = static_cast<std::size_t>(g.sets() * g.assoc);
        l.tag.assign(n, kEmpty);
        l.dirty.assign(n, 0);
        l.owner.assign(n, 0);
        l.perArray.assign(static_cast<std::size_t>(arrays), {});
        m_levels.push_back(std::move(l));
    }
}

bool CacheSim::resident(int level, std::uint64_t address) const {
    const Level& L = m_levels[level];
    const std::uint64_t line = address >> L.lineBits;
    const std::size_t base = static_cast<std::size_t>(line & L.setMask) * L.ways;
    for (int w = 0; w < L.ways; ++w)
        if (L.tag[base + w] == line)
            return true;
    return false;
}

void CacheSim::consume(std::span<const TraceEvent> events) {
    for (const TraceEvent& e : events)
        access(e.address, e.array, e.write);
}

void CacheSim::access(std::uint64_t address, int array, bool write) {
    demand(0, address, array, write);
}

void CacheSim::demand(int level, std::uint64_t address, int array, bool write) {
    if (level == levelCount()) {
        ++m_memReads;
        return;
    }
    Level& L = m_levels[level];
    ++(write ? L.c.writes : L.c.reads);
    ++L.perArray[array].accesses;
    const std::uint64_t line = address >> L.lineBits;
    const std::size_t base = static_cast<std::size_t>(line & L.setMask) * L.ways;
    std::uint64_t* t = &L.tag[base];
    // 1. Hit: move the line to the front of its set (true LRU).
    for (int w = 0; w < L.ways; ++w) {
        if (t[w] != line)
            continue;
        std::uint8_t d = L.dirty[base + w] | (write && level == 0 ? 1 : 0);
        const std::uint16_t o = L.owner[base + w];
        for (int k = w; k > 0; --k) {
            t[k] = t[k - 1];
            L.dirty[base + k] = L.dirty[base + k - 1];
            L.owner[base + k] = L.owner[base + k - 1];
        }
        t[0] = line;
        L.dirty[base] = d;
        L.owner[base] = o;
        return;
    }
    // 2. Miss: fetch from the next level (same kind, for its counts), then allocate here.
    ++(write ? L.c.writeMisses : L.c.readMisses);
    ++L.perArray[array].misses;
    demand(level + 1, address, array, write);
    insert(level, line, array, write && level == 0);
}

void CacheSim::writeback(int level, std::uint64_t address, int array) {
    if (level == levelCount()) {
        ++m_memWrites;
        return;
    }
    Level& L = m_levels[level];
    ++L.c.writebacksIn;
    const std::uint64_t line = address >> L.lineBits;
    const std::size_t base = static_cast<std::size_t>(line & L.setMask) * L.ways;
    for (int w = 0; w < L.ways; ++w)
        if (L.tag[base + w] == line) {
            L.dirty[base + w] = 1; // updated in place: a write-back does not make it recent
            return;
        }
    ++L.c.writebackMisses;
    insert(level, line, array, true);
}

void CacheSim::insert(int level, std::uint64_t line, int array, bool dirty) {
    Level& L = m_levels[level];
    const std::size_t base = static_cast<std::size_t>(line & L.setMask) * L.ways;
    const std::size_t last = base + L.ways - 1;
    // 3. The LRU way is the victim; a dirty victim is written back to the next level.
    if (L.tag[last] != kEmpty) {
        ++L.c.evictions;
        ++L.perArray[L.owner[last]].evictions;
        if (L.dirty[last]) {
            ++L.c.dirtyEvictions;
            writeback(level + 1, L.tag[last] << L.lineBits, L.owner[last]);
        }
    }
    for (std::size_t k = last; k > base; --k) {
        L.tag[k] = L.tag[k - 1];
        L.dirty[k] = L.dirty[k - 1];
        L.owner[k] = L.owner[k - 1];
    }
    L.tag[base] = line;
    L.dirty[base] = dirty ? 1 : 0;
    L.owner[base] = static_cast<std::uint16_t>(array);
}

} // namespace aisys::engine::loops
