// Tensor: dtype, shape and contiguous row-major storage; Eigen maps for kernels.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace aisys::engine {

/// Element types (ONNX's names in comments).
enum class DType : std::uint8_t { F32, F64, I8, U8, I32, I64, Bool };

/// Bytes per element.
std::size_t dtypeSize(DType t);
/// "f32", "f64", "i8", "u8", "i32", "i64", "bool".
const char* dtypeName(DType t);

/// Dimensions, outermost first.
using Shape = std::vector<std::int64_t>;

/// Product of the dimensions (1 for a scalar).
std::int64_t numElements(const Shape& s);
/// "[3, 4]"; a scalar prints as "[]".
std::string shapeToString(const Shape& s);

/// Row-major matrix types the kernels map tensors onto.
using MatrixXfR = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixXdR = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A dense tensor that owns its storage.
class Tensor {
public:
    Tensor() = default;
    /// Zero-filled tensor of the given type and shape.
    Tensor(DType dtype, Shape shape);
    /// f32 tensor from values (their count must equal the shape's element count).
    static Tensor f32(Shape shape, std::vector<float> values);
    static Tensor f64(Shape shape, std::vector<double> values);

    DType dtype() const { return m_dtype; }
    const Shape& shape() const { return m_shape; }
    int rank() const { return static_cast<int>(m_shape.size()); }
    std::int64_t numel() const { return numElements(m_shape); }
    std::size_t bytes() const { return m_data.size(); }
    bool valid() const { return !m_shape.empty() || !m_data.empty(); }

    /// Typed access; the type must match dtype() (checked, throws std::logic_error).
    template <class T> T* data();
    template <class T> const T* data() const;

    /// Element i (flat, row-major) converted to double, for display and checks.
    double at(std::int64_t i) const;

    /// The storage as a rows×cols row-major matrix (f32); rows*cols must equal numel().
    Eigen::Map<MatrixXfR> matF32(std::int64_t rows, std::int64_t cols);
    Eigen::Map<const MatrixXfR> matF32(std::int64_t rows, std::int64_t cols) const;

    /// Same shape/type and every element within `tol` (absolute).
    bool allClose(const Tensor& o, double tol) const;

private:
    DType m_dtype = DType::F32;
    Shape m_shape;
    std::vector<std::uint8_t> m_data;
};

} // namespace aisys::engine
