// Tensor storage, typed access and small helpers.
#include "engine/core/tensor.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace aisys::engine {

std::size_t dtypeSize(DType t) {
    switch (t) {
    case DType::F32:
        return 4;
    case DType::F64:
        return 8;
    case DType::I8:
        return 1;
    case DType::U8:
        return 1;
    case DType::I32:
        return 4;
    case DType::I64:
        return 8;
    case DType::Bool:
        return 1;
    }
    return 1;
}

const char* dtypeName(DType t) {
    switch (t) {
    case DType::F32:
        return "f32";
    case DType::F64:
        return "f64";
    case DType::I8:
        return "i8";
    case DType::U8:
        return "u8";
    case DType::I32:
        return "i32";
    case DType::I64:
        return "i64";
    case DType::Bool:
        return "bool";
    }
    return "?";
}

std::optional<DType> dtypeFromOnnxCode(int code) {
    switch (code) {
    case 1:
        return DType::F32;
    case 2:
        return DType::U8;
    case 3:
        return DType::I8;
    case 6:
        return DType::I32;
    case 7:
        return DType::I64;
    case 9:
        return DType::Bool;
    case 11:
        return DType::F64;
    default:
        return std::nullopt;
    }
}

int onnxCodeOf(DType t) {
    switch (t) {
    case DType::F32:
        return 1;
    case DType::U8:
        return 2;
    case DType::I8:
        return 3;
    case DType::I32:
        return 6;
    case DType::I64:
        return 7;
    case DType::Bool:
        return 9;
    case DType::F64:
        return 11;
    }
    return 0;
}

const char* onnxTypeName(int code) {
    static const char* const kNames[] = {
        "UNDEFINED",      "FLOAT",      "UINT8",         "INT8",       "UINT16",   "INT16",
        "INT32",          "INT64",      "STRING",        "BOOL",       "FLOAT16",  "DOUBLE",
        "UINT32",         "UINT64",     "COMPLEX64",     "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
        "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ"};
    if (code < 0 || code >= static_cast<int>(sizeof(kNames) / sizeof(kNames[0])))
        return "UNKNOWN";
    return kNames[code];
}

std::int64_t numElements(const Shape& s) {
    // With an unknown (−1) dim the product only says "unknown" (negative or 0): computed
    // without overflow checks (wrapping). With known dims a product beyond int64 is refused.
    std::int64_t n = 1;
    bool unknown = false;
    for (auto d : s)
        unknown |= d < 0;
    for (auto d : s) {
        if (unknown)
            n = static_cast<std::int64_t>(static_cast<std::uint64_t>(n) *
                                          static_cast<std::uint64_t>(d));
        else if (__builtin_mul_overflow(n, d, &n))
            throw std::invalid_argument("shape " + shapeToString(s) +
                                        " has more elements than fit in 64 bits");
    }
    return n;
}

std::string shapeToString(const Shape& s) {
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i)
            out += ", ";
        out += std::to_string(s[i]);
    }
    return out + "]";
}

namespace {

/// numel × element size, refused when the product does not fit.
std::size_t storageBytes(DType dtype, const Shape& shape, std::int64_t numel) {
    std::int64_t bytes = 0;
    if (__builtin_mul_overflow(numel, static_cast<std::int64_t>(dtypeSize(dtype)), &bytes))
        throw std::invalid_argument(std::string("a ") + dtypeName(dtype) + " tensor of shape " +
                                    shapeToString(shape) + " needs more bytes than fit in 64 bits");
    return static_cast<std::size_t>(bytes);
}

} // namespace

Tensor::Tensor(DType dtype, Shape shape) : m_dtype(dtype), m_shape(std::move(shape)) {
    for (auto d : m_shape)
        if (d < 0)
            throw std::invalid_argument("tensor dimension " + std::to_string(d) + " is negative");
    m_numel = numElements(m_shape);
    m_data.assign(storageBytes(dtype, m_shape, m_numel), 0);
}

Tensor Tensor::uninitialized(DType dtype, Shape shape) {
    Tensor t;
    for (auto d : shape)
        if (d < 0)
            throw std::invalid_argument("tensor dimension " + std::to_string(d) + " is negative");
    t.m_dtype = dtype;
    t.m_numel = numElements(shape);
    t.m_data.resize(storageBytes(dtype, shape, t.m_numel));
    t.m_shape = std::move(shape);
    return t;
}

Tensor Tensor::f32(Shape shape, std::vector<float> values) {
    Tensor t(DType::F32, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("tensor of shape " + shapeToString(t.shape()) + " needs " +
                                    std::to_string(t.numel()) + " values, got " +
                                    std::to_string(values.size()));
    std::memcpy(t.m_data.data(), values.data(), values.size() * sizeof(float));
    return t;
}

Tensor Tensor::f64(Shape shape, std::vector<double> values) {
    Tensor t(DType::F64, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.numel())
        throw std::invalid_argument("tensor of shape " + shapeToString(t.shape()) + " needs " +
                                    std::to_string(t.numel()) + " values, got " +
                                    std::to_string(values.size()));
    std::memcpy(t.m_data.data(), values.data(), values.size() * sizeof(double));
    return t;
}

template <class T> T* Tensor::data() {
    if (dtypeOf<T>() != m_dtype)
        throw std::logic_error(std::string("tensor is ") + dtypeName(m_dtype) + ", accessed as " +
                               dtypeName(dtypeOf<T>()));
    return reinterpret_cast<T*>(m_data.data());
}

template <class T> const T* Tensor::data() const {
    return const_cast<Tensor*>(this)->data<T>();
}

template float* Tensor::data<float>();
template double* Tensor::data<double>();
template std::int8_t* Tensor::data<std::int8_t>();
template std::uint8_t* Tensor::data<std::uint8_t>();
template std::int32_t* Tensor::data<std::int32_t>();
template std::int64_t* Tensor::data<std::int64_t>();
template bool* Tensor::data<bool>();
template const float* Tensor::data<float>() const;
template const double* Tensor::data<double>() const;
template const std::int8_t* Tensor::data<std::int8_t>() const;
template const std::uint8_t* Tensor::data<std::uint8_t>() const;
template const std::int32_t* Tensor::data<std::int32_t>() const;
template const std::int64_t* Tensor::data<std::int64_t>() const;
template const bool* Tensor::data<bool>() const;

double Tensor::at(std::int64_t i) const {
    switch (m_dtype) {
    case DType::F32:
        return data<float>()[i];
    case DType::F64:
        return data<double>()[i];
    case DType::I8:
        return data<std::int8_t>()[i];
    case DType::U8:
        return data<std::uint8_t>()[i];
    case DType::I32:
        return data<std::int32_t>()[i];
    case DType::I64:
        return static_cast<double>(data<std::int64_t>()[i]);
    case DType::Bool:
        return data<bool>()[i] ? 1.0 : 0.0;
    }
    return 0;
}

std::int64_t Tensor::atInt(std::int64_t i) const {
    if (m_dtype == DType::I64)
        return data<std::int64_t>()[i];
    return static_cast<std::int64_t>(at(i));
}

Tensor Tensor::reshaped(Shape shape) const {
    if (numElements(shape) != numel())
        throw std::invalid_argument("cannot view " + shapeToString(m_shape) + " as " +
                                    shapeToString(shape));
    Tensor t = *this;
    t.m_shape = std::move(shape);
    return t;
}

Tensor Tensor::i64(Shape shape, std::vector<std::int64_t> values) {
    return of<std::int64_t>(std::move(shape), values);
}

namespace {
template <class To, class From> To convertElement(From v) {
    if constexpr (std::is_same_v<To, bool>)
        return v != From{};
    else if constexpr (std::is_floating_point_v<From> && !std::is_floating_point_v<To>) {
        // Out-of-range and NaN conversions are undefined in C++; saturate them.
        if (!(v == v))
            return To{};
        if (v >= static_cast<From>(std::numeric_limits<To>::max()))
            return std::numeric_limits<To>::max();
        if (v <= static_cast<From>(std::numeric_limits<To>::lowest()))
            return std::numeric_limits<To>::lowest();
        return static_cast<To>(v);
    } else
        return static_cast<To>(v);
}
} // namespace

Tensor Tensor::cast(DType to) const {
    Tensor out(to, m_shape);
    const std::int64_t n = numel();
    visitDType(m_dtype, [&](auto fromTag) {
        using From = decltype(fromTag);
        const From* src = data<From>();
        visitDType(to, [&](auto toTag) {
            using To = decltype(toTag);
            To* dst = out.data<To>();
            for (std::int64_t i = 0; i < n; ++i)
                dst[i] = convertElement<To>(src[i]);
        });
    });
    return out;
}

Eigen::Map<MatrixXfR> Tensor::matF32(std::int64_t rows, std::int64_t cols) {
    if (rows * cols != numel())
        throw std::logic_error("matrix view " + std::to_string(rows) + "x" + std::to_string(cols) +
                               " does not fit tensor " + shapeToString(m_shape));
    return Eigen::Map<MatrixXfR>(data<float>(), rows, cols);
}

Eigen::Map<const MatrixXfR> Tensor::matF32(std::int64_t rows, std::int64_t cols) const {
    if (rows * cols != numel())
        throw std::logic_error("matrix view " + std::to_string(rows) + "x" + std::to_string(cols) +
                               " does not fit tensor " + shapeToString(m_shape));
    return Eigen::Map<const MatrixXfR>(data<float>(), rows, cols);
}

bool Tensor::allClose(const Tensor& o, double tol) const {
    if (o.m_dtype != m_dtype || o.m_shape != m_shape)
        return false;
    for (std::int64_t i = 0; i < numel(); ++i)
        if (!(std::fabs(at(i) - o.at(i)) <= tol))
            return false;
    return true;
}

bool shapeKnown(const Shape& s) {
    for (auto d : s)
        if (d < 0)
            return false;
    return true;
}

double numelOrZero(const Shape& s) {
    if (!shapeKnown(s))
        return 0.0;
    double n = 1; // in double: an absurd inferred shape must not overflow an int64
    for (auto d : s)
        n *= static_cast<double>(d);
    return n;
}

} // namespace aisys::engine
