# Tests of the Labs of later chapters (one include per family).
include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_systolic_labs.cmake)
