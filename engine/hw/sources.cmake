include(${CMAKE_CURRENT_LIST_DIR}/tpu/sources.cmake)
