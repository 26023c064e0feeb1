# The graph compiler (engine/compiler/): included by engine/CMakeLists.txt.
target_sources(aisys_engine PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/graph_edit.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pass_manager.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pass_registry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/pass_util.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/dead_code_elimination.cpp
)
include(${CMAKE_CURRENT_LIST_DIR}/passes/backend.cmake)
