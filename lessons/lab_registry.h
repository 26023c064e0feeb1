// The one explicit list of Labs (one line per Lab in lab_registry.cpp).
#pragma once

#include "lessons/lab.h"

#include <memory>
#include <string>
#include <vector>

namespace aisys::lessons {

/// Owns one instance of every Lab; look them up by id.
class LabRegistry {
public:
    /// The registry with every Lab the application ships.
    static LabRegistry builtin();
    void add(std::unique_ptr<Lab> lab);
    const Lab* find(const std::string& id) const;
    std::vector<std::string> ids() const;

private:
    std::vector<std::shared_ptr<Lab>> m_labs;
};

} // namespace aisys::lessons
