// Quantities with units for the collective simulator's inputs: times ("5us"), bandwidths
// ("100GB/s"), sizes ("4MiB", "1G") — parsed with a message saying what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace aisys::engine::dist {

/// Seconds from "5us", "1.5ms", "2e-6s", "300ns", "0" (a bare number is seconds). nullopt and
/// `error` set on anything else, negative values included.
std::optional<double> parseTime(const std::string& text, std::string& error);
/// Bytes per second from "100GB/s", "25Gb/s" (bits), "900GiB/s", "1e9" (bytes/s). Units: B, KB,
/// MB, GB, TB (powers of 1000), KiB..TiB (powers of 1024), lower-case b for bits. Must be > 0.
std::optional<double> parseBandwidth(const std::string& text, std::string& error);
/// Bytes from "8", "4K", "4KB", "4KiB", "1M", "1G", "1GiB": K/M/G/T alone are powers of 1024
/// like nccl-tests' -b/-e flags; KB/MB/GB/TB are powers of 1000. Must be ≥ 0 and whole.
std::optional<std::int64_t> parseBytes(const std::string& text, std::string& error);

/// "5 us", "1.2 ms", "3 s": a time for reports (3 significant digits).
std::string formatTime(double seconds);
/// "4 MiB", "512 B": a size for reports.
std::string formatBytes(double bytes);

} // namespace aisys::engine::dist
