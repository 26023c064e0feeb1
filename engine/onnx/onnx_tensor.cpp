// TensorProto ↔ Tensor (raw_data, typed fields, external data inside the model folder) and
// ValueInfoProto ↔ value types with symbolic dims.
#include "engine/onnx/onnx_tensor.h"

#include "engine/onnx/onnx_import.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace aisys::engine::onnxio {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& tensorName, const std::string& msg) {
    throw OnnxError("tensor '" + tensorName + "': " + msg);
}

DType engineType(int code, const std::string& name) {
    auto t = dtypeFromOnnxCode(code);
    if (!t)
        fail(name, std::string("data type ") + onnxTypeName(code) +
                       " is not supported (the engine has f32 f64 i8 u8 i32 i64 bool)");
    return *t;
}

/// Copies typed-field values (float_data, int32_data, ...) into the tensor.
template <class T, class Field>
void copyField(const Field& field, Tensor& t, const std::string& name) {
    if (field.size() != t.numel())
        fail(name, "holds " + std::to_string(field.size()) + " values, its shape " +
                       shapeToString(t.shape()) + " needs " + std::to_string(t.numel()));
    visitDType(t.dtype(), [&](auto tag) {
        using E = decltype(tag);
        E* d = t.data<E>();
        for (int i = 0; i < field.size(); ++i)
            d[i] = static_cast<E>(field.Get(i));
    });
    (void)sizeof(T);
}

} // namespace

std::string resolveExternalPath(const std::string& location, const std::string& baseDir,
                                const std::string& tensorName) {
    // 1. Refuse when there is no model folder, an absolute path, or any ".." component.
    // 2. Resolve links and check the canonical path still lies under the canonical folder.
    if (baseDir.empty())
        fail(tensorName, "external data '" + location +
                             "' needs the model's folder (the model "
                             "was not read from a file)");
    const fs::path rel(location);
    if (location.empty() || rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        fail(tensorName,
             "external data path '" + location + "' must be relative to the model's folder");
    for (const auto& part : rel)
        if (part == "..")
            fail(tensorName, "external data path '" + location +
                                 "' leaves the model's folder (\"..\" is refused)");
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(fs::path(baseDir), ec);
    const fs::path full = fs::weakly_canonical(fs::path(baseDir) / rel, ec);
    if (ec)
        fail(tensorName, "external data path '" + location + "' cannot be resolved");
    auto b = base.begin(), f = full.begin();
    for (; b != base.end(); ++b, ++f)
        if (f == full.end() || *b != *f)
            fail(tensorName,
                 "external data path '" + location + "' resolves outside the model's folder");
    return full.string();
}

/// Number of values the typed field of this data type holds.
int typedFieldSize(const onnx::TensorProto& p, DType dtype) {
    switch (dtype) {
    case DType::F32:
        return p.float_data_size();
    case DType::F64:
        return p.double_data_size();
    case DType::I64:
        return p.int64_data_size();
    case DType::Bool:
    case DType::I8:
    case DType::U8:
    case DType::I32:
        break;
    }
    return p.int32_data_size();
}

Tensor tensorFromProto(const onnx::TensorProto& p, const std::string& baseDir) {
    // 1. Type and shape; the byte count is checked against what the file really holds (raw
    //    data, typed values or the external file) before any storage is allocated, so a
    //    corrupt shape cannot ask for terabytes.
    // 2. Copy the data from where it lives.
    const std::string& name = p.name();
    const DType dtype = engineType(p.data_type(), name);
    Shape shape(p.dims().begin(), p.dims().end());
    double count = 1, nonzero = 1; // (the product of the nonzero dims must fit an int64 too)
    for (auto d : shape) {
        if (d < 0)
            fail(name, "has a negative dimension in " + shapeToString(shape));
        count *= static_cast<double>(d);
        nonzero *= static_cast<double>(std::max<std::int64_t>(d, 1));
    }
    if (nonzero * static_cast<double>(dtypeSize(dtype)) > 0x1p52)
        fail(name, "shape " + shapeToString(shape) + " is too large");
    if (p.has_segment())
        fail(name, "segmented tensors are not supported");
    const auto numel = static_cast<std::int64_t>(count);
    const std::size_t bytes = static_cast<std::size_t>(numel) * dtypeSize(dtype);
    if (p.data_location() == onnx::TensorProto::EXTERNAL) {
        std::string location;
        std::int64_t offset = 0, length = -1;
        for (const auto& kv : p.external_data()) {
            if (kv.key() == "location")
                location = kv.value();
            else if (kv.key() == "offset" || kv.key() == "length") {
                std::int64_t v = 0;
                try {
                    v = std::stoll(kv.value());
                } catch (const std::exception&) {
                    fail(name,
                         "external data " + kv.key() + " '" + kv.value() + "' is not a number");
                }
                (kv.key() == "offset" ? offset : length) = v;
            }
        }
        const std::string path = resolveExternalPath(location, baseDir, name);
        if (offset < 0 || (length >= 0 && static_cast<std::size_t>(length) != bytes))
            fail(name, "external data length " + std::to_string(length) + " does not match the " +
                           std::to_string(bytes) + " bytes of shape " + shapeToString(shape));
        std::ifstream f(path, std::ios::binary);
        if (!f)
            fail(name, "cannot open external data file '" + location + "'");
        f.seekg(0, std::ios::end);
        const std::int64_t size = f.tellg();
        if (offset > size || static_cast<std::int64_t>(bytes) > size - offset)
            fail(name, "external data file '" + location + "' is too short (" +
                           std::to_string(size) + " bytes, needs " + std::to_string(bytes) +
                           " from offset " + std::to_string(offset) + ")");
        Tensor t(dtype, shape);
        f.seekg(offset);
        f.read(static_cast<char*>(t.rawData()), static_cast<std::streamsize>(bytes));
        return t;
    }
    if (p.has_raw_data()) {
        if (p.raw_data().size() != bytes)
            fail(name, "raw_data has " + std::to_string(p.raw_data().size()) + " bytes, shape " +
                           shapeToString(shape) + " of " + dtypeName(dtype) + " needs " +
                           std::to_string(bytes));
        Tensor t(dtype, shape);
        if (bytes > 0) // an empty tensor has no storage (memcpy with null is undefined)
            std::memcpy(t.rawData(), p.raw_data().data(), bytes);
        if (dtype == DType::Bool) { // normalise any nonzero byte to true
            auto* b = static_cast<std::uint8_t*>(t.rawData());
            for (std::size_t i = 0; i < bytes; ++i)
                b[i] = b[i] != 0;
        }
        return t;
    }
    if (numel == 0)
        return Tensor(dtype, shape);
    if (typedFieldSize(p, dtype) != numel)
        fail(name, "holds " + std::to_string(typedFieldSize(p, dtype)) + " values, its shape " +
                       shapeToString(shape) + " needs " + std::to_string(numel));
    Tensor t(dtype, shape);
    switch (dtype) {
    case DType::F32:
        copyField<float>(p.float_data(), t, name);
        break;
    case DType::F64:
        copyField<double>(p.double_data(), t, name);
        break;
    case DType::I64:
        copyField<std::int64_t>(p.int64_data(), t, name);
        break;
    case DType::Bool:
    case DType::I8:
    case DType::U8:
    case DType::I32:
        copyField<std::int32_t>(p.int32_data(), t, name);
        break;
    }
    return t;
}

void tensorToProto(const Tensor& t, const std::string& name, onnx::TensorProto& p) {
    p.set_name(name);
    p.set_data_type(onnxCodeOf(t.dtype()));
    for (auto d : t.shape())
        p.add_dims(d);
    p.set_raw_data(std::string(static_cast<const char*>(t.rawData()), t.bytes()));
}

void valueTypeFromProto(const onnx::ValueInfoProto& info, Value& v) {
    if (!info.has_type() || !info.type().has_tensor_type())
        throw OnnxError("value '" + info.name() +
                        "': only tensor types are supported (no sequences, maps or optionals)");
    const auto& tt = info.type().tensor_type();
    auto t = dtypeFromOnnxCode(tt.elem_type());
    if (!t)
        throw OnnxError("value '" + info.name() + "': data type " + onnxTypeName(tt.elem_type()) +
                        " is not supported (the engine has f32 f64 i8 u8 i32 i64 bool)");
    v.dtype = *t;
    v.shape.clear();
    v.dimParams.clear();
    bool symbolic = false;
    double count = 1;
    for (const auto& d : tt.shape().dim()) {
        if (d.has_dim_value()) {
            count *= static_cast<double>(std::max<std::int64_t>(d.dim_value(), 1));
            if (count > 0x1p52)
                throw OnnxError("value '" + info.name() + "': dimension " +
                                std::to_string(d.dim_value()) + " makes the tensor too large");
            v.shape.push_back(d.dim_value());
            v.dimParams.emplace_back();
        } else {
            v.shape.push_back(-1);
            v.dimParams.push_back(d.has_dim_param() ? d.dim_param() : "");
            symbolic = symbolic || d.has_dim_param();
        }
    }
    if (!symbolic)
        v.dimParams.clear();
}

void valueTypeToProto(const Value& v, onnx::ValueInfoProto& info) {
    info.set_name(v.name);
    auto* tt = info.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnxCodeOf(v.dtype));
    auto* shape = tt->mutable_shape();
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        auto* d = shape->add_dim();
        if (v.shape[i] >= 0)
            d->set_dim_value(v.shape[i]);
        else if (i < v.dimParams.size() && !v.dimParams[i].empty())
            d->set_dim_param(v.dimParams[i]);
    }
}

} // namespace aisys::engine::onnxio
