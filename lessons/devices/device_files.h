// Device files (assets/devices/*.toml and a user's folder): TOML into engine::hw::Device, with
// file:line:column errors naming the key and what was expected. toml++ lives here, not in the
// engine, whose rule is the standard library and Eigen only.
#pragma once

#include "engine/hw/roofline/device.h"
#include "lessons/lesson.h"

#include <optional>
#include <string>
#include <vector>

namespace aisys::lessons {

/// Parses one device file's text; `file` names it in errors. Returns nullopt (and appends to
/// `errors`) when the file is malformed; a device that parses but whose derived peaks disagree
/// with the stated ones is also an error (engine::hw::checkDevice).
std::optional<engine::hw::Device> parseDevice(const std::string& text, const std::string& file,
                                              std::vector<LessonError>& errors);
/// Reads and parses the file at `path`.
std::optional<engine::hw::Device> readDeviceFile(const std::string& path,
                                                 std::vector<LessonError>& errors);

/// Every device of some folders.
struct DeviceCatalog {
    std::vector<engine::hw::Device> devices; ///< sorted by name (case-insensitive)
    std::vector<LessonError> errors;         ///< the files that could not be read
    /// By name, case-insensitive; nullptr when absent.
    const engine::hw::Device* find(const std::string& name) const;
    /// "A100, B200, ..." for messages.
    std::string names() const;
};

/// Reads every *.toml of `dirs` in order (a missing folder is skipped). A device whose name
/// an earlier folder already has replaces it: a user's file overrides a built-in one.
DeviceCatalog loadDeviceCatalog(const std::vector<std::string>& dirs);

/// The user's device folder: $XDG_DATA_HOME/aisyslab/devices, else
/// ~/.local/share/aisyslab/devices ("" when neither variable is set).
std::string userDeviceDir();

} // namespace aisys::lessons
