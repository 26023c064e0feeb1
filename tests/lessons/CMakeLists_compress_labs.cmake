# The compression and memory Labs (quantization, pruning, memory-format, memory-planning).
# Included from tests/lessons/CMakeLists_labs.cmake.
aisys_test(test_compress_labs unit SOURCES lessons/test_compress_labs.cpp LIBS aisys_lessons)
