// The planner's presets and its flat TOML files (see planner.h).
#include "engine/dist/planner.h"
#include "engine/dist/units.h"

#include <cctype>
#include <cstdlib>
#include <map>

namespace aisys::engine::dist {

std::optional<ModelSpec> modelPreset(const std::string& name) {
    // GPT-3 175B: Brown et al. 2020 Table 2.1 (96 layers, d_model 12288, 96 heads, context
    // 2048); batch 1536 and Megatron's vocabulary 51,200: Narayanan et al. 2021 §5.1 and the
    // Megatron-LM README. Megatron 145.6B and 1.7B: Narayanan et al. Table 1 rows. GPT-3 XL 1.3B:
    // Brown et al. Table 2.1 (24 layers, d_model 2048, d_head 128, batch 1M tokens = 512 ×
    // 2048) — the table's 24 heads × 128 ≠ 2048, so this preset keeps d_head 128 and uses
    // 2048/128 = 16 heads; GPT-2's vocabulary of 50,257 (Radford et al. 2019 §2.2).
    if (name == "gpt3-175b")
        return ModelSpec{"gpt3-175b", 96, 12288, 96, 2048, 51200, 1536};
    if (name == "megatron-145b")
        return ModelSpec{"megatron-145b", 80, 12288, 96, 2048, 51200, 2304};
    if (name == "megatron-1.7b")
        return ModelSpec{"megatron-1.7b", 24, 2304, 24, 2048, 51200, 512};
    if (name == "gpt3-1.3b")
        return ModelSpec{"gpt3-1.3b", 24, 2048, 16, 2048, 50257, 512};
    return std::nullopt;
}

std::optional<ClusterSpec> clusterPreset(const std::string& name) {
    // DGX A100: 8 A100 SXM4 on NVSwitch, third-generation NVLink 600 GB/s per GPU in both
    // directions together (300 GB/s each way), BF16 dense peak 312 TFLOP/s (A100 whitepaper
    // Table 1); 8 ConnectX-6 HDR InfiniBand ports of 200 Gb/s, one per GPU (25 GB/s each way;
    // DGX A100 datasheet). 128 nodes = the 1,024 GPUs of the paper's GPT-3 estimate. The
    // efficiency (0.5 of peak) and the latencies (5 us inside, 10 us across) are this lab's
    // assumptions, not measurements.
    ClusterSpec c{"dgx-a100", 128, 8, 80e9, 312e12, 0.5, 300e9, 25e9, 5e-6, 10e-6};
    if (name == "dgx-a100")
        return c;
    if (name == "dgx-a100-40gb") {
        c.name = name;
        c.memoryBytes = 40e9;
        return c;
    }
    return std::nullopt;
}

std::string modelPresetNames() {
    return "gpt3-175b, megatron-145b, megatron-1.7b, gpt3-1.3b";
}
std::string clusterPresetNames() {
    return "dgx-a100, dgx-a100-40gb";
}

namespace {

struct TomlValue {
    std::string text;
    bool quoted = false;
    int line = 0;
};

/// Flat `key = value` lines → key → value; "" error or where:line: message.
std::map<std::string, TomlValue> readFlatToml(const std::string& text, const std::string& where,
                                              std::string& error) {
    std::map<std::string, TomlValue> out;
    int line = 0;
    std::size_t at = 0;
    while (at <= text.size() && error.empty()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos)
            end = text.size();
        std::string s = text.substr(at, end - at);
        at = end + 1;
        ++line;
        const std::string here = where + ":" + std::to_string(line) + ": ";
        // Strip a comment outside quotes, then spaces.
        bool inQuote = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '"')
                inQuote = !inQuote;
            if (s[i] == '#' && !inQuote) {
                s.resize(i);
                break;
            }
        }
        auto trim = [](std::string v) {
            while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())))
                v.pop_back();
            std::size_t i = 0;
            while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i])))
                ++i;
            return v.substr(i);
        };
        s = trim(s);
        if (s.empty())
            continue;
        if (s[0] == '[') {
            error = here + "tables ([...]) are not supported: write flat 'key = value' lines";
            break;
        }
        const std::size_t eq = s.find('=');
        if (eq == std::string::npos) {
            error = here + "expected 'key = value', got '" + s + "'";
            break;
        }
        const std::string key = trim(s.substr(0, eq));
        std::string value = trim(s.substr(eq + 1));
        if (key.empty() || value.empty()) {
            error = here + "expected 'key = value', got '" + s + "'";
            break;
        }
        if (out.count(key)) {
            error = here + "'" + key + "' is set twice (first on line " +
                    std::to_string(out[key].line) + ")";
            break;
        }
        TomlValue v;
        v.line = line;
        if (value[0] == '"') {
            if (value.size() < 2 || value.back() != '"') {
                error = here + "'" + key + "': unterminated string";
                break;
            }
            v.text = value.substr(1, value.size() - 2);
            v.quoted = true;
        } else if (value[0] == '[' || value[0] == '{') {
            error = here + "'" + key + "': arrays and inline tables are not supported";
            break;
        } else {
            v.text = value;
        }
        out[key] = v;
    }
    return out;
}

/// Reads the keys of one spec from `kv`; each setter returns "" or what is wrong.
struct KeyReader {
    const std::map<std::string, TomlValue>& kv;
    const std::string& where;
    std::string& error;

    std::string at(const TomlValue& v) const { return where + ":" + std::to_string(v.line) + ": "; }
    const TomlValue* get(const std::string& key, bool required) {
        auto it = kv.find(key);
        if (it == kv.end()) {
            if (required && error.empty())
                error = where + ": missing key '" + key + "'";
            return nullptr;
        }
        return &it->second;
    }
    void integer(const std::string& key, int& out) {
        const TomlValue* v = get(key, true);
        if (!v || !error.empty())
            return;
        char* end = nullptr;
        const long x = std::strtol(v->text.c_str(), &end, 10);
        if (v->quoted || *end != '\0' || x < 1 || x > 100000000)
            error = at(*v) + "'" + key + "': expected a whole number ≥ 1, got " +
                    (v->quoted ? "\"" + v->text + "\"" : v->text);
        else
            out = int(x);
    }
    /// A number (plain units) or a string parsed by `parse` (units).
    template <class Parse>
    void measure(const std::string& key, double& out, Parse parse, const char* expected) {
        const TomlValue* v = get(key, true);
        if (!v || !error.empty())
            return;
        std::string err;
        if (!v->quoted) {
            char* end = nullptr;
            const double x = std::strtod(v->text.c_str(), &end);
            if (*end != '\0' || !(x >= 0)) {
                error = at(*v) + "'" + key + "': expected " + expected + ", got " + v->text;
                return;
            }
            out = x;
            return;
        }
        const auto x = parse(v->text, err);
        if (!x)
            error = at(*v) + "'" + key + "': " + err + " (expected " + expected + ")";
        else
            out = double(*x);
    }
    void unknownKeys(std::initializer_list<const char*> known) {
        for (const auto& [k, v] : kv) {
            bool ok = false;
            for (const char* n : known)
                ok |= k == n;
            if (!ok && error.empty()) {
                std::string list;
                for (const char* n : known)
                    list += (list.empty() ? "" : ", ") + std::string(n);
                error = at(v) + "unknown key '" + k + "' (expected " + list + ")";
            }
        }
    }
};

std::optional<double> parseFlops(const std::string& s, std::string& err) {
    char* end = nullptr;
    const double x = std::strtod(s.c_str(), &end);
    const std::string unit = end;
    const double scale = unit == "TFLOP/s"   ? 1e12
                         : unit == "PFLOP/s" ? 1e15
                         : unit == "GFLOP/s" ? 1e9
                         : unit == "FLOP/s"  ? 1
                                             : -1;
    if (end == s.c_str() || scale < 0 || !(x > 0)) {
        err = "'" + s + "' is not a rate such as 312TFLOP/s";
        return std::nullopt;
    }
    return x * scale;
}

} // namespace

std::optional<ModelSpec> parseModelToml(const std::string& text, const std::string& where,
                                        std::string& error) {
    error.clear();
    const auto kv = readFlatToml(text, where, error);
    if (!error.empty())
        return std::nullopt;
    KeyReader r{kv, where, error};
    r.unknownKeys({"name", "layers", "hidden", "heads", "seq", "vocab", "batch"});
    ModelSpec m;
    m.name = kv.count("name") ? kv.at("name").text : where;
    r.integer("layers", m.layers);
    r.integer("hidden", m.hidden);
    r.integer("heads", m.heads);
    r.integer("seq", m.seq);
    r.integer("vocab", m.vocab);
    r.integer("batch", m.globalBatch);
    if (error.empty() && m.hidden % m.heads != 0)
        error = where + ":" + std::to_string(kv.at("heads").line) +
                ": 'heads': " + std::to_string(m.heads) + " does not divide hidden " +
                std::to_string(m.hidden);
    if (!error.empty())
        return std::nullopt;
    return m;
}

std::optional<ClusterSpec> parseClusterToml(const std::string& text, const std::string& where,
                                            std::string& error) {
    error.clear();
    const auto kv = readFlatToml(text, where, error);
    if (!error.empty())
        return std::nullopt;
    KeyReader r{kv, where, error};
    r.unknownKeys({"name", "nodes", "gpus_per_node", "memory", "peak", "efficiency", "intra_bw",
                   "inter_bw", "intra_alpha", "inter_alpha"});
    ClusterSpec c;
    c.name = kv.count("name") ? kv.at("name").text : where;
    r.integer("nodes", c.nodes);
    r.integer("gpus_per_node", c.gpusPerNode);
    r.measure("memory", c.memoryBytes, parseBytes, "a size such as \"80GB\"");
    r.measure("peak", c.peakFlops, parseFlops, "a rate such as \"312TFLOP/s\"");
    r.measure("efficiency", c.efficiency, parseFlops, "a fraction of peak such as 0.5");
    r.measure("intra_bw", c.intraBw, parseBandwidth, "a bandwidth such as \"300GB/s\"");
    r.measure("inter_bw", c.interBw, parseBandwidth, "a bandwidth such as \"25GB/s\"");
    r.measure("intra_alpha", c.intraAlpha, parseTime, "a time such as \"5us\"");
    r.measure("inter_alpha", c.interAlpha, parseTime, "a time such as \"10us\"");
    if (error.empty()) {
        const std::string bad = checkCluster(c);
        if (!bad.empty()) {
            // Name the line of the key the message is about.
            for (const auto& [k, v] : kv)
                if (bad.find(" " + k + ":") != std::string::npos) {
                    error = r.at(v) + bad;
                    break;
                }
            if (error.empty())
                error = where + ": " + bad;
        }
    }
    if (!error.empty())
        return std::nullopt;
    return c;
}

} // namespace aisys::engine::dist
