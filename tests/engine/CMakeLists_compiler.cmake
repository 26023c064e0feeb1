include(${CMAKE_CURRENT_LIST_DIR}/CMakeLists_compiler_backend.cmake)
