# The graph compiler's tests (engine/compiler/): included by tests/CMakeLists.txt.
aisys_test(test_compiler_passes unit SOURCES engine/test_compiler_passes.cpp LIBS aisys_engine)
find_package(rapidcheck REQUIRED)
aisys_test(test_compiler_property property SOURCES engine/test_compiler_property.cpp
           LIBS aisys_engine rapidcheck)
aisys_test(test_compiler_cli unit SOURCES engine/test_compiler_cli.cpp LIBS aisys_engine Qt6::Core)
add_dependencies(test_compiler_cli aisyslab)
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compiler_backend.cmake)
