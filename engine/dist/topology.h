// Network topologies for the collective simulator: nodes (ranks and switches), directed links
// with latency α and bandwidth β, the built-in shapes, the topology file, and shortest routes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace aisys::engine::dist {

/// One direction of a cable: `from` → `to`, latency `alpha` seconds, `bandwidth` bytes/second.
struct Link {
    int from = 0;
    int to = 0;
    double alpha = 0;
    double bandwidth = 0;
};

/// A network: nodes 0..rankCount()-1 are the ranks (GPUs) in rank order, the rest are switches
/// (or NICs). Links are directed; a cable is two links.
class Topology {
public:
    /// Adds a node and returns its id. Rank nodes must be added before any switch.
    int addNode(std::string name, bool isRank);
    /// Adds one directed link; returns its id.
    int addLink(int from, int to, double alpha, double bandwidth);
    /// Adds both directions with the same α and β.
    void addCable(int a, int b, double alpha, double bandwidth);

    int nodeCount() const { return static_cast<int>(m_names.size()); }
    int rankCount() const { return m_ranks; }
    int linkCount() const { return static_cast<int>(m_links.size()); }
    const std::string& nodeName(int n) const { return m_names[n]; }
    const Link& link(int l) const { return m_links[l]; }
    const std::vector<Link>& links() const { return m_links; }
    /// The ids of the links leaving node n, in the order they were added.
    const std::vector<int>& outLinks(int n) const { return m_out[n]; }
    /// The node called `name`, or -1.
    int findNode(const std::string& name) const;
    /// Ranks per node (machine) for hierarchical algorithms; 0 when the topology has no nodes.
    int ranksPerNode() const { return m_ranksPerNode; }
    void setRanksPerNode(int g) { m_ranksPerNode = g; }
    /// The shape's name ("ring", "switch", "file:PATH", ...), for reports.
    const std::string& name() const { return m_name; }
    void setName(std::string n) { m_name = std::move(n); }

    /// "" when every rank reaches every other rank and every bandwidth is positive and finite
    /// and every latency finite and ≥ 0; else what is wrong, naming the node or link.
    std::string validate() const;

private:
    std::vector<std::string> m_names;
    std::unordered_map<std::string, int> m_byName;
    std::vector<Link> m_links;
    std::vector<std::vector<int>> m_out;
    int m_ranks = 0;
    int m_ranksPerNode = 0;
    std::string m_name;
};

/// Parameters of the built-in shapes. `alpha`/`bandwidth` are the rank links' (NVLink-like);
/// `interAlpha`/`interBandwidth` the links between nodes of a multi-node shape (NIC, fabric).
struct ShapeParams {
    int ranks = 8;
    double alpha = 5e-6;
    double bandwidth = 100e9;
    double interAlpha = 10e-6;
    double interBandwidth = 25e9;
    int gpusPerNode = 8;         ///< multi-node: GPUs on one node switch
    bool nicPerGpu = true;       ///< multi-node: one NIC link per GPU (else one per node)
    int fatTreeRadix = 4;        ///< fat-tree: ranks per leaf switch
    double oversubscription = 1; ///< fat-tree: leaf downlink / uplink bandwidth ratio
    std::vector<int> torusDims;  ///< torus: e.g. {4, 4} or {4, 4, 4} (product = ranks)
};

/// The built-in shapes, by name (topologyNames()):
///  - "ring": rank i ↔ i+1 mod p (one cable each way), α and β per link;
///  - "full": a cable between every pair (NVLink mesh);
///  - "switch": every rank ↔ one non-blocking switch; α/2 on each of the two links, so a
///    rank-to-rank path costs α;
///  - "fat-tree": two levels, `fatTreeRadix` ranks per leaf switch, every leaf ↔ every spine
///    (as many spines as ranks per leaf), uplinks at β·radix/(spines·oversubscription); α/2 per
///    link;
///  - "torus2d" / "torus3d": k-ary n-cube with wrap links (dims from torusDims, or the most
///    square factorisation of p);
///  - "multinode": ranks/gpusPerNode nodes of gpusPerNode ranks on an NVSwitch (α/2, β per
///    link) plus a NIC link per GPU (or per node switch) into one fabric switch (interAlpha/2,
///    interBandwidth per link).
/// Returns the topology or sets `error`.
std::optional<Topology> makeTopology(const std::string& shape, const ShapeParams& p,
                                     std::string& error);
/// "ring, full, switch, fat-tree, torus2d, torus3d, multinode".
const char* topologyNames();

/// Reads the topology file format (engine/dist/README.md) from text; `where` names the file in
/// messages ("file:line: ..."). Returns the topology or sets `error`.
std::optional<Topology> parseTopology(const std::string& text, const std::string& where,
                                      std::string& error);
/// parseTopology of a file on disk.
std::optional<Topology> loadTopology(const std::string& path, std::string& error);

/// Shortest routes between nodes: Dijkstra on the cost α + 1 MiB/β of each link (the time of
/// a 1 MiB message), ties to the path found first with links in their added order — so every
/// run routes the same way. Each pair's route is computed once, on first use, and kept.
class Routing {
public:
    explicit Routing(const Topology& t) : m_topo(&t) {}
    /// The link ids from `src` to `dst` (empty when src == dst).
    const std::vector<int>& route(int src, int dst);
    /// How many routes are kept.
    std::size_t cached() const { return m_routes.size(); }

private:
    const Topology* m_topo;
    /// Per source, the first few (destination, route) pairs found, scanned before the map:
    /// most algorithms send from a rank to one or a handful of peers.
    std::vector<std::vector<std::pair<int, const std::vector<int>*>>> m_recent;
    std::unordered_map<std::uint64_t, std::vector<int>> m_routes;
    std::vector<double> m_dist;
    std::vector<int> m_viaLink;
};

} // namespace aisys::engine::dist
