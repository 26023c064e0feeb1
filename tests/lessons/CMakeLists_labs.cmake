# Tests of the Labs of later chapters, one include per family. Included from tests/CMakeLists.txt.
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_systolic_labs.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compress_labs.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compiler_lab.cmake)
