// Text pieces shared by the systolic Lab's pictures: numbers, shapes, mappings, formulas (in the
// Lab's own namespace, lessons::systolic, as they are used across its files).
#pragma once

#include "lessons/labs/chips/systolic/setup.h"
#include "lessons/text.h"

#include <cstdint>
#include <string>

namespace aisys::lessons::systolic {

std::string n2s(std::int64_t v);
/// "41.0 %"
std::string pct(double v);
/// "16×4×4"
std::string gemmText(const engine::systolic::GemmShape& g);
/// What stays in the array and what streams ("stays: B (K×N) → rows K = 4, …").
std::string mappingText(const SystolicCase& c, Lang L);
/// "2R + C + T − 2 = 8 + 4 + 16 − 2 = 26" (or the OS form).
std::string perFoldFormula(const SystolicCase& c);

} // namespace aisys::lessons::systolic
