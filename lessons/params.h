// Lab parameters: their declared specs (type, range, label) and a set of concrete values.
#pragma once

#include "lessons/text.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace aisys::lessons {

/// A parameter value: integer, real, boolean or one of a list of choices.
using ParamValue = std::variant<std::int64_t, double, bool, std::string>;

/// The declared type of a parameter.
enum class ParamType { Int, Float, Bool, Choice, Text };

/// "integer", "number", "boolean", "string" — the words error messages use.
const char* paramTypeName(ParamType t);

/// What a Lab declares about one parameter (the panel builds a slider/combo from it).
struct ParamSpec {
    std::string name; ///< key used in lesson files
    ParamType type = ParamType::Int;
    LocalText label;                  ///< shown in the parameter panel
    double min = 0, max = 1;          ///< Int / Float range, inclusive
    std::vector<std::string> choices; ///< Choice values
    ParamValue def;                   ///< default value
    bool path = false; ///< Text: a file path (lesson files give it relative to themselves)
};

/// Concrete values, keyed by parameter name.
class ParamSet {
public:
    void set(const std::string& name, ParamValue v) { m_values[name] = std::move(v); }
    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    std::int64_t getInt(const std::string& name, std::int64_t fallback = 0) const;
    double getFloat(const std::string& name, double fallback = 0) const;
    bool getBool(const std::string& name, bool fallback = false) const;
    std::string getString(const std::string& name, const std::string& fallback = {}) const;
    const std::map<std::string, ParamValue>& values() const { return m_values; }
    /// Values of `over` replace ours.
    void merge(const ParamSet& over);
    friend bool operator==(const ParamSet&, const ParamSet&) = default;

private:
    std::map<std::string, ParamValue> m_values;
};

/// Defaults of every spec.
ParamSet defaults(const std::vector<ParamSpec>& specs);

/// Checks `v` against `spec`; returns an empty string when valid, else what was expected.
/// Integers are accepted for Float parameters (converted by `coerce`).
std::string checkValue(const ParamSpec& spec, const ParamValue& v);

/// Converts an accepted value to the spec's exact type (int → double for Float).
ParamValue coerce(const ParamSpec& spec, const ParamValue& v);

/// Clamps numeric values into the spec's range (used by sliders and "what if" edits).
ParamValue clampToSpec(const ParamSpec& spec, const ParamValue& v);

/// Human-readable value ("4", "0.5", "true", "ring").
std::string formatValue(const ParamValue& v);

const ParamSpec* findSpec(const std::vector<ParamSpec>& specs, const std::string& name);

} // namespace aisys::lessons
