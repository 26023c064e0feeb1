# The graph compiler's back-half passes (fusion, layout, memory planning; quantization lives
# in engine/compress/). Included from engine/compiler/sources.cmake.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/memory_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fusion.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fusion_horizontal.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
)
