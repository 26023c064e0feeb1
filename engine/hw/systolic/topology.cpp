// Readers of SCALE-Sim v2's topology CSV and .cfg files, with errors naming file and line.
#include "engine/hw/systolic/topology.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace aisys::engine::systolic {

namespace {

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == ',') {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(trim(cur));
    // SCALE-Sim rows end with a comma: drop trailing empty fields.
    while (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
    throw ParseError(file + ":" + std::to_string(line) + ": " + what);
}

std::int64_t parseInt(const std::string& text, const std::string& file, int line,
                      const std::string& field) {
    std::size_t pos = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (text.empty() || pos != text.size())
        fail(file, line, field + " is '" + text + "', expected an integer");
    return v;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ParseError(path + ": cannot open file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* const kConvFields[] = {"IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                                   "Channels",     "Num Filter",  "Stride Height", "Stride Width"};

} // namespace

std::vector<Layer> parseTopology(const std::string& text, const std::string& fileName) {
    std::vector<Layer> layers;
    std::istringstream in(text);
    std::string raw;
    int lineNo = 0;
    bool header = true, gemm = false;
    while (std::getline(in, raw)) {
        ++lineNo;
        if (!raw.empty() && raw.back() == '\r')
            raw.pop_back();
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#')
            continue;
        const std::vector<std::string> f = splitCsv(line);
        if (header) {
            header = false;
            if (f.size() >= 4 && lower(f[1]) == "m" && lower(f[2]) == "n" && lower(f[3]) == "k") {
                gemm = true;
            } else if (f.size() < 8 || lower(f[1]).find("ifmap") == std::string::npos) {
                fail(fileName, lineNo,
                     "expected a header: 'Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                     "Filter Width, Channels, Num Filter, Strides,' or 'Layer, M, N, K,'");
            }
            continue;
        }
        if (f.empty() || f[0].empty())
            fail(fileName, lineNo, "expected a layer name in the first field");
        if (gemm) {
            if (f.size() != 4)
                fail(fileName, lineNo,
                     "expected 4 fields 'Layer, M, N, K', got " + std::to_string(f.size()));
            const std::int64_t M = parseInt(f[1], fileName, lineNo, "M");
            const std::int64_t N = parseInt(f[2], fileName, lineNo, "N");
            const std::int64_t K = parseInt(f[3], fileName, lineNo, "K");
            for (auto [v, n] : {std::pair{M, "M"}, {N, "N"}, {K, "K"}})
                if (v <= 0)
                    fail(fileName, lineNo,
                         std::string(n) + " must be > 0, got " + std::to_string(v));
            layers.push_back(Layer::gemm(f[0], M, K, N));
        } else {
            if (f.size() != 8 && f.size() != 9)
                fail(fileName, lineNo,
                     "expected 8 or 9 fields 'Layer name, IFMAP Height, IFMAP Width, Filter "
                     "Height, Filter Width, Channels, Num Filter, Strides[, Stride Width]', got " +
                         std::to_string(f.size()));
            std::int64_t v[8];
            for (std::size_t i = 1; i < f.size(); ++i)
                v[i - 1] = parseInt(f[i], fileName, lineNo, kConvFields[i - 1]);
            if (f.size() == 8)
                v[7] = v[6];
            Layer l = Layer::conv(f[0], v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
            if (v[7] <= 0)
                l.strideW = v[7]; // keep the bad value so validate() names it
            try {
                l.validate();
            } catch (const std::invalid_argument& e) {
                fail(fileName, lineNo, e.what());
            }
            // Depthwise layers (name contains "DP"): one layer per channel (topology_utils).
            if (f[0].find("DP") != std::string::npos) {
                const std::int64_t ch = l.channels;
                for (std::int64_t c = 0; c < ch; ++c) {
                    Layer d = l;
                    d.name = f[0] + "Channel_" + std::to_string(c);
                    d.channels = 1;
                    layers.push_back(d);
                }
                continue;
            }
            layers.push_back(l);
        }
    }
    if (header)
        throw ParseError(fileName + ": empty topology (expected a header line and layers)");
    if (layers.empty())
        throw ParseError(fileName + ": no layers after the header");
    return layers;
}

std::vector<Layer> loadTopology(const std::string& path) {
    return parseTopology(readFile(path), path);
}

ScaleConfig parseScaleConfig(const std::string& text, const std::string& fileName) {
    ScaleConfig cfg;
    std::istringstream in(text);
    std::string raw, section;
    int lineNo = 0;
    while (std::getline(in, raw)) {
        ++lineNo;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3)
                fail(fileName, lineNo, "expected a section header like [general]");
            section = lower(trim(line.substr(1, line.size() - 2)));
            continue;
        }
        const std::size_t sep = line.find_first_of(":=");
        if (sep == std::string::npos)
            fail(fileName, lineNo, "expected 'Key : value' or 'key = value'");
        const std::string keyText = trim(line.substr(0, sep));
        const std::string key = lower(keyText);
        const std::string value = trim(line.substr(sep + 1));
        if (key.empty())
            fail(fileName, lineNo, "expected a key before '" + line.substr(sep, 1) + "'");
        auto integer = [&](std::int64_t lo) {
            const std::int64_t v = parseInt(value, fileName, lineNo, keyText);
            if (v < lo)
                fail(fileName, lineNo,
                     keyText + " must be ≥ " + std::to_string(lo) + ", got " + std::to_string(v));
            return v;
        };
        if (section == "general") {
            if (key == "run_name")
                cfg.runName = value;
        } else if (section == "architecture_presets") {
            if (key == "arrayheight")
                cfg.arrayHeight = int(std::min<std::int64_t>(integer(1), 65536));
            else if (key == "arraywidth")
                cfg.arrayWidth = int(std::min<std::int64_t>(integer(1), 65536));
            else if (key == "ifmapsramszkb")
                cfg.memory.ifmapSramKB = integer(1);
            else if (key == "filtersramszkb")
                cfg.memory.filterSramKB = integer(1);
            else if (key == "ofmapsramszkb")
                cfg.memory.ofmapSramKB = integer(1);
            else if (key == "ifmapoffset")
                cfg.memory.ifmapOffset = integer(0);
            else if (key == "filteroffset")
                cfg.memory.filterOffset = integer(0);
            else if (key == "ofmapoffset")
                cfg.memory.ofmapOffset = integer(0);
            else if (key == "bandwidth") { // also accepted under [run_presets]
                // SCALE-Sim accepts a comma list and uses the first entry.
                const std::string first = trim(value.substr(0, value.find(',')));
                const std::int64_t v = parseInt(first, fileName, lineNo, "Bandwidth");
                if (v < 1)
                    fail(fileName, lineNo, "Bandwidth must be ≥ 1 words/cycle, got " + first);
                cfg.memory.bandwidth = double(v);
            } else if (key == "dataflow") {
                cfg.dataflow = parseDataflow(value);
                if (!cfg.dataflow)
                    fail(fileName, lineNo,
                         "unknown dataflow '" + value + "' (expected ws, os or is)");
            } else if (key == "doublebuffered") {
                const std::string v = lower(value);
                if (v != "true" && v != "false")
                    fail(fileName, lineNo, "DoubleBuffered must be true or false");
                cfg.memory.doubleBuffered = v == "true";
            }
        } else if (section == "run_presets") {
            if (key == "bandwidth") {
                const std::string first = trim(value.substr(0, value.find(',')));
                const std::int64_t v = parseInt(first, fileName, lineNo, "Bandwidth");
                if (v < 1)
                    fail(fileName, lineNo, "Bandwidth must be ≥ 1 words/cycle, got " + first);
                cfg.memory.bandwidth = double(v);
            } else if (key == "interfacebandwidth") {
                const std::string v = lower(value);
                if (v != "user" && v != "calc")
                    fail(fileName, lineNo,
                         "InterfaceBandwidth is '" + value + "', expected USER or CALC");
                cfg.memory.userBandwidth = v == "user";
            }
        } else if (section.empty()) {
            fail(fileName, lineNo, "expected a [section] before the first key");
        }
    }
    return cfg;
}

ScaleConfig loadScaleConfig(const std::string& path) {
    return parseScaleConfig(readFile(path), path);
}

} // namespace aisys::engine::systolic
