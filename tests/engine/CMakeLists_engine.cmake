# Engine tests: ops against naive references, ONNX import/export, ONNX conformance, NPY, model info.
# Included from tests/CMakeLists.txt.
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)

aisys_test(test_onnx_conformance unit SOURCES engine/test_onnx_conformance.cpp
           LIBS aisys_engine onnx_proto protobuf::libprotobuf)
aisys_test(test_engine_ops unit SOURCES engine/test_ops.cpp LIBS aisys_engine)
aisys_test(test_onnx_import unit SOURCES engine/test_onnx_import.cpp
           LIBS aisys_engine onnx_proto protobuf::libprotobuf)
aisys_test(test_npy unit SOURCES engine/test_npy.cpp LIBS aisys_engine)
aisys_test(test_model_info unit SOURCES engine/test_model_info.cpp LIBS aisys_engine)
aisys_test(test_control_flow unit SOURCES engine/test_control_flow.cpp LIBS aisys_engine)
aisys_test(test_gradcheck unit SOURCES engine/test_gradcheck.cpp LIBS aisys_engine)
aisys_test(test_fuzz_regressions unit SOURCES engine/test_fuzz_regressions.cpp LIBS aisys_engine)
aisys_test(test_autodiff unit SOURCES engine/test_autodiff.cpp LIBS aisys_engine)
aisys_test(test_train unit SOURCES engine/test_train.cpp LIBS aisys_engine)
aisys_test(test_eager unit SOURCES engine/test_eager.cpp LIBS aisys_engine)
aisys_test(test_grad_ops unit SOURCES engine/test_grad_ops.cpp LIBS aisys_engine)
