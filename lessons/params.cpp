// Parameter values: typed access, checking against specs, clamping and formatting.
#include "lessons/params.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace aisys::lessons {

const char* paramTypeName(ParamType t) {
    switch (t) {
    case ParamType::Int:
        return "integer";
    case ParamType::Float:
        return "number";
    case ParamType::Bool:
        return "boolean";
    case ParamType::Choice:
    case ParamType::Text:
        return "string";
    }
    return "?";
}

std::int64_t ParamSet::getInt(const std::string& name, std::int64_t fallback) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    if (auto p = std::get_if<std::int64_t>(&it->second))
        return *p;
    if (auto p = std::get_if<double>(&it->second))
        return static_cast<std::int64_t>(std::llround(*p));
    return fallback;
}

double ParamSet::getFloat(const std::string& name, double fallback) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    if (auto p = std::get_if<double>(&it->second))
        return *p;
    if (auto p = std::get_if<std::int64_t>(&it->second))
        return static_cast<double>(*p);
    return fallback;
}

bool ParamSet::getBool(const std::string& name, bool fallback) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    if (auto p = std::get_if<bool>(&it->second))
        return *p;
    return fallback;
}

std::string ParamSet::getString(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    if (auto p = std::get_if<std::string>(&it->second))
        return *p;
    return fallback;
}

void ParamSet::merge(const ParamSet& over) {
    for (const auto& [k, v] : over.m_values)
        m_values[k] = v;
}

ParamSet defaults(const std::vector<ParamSpec>& specs) {
    ParamSet s;
    for (const auto& spec : specs)
        s.set(spec.name, spec.def);
    return s;
}

std::string formatValue(const ParamValue& v) {
    if (auto p = std::get_if<std::int64_t>(&v))
        return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) {
        std::ostringstream os;
        os << *p;
        return os.str();
    }
    if (auto p = std::get_if<bool>(&v))
        return *p ? "true" : "false";
    return std::get<std::string>(v);
}

namespace {
std::string rangeText(const ParamSpec& s) {
    std::ostringstream os;
    os << paramTypeName(s.type) << " from " << s.min << " to " << s.max;
    return os.str();
}
} // namespace

std::string checkValue(const ParamSpec& spec, const ParamValue& v) {
    switch (spec.type) {
    case ParamType::Int: {
        auto p = std::get_if<std::int64_t>(&v);
        if (!p)
            return "expected an " + rangeText(spec);
        if (*p < spec.min || *p > spec.max)
            return std::to_string(*p) + " is out of range: expected an " + rangeText(spec);
        return {};
    }
    case ParamType::Float: {
        double d;
        if (auto p = std::get_if<double>(&v))
            d = *p;
        else if (auto q = std::get_if<std::int64_t>(&v))
            d = static_cast<double>(*q);
        else
            return "expected a " + rangeText(spec);
        if (!(d >= spec.min && d <= spec.max))
            return formatValue(v) + " is out of range: expected a " + rangeText(spec);
        return {};
    }
    case ParamType::Bool:
        if (!std::holds_alternative<bool>(v))
            return "expected a boolean (true or false)";
        return {};
    case ParamType::Text:
        if (!std::holds_alternative<std::string>(v))
            return "expected a string";
        return {};
    case ParamType::Choice: {
        auto p = std::get_if<std::string>(&v);
        std::string list;
        for (const auto& c : spec.choices)
            list += (list.empty() ? "\"" : ", \"") + c + "\"";
        if (!p)
            return "expected one of " + list;
        if (std::find(spec.choices.begin(), spec.choices.end(), *p) == spec.choices.end())
            return "\"" + *p + "\" is not a choice: expected one of " + list;
        return {};
    }
    }
    return {};
}

ParamValue coerce(const ParamSpec& spec, const ParamValue& v) {
    if (spec.type == ParamType::Float)
        if (auto q = std::get_if<std::int64_t>(&v))
            return static_cast<double>(*q);
    return v;
}

ParamValue clampToSpec(const ParamSpec& spec, const ParamValue& v) {
    ParamValue c = coerce(spec, v);
    if (spec.type == ParamType::Int)
        if (auto p = std::get_if<std::int64_t>(&c))
            return std::clamp<std::int64_t>(*p, static_cast<std::int64_t>(spec.min),
                                            static_cast<std::int64_t>(spec.max));
    if (spec.type == ParamType::Float)
        if (auto p = std::get_if<double>(&c))
            return std::clamp(*p, spec.min, spec.max);
    return c;
}

const ParamSpec* findSpec(const std::vector<ParamSpec>& specs, const std::string& name) {
    for (const auto& s : specs)
        if (s.name == name)
            return &s;
    return nullptr;
}

} // namespace aisys::lessons
