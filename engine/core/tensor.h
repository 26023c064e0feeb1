// Tensor: dtype, shape and contiguous row-major storage; Eigen maps for kernels.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aisys::engine {

/// Element types (ONNX's names in comments).
enum class DType : std::uint8_t { F32, F64, I8, U8, I32, I64, Bool };

/// Bytes per element.
std::size_t dtypeSize(DType t);
/// "f32", "f64", "i8", "u8", "i32", "i64", "bool".
const char* dtypeName(DType t);

/// The engine type of an ONNX TensorProto.DataType code (1 f32, 2 u8, 3 i8, 6 i32, 7 i64,
/// 9 bool, 11 f64), or nullopt for a type the engine lacks.
std::optional<DType> dtypeFromOnnxCode(int code);
/// The ONNX TensorProto.DataType code of an engine type.
int onnxCodeOf(DType t);
/// ONNX's name of a TensorProto.DataType code ("FLOAT16", "STRING", ...), for messages.
const char* onnxTypeName(int code);

/// Dimensions, outermost first.
using Shape = std::vector<std::int64_t>;

/// Product of the dimensions (1 for a scalar).
std::int64_t numElements(const Shape& s);
/// "[3, 4]"; a scalar prints as "[]".
std::string shapeToString(const Shape& s);
/// True when no dimension is unknown (-1).
bool shapeKnown(const Shape& s);
/// Element count as double (no overflow for absurd shapes), 0 when a dimension is unknown.
double numelOrZero(const Shape& s);

/// Row-major matrix types the kernels map tensors onto.
/// An allocator whose resize leaves bytes uninitialised (default-initialisation), so a kernel
/// that writes every element need not pay for clearing its output first.
template <class T> struct DefaultInitAllocator : std::allocator<T> {
    template <class U> struct rebind { using other = DefaultInitAllocator<U>; };
    using std::allocator<T>::allocator;
    template <class U> void construct(U* p) noexcept { ::new (static_cast<void*>(p)) U; }
    template <class U, class... A> void construct(U* p, A&&... a) {
        ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
    }
};

using MatrixXfR = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixXdR = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A dense tensor that owns its storage.
class Tensor {
public:
    Tensor() = default;
    /// Zero-filled tensor of the given type and shape.
    /// All elements zero.
    Tensor(DType dtype, Shape shape);
    /// Elements left uninitialised: for outputs a kernel overwrites entirely (see
    /// OpDef::writesEveryOutput).
    static Tensor uninitialized(DType dtype, Shape shape);
    /// f32 tensor from values (their count must equal the shape's element count).
    static Tensor f32(Shape shape, std::vector<float> values);
    static Tensor f64(Shape shape, std::vector<double> values);
    /// i64 tensor from values (shape ops, indices).
    static Tensor i64(Shape shape, std::vector<std::int64_t> values);
    /// Tensor of any engine type from values of the matching C++ type.
    template <class T> static Tensor of(Shape shape, const std::vector<T>& values);

    DType dtype() const { return m_dtype; }
    const Shape& shape() const { return m_shape; }
    int rank() const { return static_cast<int>(m_shape.size()); }
    std::int64_t numel() const { return m_numel; }
    std::size_t bytes() const { return m_data.size(); }
    bool valid() const { return !m_shape.empty() || !m_data.empty(); }

    /// Typed access; the type must match dtype() (checked, throws std::logic_error).
    template <class T> T* data();
    template <class T> const T* data() const;

    /// Element i (flat, row-major) converted to double, for display and checks.
    double at(std::int64_t i) const;
    /// Element i converted to int64 (exact for integer types; floats truncate).
    std::int64_t atInt(std::int64_t i) const;
    /// Untyped storage, bytes() long (for import/export and I/O).
    void* rawData() { return m_data.data(); }
    const void* rawData() const { return m_data.data(); }
    /// Same storage under another shape with the same element count (throws otherwise).
    Tensor reshaped(Shape shape) const;
    /// Element-wise conversion to another type (bool: nonzero → true; floats → ints
    /// truncate toward zero).
    Tensor cast(DType to) const;

    /// The storage as a rows×cols row-major matrix (f32); rows*cols must equal numel().
    Eigen::Map<MatrixXfR> matF32(std::int64_t rows, std::int64_t cols);
    Eigen::Map<const MatrixXfR> matF32(std::int64_t rows, std::int64_t cols) const;

    /// Same shape/type and every element within `tol` (absolute).
    bool allClose(const Tensor& o, double tol) const;

    /// Identical type, shape and bytes.
    bool operator==(const Tensor& o) const = default;

private:
    DType m_dtype = DType::F32;
    Shape m_shape;
    std::int64_t m_numel = 1; ///< numElements(m_shape), kept with the shape (loops call numel())
    std::vector<std::uint8_t, DefaultInitAllocator<std::uint8_t>> m_data;
};

/// The engine type of a C++ element type (float → F32, ..., bool → Bool).
template <class T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<float>() {
    return DType::F32;
}
template <> constexpr DType dtypeOf<double>() {
    return DType::F64;
}
template <> constexpr DType dtypeOf<std::int8_t>() {
    return DType::I8;
}
template <> constexpr DType dtypeOf<std::uint8_t>() {
    return DType::U8;
}
template <> constexpr DType dtypeOf<std::int32_t>() {
    return DType::I32;
}
template <> constexpr DType dtypeOf<std::int64_t>() {
    return DType::I64;
}
template <> constexpr DType dtypeOf<bool>() {
    return DType::Bool;
}

/// Calls f(T{}) with T the C++ element type of `t` (float, double, int8_t, ..., bool).
template <class F> decltype(auto) visitDType(DType t, F&& f) {
    switch (t) {
    case DType::F32:
        return f(float{});
    case DType::F64:
        return f(double{});
    case DType::I8:
        return f(std::int8_t{});
    case DType::U8:
        return f(std::uint8_t{});
    case DType::I32:
        return f(std::int32_t{});
    case DType::I64:
        return f(std::int64_t{});
    case DType::Bool:
        return f(bool{});
    }
    return f(float{});
}

template <class T> Tensor Tensor::of(Shape shape, const std::vector<T>& values) {
    Tensor t(dtypeOf<T>(), std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("tensor of shape " + shapeToString(t.shape()) + " needs " +
                                    std::to_string(t.numel()) + " values, got " +
                                    std::to_string(values.size()));
    T* d = t.data<T>();
    for (std::size_t i = 0; i < values.size(); ++i)
        d[i] = values[i];
    return t;
}

} // namespace aisys::engine
