# Labs of the compression and memory lessons (quantization, pruning, memory formats, memory
# planning). Included from lessons/CMakeLists.txt.
target_sources(aisys_lessons PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/quantization_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quantization_lab_gemm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quantization_lab_fakequant.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quantization_lab_qdq.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pruning_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_format_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_planning_lab.cpp
)
