// Linear quantization parameters: integer ranges, symmetric and affine scales, calibration of
// a clipping range (min-max, percentile, KL), per-tensor and per-channel, and error metrics.
#pragma once

#include "engine/core/tensor.h"
#include "engine/ops/quant_affine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aisys::engine::compress {

// The affine arithmetic the quantization ops compute (engine/ops/quant_affine.h).
using engine::paramsForRange;
using engine::QParams;
using engine::QScheme;
using engine::signedRange;

/// How the clipping range is chosen from observed values.
enum class Calibration { MinMax, Percentile, KL };

/// "symmetric"/"affine", "minmax"/"percentile"/"kl" and back (throws std::invalid_argument
/// naming the expected words).
const char* schemeName(QScheme s);
const char* calibrationName(Calibration c);
QScheme parseScheme(const std::string& s);
Calibration parseCalibration(const std::string& s);

/// A clipping range.
struct Range {
    double lo = 0, hi = 0;
};

/// The clipping range of values `x` by a calibrator: min-max; percentile `pct` (e.g. 99.99:
/// of |x| for symmetric, the two tails for affine); KL (TensorRT's threshold T on |x|, range
/// [−T, T] for symmetric, intersected with [min, max] for affine).
Range calibrate(const std::vector<float>& x, Calibration c, QScheme scheme, double pct = 99.99);

/// What quantizing a tensor means.
struct QuantSpec {
    QScheme scheme = QScheme::Symmetric;
    int bits = 8;
    bool perChannel = false;
    int axis = 0; ///< channel axis for per-channel
    Calibration calibration = Calibration::MinMax;
    double percentile = 99.99;
};

/// A tensor quantized to integers with one QParams per channel (or one for the tensor).
struct QuantizedTensor {
    std::vector<QParams> params; ///< size 1, or the channel count along `axis`
    int axis = 0;
    Shape shape;
    std::vector<std::int32_t> q; ///< integer values, row-major
    Tensor dequantized;          ///< f32, the same shape
    /// Index into `params` of flat element i.
    std::size_t channelOf(std::int64_t i) const;
};

/// Calibrates (per tensor or per channel) and quantizes an f32 tensor.
QuantizedTensor quantizeTensor(const Tensor& x, const QuantSpec& spec);

/// Error of an approximation against a reference of the same shape.
struct ErrorStats {
    double maxAbs = 0;
    double mse = 0;
    double sqnrDb = 0;   ///< 10·log10(Σx² / Σ(x − x̂)²); +inf when exact
    double clipRate = 0; ///< fraction of elements outside the clipping range (when given)
};
ErrorStats compareTensors(const Tensor& ref, const Tensor& approx);
/// Same, with the clip rate of a quantized tensor.
ErrorStats quantError(const Tensor& ref, const QuantizedTensor& qt);

} // namespace aisys::engine::compress
