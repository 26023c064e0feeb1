// Shared pieces of the chips subcommands: flags, the catalogue's folders, JSON and numbers.
#include "app/cli/chips_common.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace aisys::app::cli {

std::string ChipsArgs::get(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? "" : it->second.back();
}

bool ChipsArgs::has(const std::string& name) const {
    return values.count(name) > 0;
}

bool ChipsArgs::on(const std::string& sw) const {
    return std::find(switches.begin(), switches.end(), sw) != switches.end();
}

bool parseChipsArgs(int argc, char** argv, const std::vector<std::string>& valued,
                    const std::vector<std::string>& switches, ChipsArgs& out, std::string& error) {
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.size() < 2 || a[0] != '-') {
            out.positional.push_back(a);
            continue;
        }
        if (std::find(switches.begin(), switches.end(), a) != switches.end()) {
            out.switches.push_back(a);
            continue;
        }
        if (std::find(valued.begin(), valued.end(), a) != valued.end()) {
            if (i + 1 >= argc) {
                error = a + " needs a value";
                return false;
            }
            out.values[a].push_back(argv[++i]);
            continue;
        }
        std::string list;
        for (const auto& v : valued)
            list += (list.empty() ? "" : ", ") + v;
        for (const auto& s : switches)
            list += (list.empty() ? "" : ", ") + s;
        error = "unknown option '" + a + "' (expected one of: " + list + ")";
        return false;
    }
    return true;
}

std::string builtInAssetDir(const std::string& sub) {
    if (const char* env = std::getenv("AISYSLAB_ASSETS"); env && *env)
        return std::string(env) + "/" + sub;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path() / "../share/aisyslab" / sub;
        if (fs::is_directory(installed, ec))
            return fs::weakly_canonical(installed, ec).string();
    }
    return std::string(AISYS_SOURCE_ASSETS) + "/" + sub;
}

std::string builtInDeviceDir() {
    return builtInAssetDir("devices");
}

lessons::DeviceCatalog loadCatalog(const ChipsArgs& args) {
    std::vector<std::string> dirs = {builtInDeviceDir(), lessons::userDeviceDir()};
    auto it = args.values.find("--devices");
    if (it != args.values.end())
        dirs.insert(dirs.end(), it->second.begin(), it->second.end());
    return lessons::loadDeviceCatalog(dirs);
}

int chipsFail(const char* cmd, const std::string& msg) {
    std::fprintf(stderr, "aisyslab %s: %s\n", cmd, msg.c_str());
    return 2;
}

std::string jsonText(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else {
            o += c;
        }
    }
    return o + "\"";
}

std::string jsonNumber(double v) {
    if (!std::isfinite(v))
        return "null";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string shortNumber(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}

std::string bytesText(double b) {
    struct Unit {
        double size;
        const char* name;
    };
    static const Unit kBinary[] = {
        {1024.0 * 1024 * 1024, "GiB"}, {1024.0 * 1024, "MiB"}, {1024.0, "KiB"}};
    static const Unit kDecimal[] = {{1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "kB"}};
    for (const Unit& u : kBinary)
        if (b >= u.size && std::fmod(b, u.size) == 0 && b / u.size < 1e4)
            return shortNumber(b / u.size) + " " + u.name;
    for (const Unit& u : kDecimal)
        if (b >= u.size)
            return shortNumber(b / u.size) + " " + u.name;
    return shortNumber(b) + " B";
}

} // namespace aisys::app::cli
