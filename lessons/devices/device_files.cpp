// Device files: the TOML schema (see assets/devices/README.md), checked key by key.
#include "lessons/devices/device_files.h"

#include "lessons/toml_check.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
namespace hw = aisys::engine::hw;

namespace aisys::lessons {

namespace {

int lineOf(const toml::node& n) {
    return static_cast<int>(n.source().begin.line);
}

/// Reads `key` of `t` as a string; absent → "" (an error when required).
std::string readString(Checker& c, const toml::table& t, const char* key, const std::string& where,
                       bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required)
            c.errorAtLine(lineOf(t), "missing key '" + std::string(key) + "' in " + where +
                                         " (expected a string)");
        return "";
    }
    if (auto s = n->value_exact<std::string>())
        return *s;
    c.error(n, "key '" + std::string(key) + "' in " + where + " is " + typeName(*n) +
                   " (expected a string)");
    return "";
}

/// Reads `key` as a number ≥ 0 (integer or float); absent → 0 (an error when required).
double readNumber(Checker& c, const toml::table& t, const char* key, const std::string& where,
                  bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required)
            c.errorAtLine(lineOf(t), "missing key '" + std::string(key) + "' in " + where +
                                         " (expected a number)");
        return 0;
    }
    std::optional<double> v;
    if (auto i = n->value_exact<std::int64_t>())
        v = double(*i);
    else if (auto d = n->value_exact<double>())
        v = *d;
    if (!v) {
        c.error(n, "key '" + std::string(key) + "' in " + where + " is " + typeName(*n) +
                       " (expected a number)");
        return 0;
    }
    if (!(*v >= 0) || *v > 1e30) {
        c.error(n, "key '" + std::string(key) + "' in " + where + " = " + std::to_string(*v) +
                       " (expected a number of 0 or more)");
        return 0;
    }
    return *v;
}

/// "40 GB", "192 KiB", "6 MB", "1024 B" → bytes (kB/MB/GB/TB decimal, KiB/MiB/GiB binary).
std::optional<double> parseCapacity(const std::string& text) {
    std::istringstream in(text);
    double v = 0;
    std::string unit;
    if (!(in >> v) || v < 0)
        return std::nullopt;
    in >> unit;
    std::string rest;
    if (in >> rest)
        return std::nullopt;
    static const std::pair<const char*, double> kUnits[] = {
        {"B", 1},
        {"KB", 1e3},
        {"kB", 1e3},
        {"MB", 1e6},
        {"GB", 1e9},
        {"TB", 1e12},
        {"KiB", 1024.0},
        {"MiB", 1024.0 * 1024},
        {"GiB", 1024.0 * 1024 * 1024},
    };
    for (const auto& [name, mult] : kUnits)
        if (unit == name)
            return v * mult;
    return std::nullopt;
}

/// The array of tables `key` ([[key]]): each table, or an error for another type.
std::vector<const toml::table*> tables(Checker& c, const toml::table& t, const char* key) {
    std::vector<const toml::table*> out;
    const toml::node* n = t.get(key);
    if (!n)
        return out;
    const toml::array* a = n->as_array();
    if (!a) {
        c.error(n, "'" + std::string(key) + "' is " + typeName(*n) + " (expected [[" + key +
                       "]] tables)");
        return out;
    }
    for (const toml::node& e : *a) {
        if (const toml::table* tt = e.as_table())
            out.push_back(tt);
        else
            c.error(&e, "an entry of '" + std::string(key) + "' is " + typeName(e) +
                            " (expected a table)");
    }
    return out;
}

void readPeaks(Checker& c, const toml::table& root, hw::Device& d) {
    int k = 0;
    for (const toml::table* t : tables(c, root, "peak")) {
        const std::string where = "[[peak]] " + std::to_string(++k);
        checkKeys(c, *t, where,
                  {"precision", "dense_tflops", "sparse_tflops", "fma_per_unit_clock",
                   "fma_per_tensor_core_clock", "clock_ghz", "source"});
        hw::PeakRate p;
        p.line = lineOf(*t);
        const std::string name = readString(c, *t, "precision", where, true);
        if (auto prec = hw::precisionByName(name))
            p.precision = *prec;
        else if (!name.empty())
            c.error(t->get("precision"), "precision '" + name + "' in " + where +
                                             " (expected one of: " + hw::precisionNames() + ")");
        p.denseTflops = readNumber(c, *t, "dense_tflops", where, true);
        p.sparseTflops = readNumber(c, *t, "sparse_tflops", where, false);
        p.fmaPerUnitClock = readNumber(c, *t, "fma_per_unit_clock", where, false);
        p.fmaPerTensorCoreClock = readNumber(c, *t, "fma_per_tensor_core_clock", where, false);
        p.clockGHz = readNumber(c, *t, "clock_ghz", where, false);
        p.source = readString(c, *t, "source", where, true);
        if (std::any_of(d.peaks.begin(), d.peaks.end(),
                        [&](const hw::PeakRate& q) { return q.precision == p.precision; }))
            c.error(t, where + ": a second peak for " + name + " (expected one per precision)");
        d.peaks.push_back(std::move(p));
    }
    if (d.peaks.empty())
        c.errorAtLine(0, "no [[peak]] table (expected at least one peak throughput)");
}

void readMemory(Checker& c, const toml::table& root, hw::Device& d) {
    int k = 0;
    for (const toml::table* t : tables(c, root, "memory")) {
        const std::string where = "[[memory]] " + std::to_string(++k);
        checkKeys(c, *t, where,
                  {"name", "capacity", "per_unit", "bandwidth_gbs", "latency_ns", "source"});
        hw::MemoryLevel m;
        m.line = lineOf(*t);
        m.name = readString(c, *t, "name", where, true);
        const std::string cap = readString(c, *t, "capacity", where, false);
        if (!cap.empty()) {
            if (auto bytes = parseCapacity(cap))
                m.capacityBytes = *bytes;
            else
                c.error(t->get("capacity"), "capacity '" + cap + "' in " + where +
                                                " (expected a number and a unit: B, KB, MB, GB, "
                                                "TB, KiB, MiB or GiB, as in \"40 GB\")");
        }
        if (const toml::node* n = t->get("per_unit")) {
            if (auto b = n->value_exact<bool>())
                m.perUnit = *b;
            else
                c.error(n, "key 'per_unit' in " + where + " is " + typeName(*n) +
                               " (expected true or false)");
        }
        m.bandwidthGBs = readNumber(c, *t, "bandwidth_gbs", where, false);
        m.latencyNs = readNumber(c, *t, "latency_ns", where, false);
        m.source = readString(c, *t, "source", where, true);
        if (m.perUnit)
            m.capacityBytes *= d.units;
        d.memory.push_back(std::move(m));
    }
}

std::string lower(std::string s) {
    for (char& ch : s)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

} // namespace

std::optional<hw::Device> parseDevice(const std::string& text, const std::string& file,
                                      std::vector<LessonError>& errors) {
    // 1. TOML syntax. 2. Every key of every table against the schema, types and ranges.
    // 3. The device's own consistency: derived peaks, sparse = 2 × dense, source ids.
    Checker c(file);
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        c.errorAtLine(static_cast<int>(e.source().begin.line),
                      std::string(e.description()) + " (expected TOML)");
        for (LessonError& err : c.take())
            errors.push_back(std::move(err));
        return std::nullopt;
    }
    checkKeys(c, root, "the device file",
              {"name", "full_name", "vendor", "kind", "architecture", "notes", "sources", "chip",
               "peak", "memory"});
    hw::Device d;
    d.file = file;
    d.name = readString(c, root, "name", "the device file", true);
    d.fullName = readString(c, root, "full_name", "the device file", false);
    d.vendor = readString(c, root, "vendor", "the device file", false);
    d.kind = readString(c, root, "kind", "the device file", true);
    if (!d.kind.empty() && d.kind != "gpu" && d.kind != "tpu" && d.kind != "npu" && d.kind != "cpu")
        c.error(root.get("kind"), "kind '" + d.kind + "' (expected gpu, tpu, npu or cpu)");
    d.architecture = readString(c, root, "architecture", "the device file", false);
    d.notes = readString(c, root, "notes", "the device file", false);
    int k = 0;
    for (const toml::table* t : tables(c, root, "sources")) {
        const std::string where = "[[sources]] " + std::to_string(++k);
        checkKeys(c, *t, where, {"id", "title"});
        d.sources.push_back(
            {readString(c, *t, "id", where, true), readString(c, *t, "title", where, true)});
    }
    if (d.sources.empty())
        c.errorAtLine(0, "no [[sources]] table (expected the documents the numbers come from)");
    const toml::node* chipNode = root.get("chip");
    const toml::table* chip = chipNode ? chipNode->as_table() : nullptr;
    if (!chip) {
        if (chipNode)
            c.error(chipNode, "'chip' is " + typeName(*chipNode) + " (expected a [chip] table)");
        else
            c.errorAtLine(0, "no [chip] table (expected clock_ghz, units, unit_name, source)");
    } else {
        checkKeys(c, *chip, "[chip]",
                  {"clock_ghz", "units", "unit_name", "tensor_cores_per_unit", "tdp_w", "source"});
        d.clockGHz = readNumber(c, *chip, "clock_ghz", "[chip]", false);
        d.units = static_cast<int>(readNumber(c, *chip, "units", "[chip]", false));
        d.unitName = readString(c, *chip, "unit_name", "[chip]", false);
        d.tensorCoresPerUnit =
            static_cast<int>(readNumber(c, *chip, "tensor_cores_per_unit", "[chip]", false));
        d.tdpW = readNumber(c, *chip, "tdp_w", "[chip]", false);
        d.chipSource = readString(c, *chip, "source", "[chip]", true);
    }
    readPeaks(c, root, d);
    readMemory(c, root, d);
    if (c.ok())
        for (const hw::DeviceProblem& problem : hw::checkDevice(d))
            c.errorAtLine(problem.line, problem.message);
    const bool ok = c.ok();
    for (LessonError& err : c.take())
        errors.push_back(std::move(err));
    if (!ok)
        return std::nullopt;
    return d;
}

std::optional<hw::Device> readDeviceFile(const std::string& path,
                                         std::vector<LessonError>& errors) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({path, 0, 0, "cannot read the file (expected a readable TOML file)"});
        return std::nullopt;
    }
    std::ostringstream s;
    s << in.rdbuf();
    return parseDevice(s.str(), path, errors);
}

const hw::Device* DeviceCatalog::find(const std::string& name) const {
    for (const hw::Device& d : devices)
        if (lower(d.name) == lower(name))
            return &d;
    return nullptr;
}

std::string DeviceCatalog::names() const {
    std::string s;
    for (const hw::Device& d : devices)
        s += (s.empty() ? "" : ", ") + d.name;
    return s;
}

DeviceCatalog loadDeviceCatalog(const std::vector<std::string>& dirs) {
    DeviceCatalog cat;
    std::vector<std::size_t> folderOf; // parallel to cat.devices
    for (std::size_t di = 0; di < dirs.size(); ++di) {
        const std::string& dir = dirs[di];
        std::error_code ec;
        if (dir.empty() || !fs::is_directory(dir, ec))
            continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir, ec))
            if (e.path().extension() == ".toml")
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const fs::path& p : files) {
            auto d = readDeviceFile(p.string(), cat.errors);
            if (!d)
                continue;
            auto same =
                std::find_if(cat.devices.begin(), cat.devices.end(),
                             [&](const hw::Device& o) { return lower(o.name) == lower(d->name); });
            if (same == cat.devices.end()) {
                cat.devices.push_back(std::move(*d));
                folderOf.push_back(di);
            } else if (folderOf[std::size_t(same - cat.devices.begin())] == di) {
                cat.errors.push_back({p.string(), 0, 0,
                                      "device '" + d->name + "' is also defined in " + same->file +
                                          " (expected one file per device name in a folder)"});
            } else {
                *same = std::move(*d); // a later folder (the user's) overrides
            }
        }
    }
    std::sort(cat.devices.begin(), cat.devices.end(), [](const hw::Device& a, const hw::Device& b) {
        return lower(a.name) < lower(b.name);
    });
    return cat;
}

std::string userDeviceDir() {
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
        return std::string(x) + "/aisyslab/devices";
    if (const char* h = std::getenv("HOME"); h && *h)
        return std::string(h) + "/.local/share/aisyslab/devices";
    return "";
}

} // namespace aisys::lessons
