#include "engine/loops/tune.h"

#include "engine/loops/executor.h"
#include "engine/loops/schedule_parse.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

namespace aisys::engine::loops {

std::int64_t TuneSpace::options(int gene) const {
    switch (gene) {
    case 0:
        return static_cast<std::int64_t>(tileI.size());
    case 1:
        return static_cast<std::int64_t>(tileJ.size());
    case 2:
        return static_cast<std::int64_t>(tileK.size());
    case 3:
        return static_cast<std::int64_t>(outerOrders.size());
    case 4:
        return static_cast<std::int64_t>(innerOrders.size());
    case 5:
        return static_cast<std::int64_t>(unrolls.size());
    default:
        return static_cast<std::int64_t>(vectorize.size());
    }
}

std::int64_t TuneSpace::size() const {
    std::int64_t n = 1;
    for (int g = 0; g < kGenes; ++g)
        n *= options(g);
    return n;
}

std::vector<std::int64_t> tileOptions(std::int64_t extent) {
    std::vector<std::int64_t> t;
    for (std::int64_t p = 4; p <= std::min<std::int64_t>(extent, 64); p *= 2)
        if (extent % p == 0 && p != extent)
            t.push_back(p);
    t.push_back(extent);
    return t;
}

TuneSpace matmulSpace(std::int64_t m, std::int64_t n, std::int64_t k, bool full) {
    TuneSpace s;
    s.tileI = tileOptions(m);
    s.tileJ = tileOptions(n);
    s.tileK = tileOptions(k);
    if (full) {
        s.outerOrders = s.innerOrders = {"ijk", "ikj", "jik", "jki", "kij", "kji"};
        s.unrolls = {1, 2, 4, 8};
    } else {
        for (auto* t : {&s.tileI, &s.tileJ, &s.tileK})
            if (t->size() > 2)
                *t = {t->front(), t->back()};
        s.outerOrders = s.innerOrders = {"ijk", "ikj"};
        s.unrolls = {1, 4};
    }
    s.vectorize = {0, 1};
    return s;
}

std::string scheduleText(const TuneSpace& s, const Genome& g) {
    const std::int64_t tiles[3] = {s.tileI[g[0]], s.tileJ[g[1]], s.tileK[g[2]]};
    const char axes[3] = {'i', 'j', 'k'};
    std::string t;
    for (int a = 0; a < 3; ++a)
        t += std::string("split(") + axes[a] + "," + std::to_string(tiles[a]) + ");";
    std::string order;
    for (char c : s.outerOrders[g[3]])
        order += (order.empty() ? "" : ",") + std::string(1, c) + ".o";
    for (char c : s.innerOrders[g[4]])
        order += "," + std::string(1, c) + ".i";
    t += "reorder(" + order + ")";
    const std::string& inner = s.innerOrders[g[4]];
    const bool vec = s.vectorize[g[6]] != 0;
    const int unroll = s.unrolls[g[5]];
    if (unroll > 1)
        t += ";unroll(" + std::string(1, inner[vec ? 1 : 2]) + ".i," + std::to_string(unroll) + ")";
    if (vec)
        t += ";vectorize(" + std::string(1, inner[2]) + ".i," + std::to_string(s.lanes) + ")";
    return t;
}

Genome genomeAt(const TuneSpace& s, std::int64_t index) {
    Genome g(kGenes, 0);
    for (int i = kGenes - 1; i >= 0; --i) {
        g[i] = static_cast<int>(index % s.options(i));
        index /= s.options(i);
    }
    return g;
}

Evaluator::Evaluator(ComputeDef def, std::vector<CacheGeometry> cache, CostParams params)
    : m_def(std::move(def)), m_cache(std::move(cache)), m_params(std::move(params)) {}

const Evaluation& Evaluator::evaluate(const TuneSpace& s, const Genome& g) {
    const std::string text = scheduleText(s, g);
    if (auto it = m_done.find(text); it != m_done.end()) {
        ++m_hits;
        return it->second;
    }
    ++m_simulated;
    Evaluation e;
    e.schedule = text;
    e.genome = g;
    auto prims = parseSchedule(text);
    if (!prims) {
        e.error = prims.error;
        return m_done.emplace(text, e).first->second;
    }
    auto nest = schedule(m_def, *prims.value);
    if (!nest) {
        e.error = nest.error;
        return m_done.emplace(text, e).first->second;
    }
    CacheSim sim(m_cache, static_cast<int>(m_def.arrays.size()));
    const RunStats run = execute(*nest.value, nullptr, &sim);
    const CostEstimate c = estimateCost(*nest.value, run, sim, m_params);
    e.legal = true;
    e.cycles = c.cycles;
    e.instructions = c.instructions();
    for (int l = 0; l < sim.levelCount(); ++l)
        e.misses.push_back(sim.counts(l).misses());
    return m_done.emplace(text, e).first->second;
}

std::optional<SearchKind> searchKind(const std::string& name) {
    if (name == "grid")
        return SearchKind::Grid;
    if (name == "random")
        return SearchKind::Random;
    if (name == "genetic")
        return SearchKind::Genetic;
    if (name == "model")
        return SearchKind::Model;
    return std::nullopt;
}

namespace {

/// A deterministic integer in [0, n) (mt19937's output is fixed by the standard; the
/// distributions are not, so they are not used).
int pick(std::mt19937& rng, std::int64_t n) {
    return static_cast<int>(rng() % static_cast<std::uint32_t>(n));
}

Genome randomGenome(const TuneSpace& s, std::mt19937& rng) {
    Genome g(kGenes);
    for (int i = 0; i < kGenes; ++i)
        g[i] = pick(rng, s.options(i));
    return g;
}

std::string key(const Genome& g) {
    std::string k;
    for (int v : g)
        k += std::to_string(v) + ",";
    return k;
}

/// Records the evaluations of a search in order: the curve, the counts, the legal ones.
struct Recorder {
    Evaluator& ev;
    const TuneSpace& space;
    SearchResult r;
    std::set<std::string> seen;
    std::vector<Evaluation> legal;
    int budget;
    bool full() const { return r.evaluated >= budget; }
    bool isNew(const Genome& g) const { return !seen.count(key(g)); }
    /// Simulates g unless it was seen; returns its evaluation.
    const Evaluation& take(const Genome& g) {
        const Evaluation& e = ev.evaluate(space, g);
        if (seen.insert(key(g)).second) {
            ++r.evaluated;
            if (!e.legal)
                ++r.illegal;
            else
                legal.push_back(e);
            if (!legal.empty()) {
                const double prev = r.curve.empty() ? e.cycles : r.curve.back().best;
                r.curve.push_back({r.evaluated, e.legal ? std::min(prev, e.cycles) : prev});
            }
        }
        return e;
    }
    SearchResult finish(int topK) {
        std::stable_sort(legal.begin(), legal.end(), [](const Evaluation& a, const Evaluation& b) {
            return a.cycles < b.cycles;
        });
        r.top.assign(legal.begin(), legal.begin() + std::min<std::size_t>(legal.size(), topK));
        r.spaceSize = space.size();
        r.exhausted = static_cast<std::int64_t>(seen.size()) >= space.size();
        return r;
    }
};

/// Fitness for the genetic search: an illegal schedule ranks after every legal one.
double fitness(const Evaluation& e) {
    return e.legal ? e.cycles : INFINITY;
}

void runGenetic(Recorder& rec, const SearchOptions& o, std::mt19937& rng) {
    const TuneSpace& s = rec.space;
    std::vector<Genome> pop;
    for (int i = 0; i < o.population * 8 && static_cast<int>(pop.size()) < o.population; ++i)
        if (Genome g = randomGenome(s, rng); std::find(pop.begin(), pop.end(), g) == pop.end())
            pop.push_back(g);
    for (const Genome& g : pop) {
        if (rec.full())
            break;
        rec.take(g);
    }
    // Stop after many generations that proposed nothing new (a converged population).
    int stale = 0;
    while (!rec.full() && stale < 50 && !(static_cast<std::int64_t>(rec.seen.size()) >= s.size())) {
        ++rec.r.generations;
        std::vector<std::pair<double, Genome>> ranked;
        for (const Genome& g : pop)
            ranked.emplace_back(fitness(rec.ev.evaluate(s, g)), g);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Genome> next;
        for (int i = 0; i < o.elites && i < static_cast<int>(ranked.size()); ++i)
            next.push_back(ranked[i].second);
        // Tournament of two: the fitter of two random members.
        auto parent = [&]() -> const Genome& {
            const auto& a = ranked[pick(rng, ranked.size())];
            const auto& b = ranked[pick(rng, ranked.size())];
            return a.first <= b.first ? a.second : b.second;
        };
        bool fresh = false;
        while (static_cast<int>(next.size()) < o.population && !rec.full()) {
            const Genome& p1 = parent();
            const Genome& p2 = parent();
            Genome child(kGenes);
            for (int gI = 0; gI < kGenes; ++gI) { // uniform crossover gene by gene
                child[gI] = (rng() & 1u) ? p1[gI] : p2[gI];
                if (static_cast<double>(rng()) / 4294967296.0 < o.mutation)
                    child[gI] = pick(rng, s.options(gI));
            }
            if (rec.isNew(child)) {
                fresh = true;
                rec.take(child);
            } else {
                ++rec.r.repeats;
            }
            next.push_back(child);
        }
        stale = fresh ? 0 : stale + 1;
        pop = std::move(next);
    }
}

void runModel(Recorder& rec, const SearchOptions& o, std::mt19937& rng) {
    const TuneSpace& s = rec.space;
    const int warm = o.modelWarmup > 0 ? o.modelWarmup : std::max(8, o.budget / 4);
    for (int tries = 0; !rec.full() && rec.r.evaluated < warm && tries < warm * 20; ++tries)
        if (Genome g = randomGenome(s, rng); rec.isNew(g))
            rec.take(g);
    CostModel model(s, rec.ev.def(), rec.ev.cache());
    std::vector<double> predicted, actual;
    int stale = 0;
    while (!rec.full() && stale < 20 && static_cast<std::int64_t>(rec.seen.size()) < s.size()) {
        model.fit(rec.legal);
        std::vector<std::pair<double, Genome>> pool;
        std::set<std::string> inPool;
        for (int i = 0; i < o.modelPool * 4 && static_cast<int>(pool.size()) < o.modelPool; ++i) {
            Genome g = randomGenome(s, rng);
            if (rec.isNew(g) && inPool.insert(key(g)).second)
                pool.emplace_back(model.predictLogCycles(g), g);
        }
        if (pool.empty()) {
            ++stale;
            continue;
        }
        std::stable_sort(pool.begin(), pool.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (int i = 0; i < o.modelBatch && i < static_cast<int>(pool.size()) && !rec.full(); ++i) {
            const Evaluation& e = rec.take(pool[i].second);
            if (e.legal) {
                predicted.push_back(pool[i].first);
                actual.push_back(std::log(e.cycles));
            }
        }
    }
    if (predicted.size() >= 3)
        rec.r.modelRankCorrelation = spearman(predicted, actual);
}

} // namespace

SearchResult search(Evaluator& ev, const TuneSpace& space, const SearchOptions& o) {
    Recorder rec{ev, space, {}, {}, {}, o.budget};
    std::mt19937 rng(o.seed);
    switch (o.kind) {
    case SearchKind::Grid:
        for (std::int64_t i = 0; i < space.size() && !rec.full(); ++i)
            rec.take(genomeAt(space, i));
        break;
    case SearchKind::Random:
        // Distinct random candidates (a repeat is drawn again), at most the whole space.
        for (std::int64_t tries = 0; !rec.full() && tries < std::int64_t{o.budget} * 50 &&
                                     static_cast<std::int64_t>(rec.seen.size()) < space.size();
             ++tries)
            if (Genome g = randomGenome(space, rng); rec.isNew(g))
                rec.take(g);
            else
                ++rec.r.repeats;
        break;
    case SearchKind::Genetic:
        runGenetic(rec, o, rng);
        break;
    case SearchKind::Model:
        runModel(rec, o, rng);
        break;
    }
    return rec.finish(o.topK);
}

// ---- The learned cost model ----

CostModel::CostModel(const TuneSpace& s, const ComputeDef& def,
                     const std::vector<CacheGeometry>& cache, double lambda)
    : m_space(s), m_lambda(lambda) {
    (void)def;
    for (const CacheGeometry& g : cache)
        m_cacheLog2.push_back(std::log2(static_cast<double>(g.size)));
}

std::vector<double> CostModel::features(const Genome& g) const {
    const TuneSpace& s = m_space;
    const double ti = static_cast<double>(s.tileI[g[0]]), tj = static_cast<double>(s.tileJ[g[1]]),
                 tk = static_cast<double>(s.tileK[g[2]]);
    std::vector<double> f{1.0, std::log2(ti), std::log2(tj), std::log2(tk)};
    // The bytes one tile step touches of A (ti×tk), B (tk×tj) and C (ti×tj), against each level:
    // how many doublings it exceeds the level by (0 when it fits).
    const double foot = std::log2(4.0 * (ti * tk + tk * tj + ti * tj));
    for (double c : m_cacheLog2)
        f.push_back(std::max(0.0, foot - c));
    for (std::size_t o = 0; o < s.outerOrders.size(); ++o)
        f.push_back(static_cast<int>(o) == g[3] ? 1.0 : 0.0);
    for (std::size_t o = 0; o < s.innerOrders.size(); ++o)
        f.push_back(static_cast<int>(o) == g[4] ? 1.0 : 0.0);
    // The innermost loop's axis with and without vectorizing: its stride decides the lines used.
    const char inner = s.innerOrders[g[4]][2];
    const bool vec = s.vectorize[g[6]] != 0;
    for (char a : {'i', 'j', 'k'}) {
        f.push_back(inner == a && !vec ? 1.0 : 0.0);
        f.push_back(inner == a && vec ? 1.0 : 0.0);
    }
    f.push_back(std::log2(static_cast<double>(s.unrolls[g[5]])));
    return f;
}

bool CostModel::fit(const std::vector<Evaluation>& measured) {
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (const Evaluation& e : measured)
        if (e.legal) {
            x.push_back(features(e.genome));
            y.push_back(std::log(e.cycles));
        }
    if (x.size() < 2)
        return false;
    const std::size_t d = x[0].size();
    // Normal equations (XᵀX + λI) w = Xᵀy (the bias not penalized), by Gaussian elimination.
    std::vector<std::vector<double>> a(d, std::vector<double>(d + 1, 0.0));
    for (std::size_t r = 0; r < x.size(); ++r)
        for (std::size_t i = 0; i < d; ++i) {
            for (std::size_t j = 0; j < d; ++j)
                a[i][j] += x[r][i] * x[r][j];
            a[i][d] += x[r][i] * y[r];
        }
    for (std::size_t i = 1; i < d; ++i)
        a[i][i] += m_lambda * static_cast<double>(x.size());
    a[0][0] += 1e-9;
    for (std::size_t c = 0; c < d; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < d; ++r)
            if (std::abs(a[r][c]) > std::abs(a[p][c]))
                p = r;
        std::swap(a[c], a[p]);
        if (std::abs(a[c][c]) < 1e-12)
            continue;
        for (std::size_t r = 0; r < d; ++r)
            if (r != c) {
                const double f = a[r][c] / a[c][c];
                for (std::size_t j = c; j <= d; ++j)
                    a[r][j] -= f * a[c][j];
            }
    }
    m_w.assign(d, 0.0);
    for (std::size_t i = 0; i < d; ++i)
        m_w[i] = std::abs(a[i][i]) < 1e-12 ? 0.0 : a[i][d] / a[i][i];
    return true;
}

double CostModel::predictLogCycles(const Genome& g) const {
    if (m_w.empty())
        return 0;
    const std::vector<double> f = features(g);
    double v = 0;
    for (std::size_t i = 0; i < f.size(); ++i)
        v += m_w[i] * f[i];
    return v;
}

namespace {
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]])
            ++j;
        for (std::size_t t = i; t <= j; ++t)
            r[idx[t]] = (static_cast<double>(i) + static_cast<double>(j)) / 2.0;
        i = j + 1;
    }
    return r;
}
} // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(a.size());
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        ma += ra[i] / n;
        mb += rb[i] / n;
    }
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

double heldOutRankCorrelation(Evaluator& ev, const TuneSpace& s, int train, int test,
                              std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::set<std::string> seen;
    std::vector<Evaluation> tr, te;
    for (int tries = 0;
         (static_cast<int>(tr.size()) < train || static_cast<int>(te.size()) < test) &&
         tries < (train + test) * 50;
         ++tries) {
        Genome g = randomGenome(s, rng);
        if (!seen.insert(key(g)).second)
            continue;
        const Evaluation& e = ev.evaluate(s, g);
        if (!e.legal)
            continue;
        (static_cast<int>(tr.size()) < train ? tr : te).push_back(e);
    }
    CostModel m(s, ev.def(), ev.cache());
    m.fit(tr);
    std::vector<double> p, y;
    for (const Evaluation& e : te) {
        p.push_back(m.predictLogCycles(e.genome));
        y.push_back(e.cycles);
    }
    return spearman(p, y);
}

} // namespace aisys::engine::loops
