# Lab tests of the later chapters, one include per group. Included from tests/CMakeLists.txt.
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compress_labs.cmake OPTIONAL)
