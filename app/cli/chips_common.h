// What the chips subcommands share: their flags, the device catalogue they read, JSON text.
#pragma once

#include "lessons/devices/device_files.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::app::cli {

/// Flags of one chips subcommand: "--name value" pairs (repeatable ones keep every value),
/// bare switches and positional words.
struct ChipsArgs {
    std::map<std::string, std::vector<std::string>> values;
    std::vector<std::string> switches, positional;
    /// The last value of --name, or "".
    std::string get(const std::string& name) const;
    bool has(const std::string& name) const;
    bool on(const std::string& sw) const;
};

/// Parses argv[2..) given the flags that take a value and the switches; false with `error`
/// ("unknown option '--x' (expected one of: ...)") on anything else.
bool parseChipsArgs(int argc, char** argv, const std::vector<std::string>& valued,
                    const std::vector<std::string>& switches, ChipsArgs& out, std::string& error);

/// The built-in asset folder `sub` ("devices", "topologies"): $AISYSLAB_ASSETS/sub, the
/// installed share/aisyslab/sub next to the binary, else the source tree's assets/sub.
std::string builtInAssetDir(const std::string& sub);
/// The built-in device folder: $AISYSLAB_ASSETS/devices, the installed share/aisyslab/devices
/// next to the binary, else the source tree's assets/devices.
std::string builtInDeviceDir();
/// The catalogue: built-in, then the user's folder, then every --devices DIR in order.
lessons::DeviceCatalog loadCatalog(const ChipsArgs& args);

/// "aisyslab CMD: msg" on stderr; returns 2.
int chipsFail(const char* cmd, const std::string& msg);

/// A JSON string literal.
std::string jsonText(const std::string& s);
/// A JSON number (shortest round trip; non-finite values as null).
std::string jsonNumber(double v);
/// A number for people: 4 significant digits ("19.49", "1.25e+04").
std::string shortNumber(double v);
/// Bytes as "40 GB", "192 KiB" (decimal units for ≥ 1 MB unless exactly binary).
std::string bytesText(double b);

} // namespace aisys::app::cli
