# The graph-optimizer Lab's tests: included by tests/lessons/CMakeLists_labs.cmake.
aisys_test(test_compiler_lab unit SOURCES lessons/test_compiler_lab.cpp LIBS aisys_lessons)
