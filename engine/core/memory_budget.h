// Memory limits for running models: checked element counts and byte sizes, the default budget
// (half of physical memory) and "4G"-style sizes, so that an absurd shape is refused with a
// message before anything is allocated.
#pragma once

#include "engine/core/tensor.h"

#include <cstddef>
#include <optional>
#include <string>

namespace aisys::engine {

/// Elements of a shape with non-negative dims, or nullopt when the product does not fit in
/// int64 (a dim < 0 also gives nullopt).
std::optional<std::int64_t> checkedElementCount(const Shape& s);
/// Bytes of a tensor of that type, or nullopt when they do not fit in size_t / int64.
std::optional<std::size_t> checkedBytes(DType t, const Shape& s);

/// Physical memory of this machine in bytes (sysconf), 0 when unknown.
std::size_t physicalMemoryBytes();
/// The default budget for one model run: half of physical memory (8 GiB when unknown).
std::size_t defaultMemoryBudget();

/// "512M", "4G", "1.5GiB", "123456" (bytes; K/M/G/T are powers of 1024, "B"/"iB" optional), or
/// nullopt with `error` saying what was expected.
std::optional<std::size_t> parseByteSize(const std::string& text, std::string* error = nullptr);
/// "1.5 GiB", "512 MiB", "12 KiB", "100 B".
std::string byteSizeText(double bytes);

} // namespace aisys::engine
