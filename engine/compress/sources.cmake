# Model compression (quantization, pruning) and memory formats. Included from engine/CMakeLists.txt.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/quant_params.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kl_calibration.cpp
  ${CMAKE_CURRENT_LIST_DIR}/int8_gemm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qdq_insert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qat.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prune.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trained_net.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_format.cpp
)
