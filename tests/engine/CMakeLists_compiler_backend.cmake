# Tests of the compiler's back-half passes (fusion, layout, memory planning).
# Included from tests/engine/CMakeLists_compiler.cmake. Property tests use rapidcheck.
find_library(AISYS_RAPIDCHECK_LIB rapidcheck REQUIRED)
aisys_test(test_memory_plan property SOURCES engine/test_memory_plan.cpp
           LIBS aisys_engine ${AISYS_RAPIDCHECK_LIB})
aisys_test(test_fusion property SOURCES engine/test_fusion.cpp
           LIBS aisys_engine ${AISYS_RAPIDCHECK_LIB})
aisys_test(test_layout property SOURCES engine/test_layout.cpp
           LIBS aisys_engine ${AISYS_RAPIDCHECK_LIB})
