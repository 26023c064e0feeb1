include(${CMAKE_CURRENT_LIST_DIR}/passes/backend.cmake)
