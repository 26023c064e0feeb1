# Lab tests of later chapters: one include line per Lab (included by tests/CMakeLists.txt).
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compiler_lab.cmake)
