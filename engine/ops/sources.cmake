# engine/ops/: every op source, listed once (the registry's one list of ops is op_registry.cpp).
# Included from engine/CMakeLists.txt.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/op_registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/op_kit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/grad_builder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quant_affine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/window_geometry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unary/math.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unary/activations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unary/numeric.cpp
  ${CMAKE_CURRENT_LIST_DIR}/elementwise_unary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/elementwise_binary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/variadic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matmul.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nn_conv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pooling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/normalization.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reduce.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shape_ops.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tensor_index.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tile_pad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/generate_ops.cpp
  ${CMAKE_CURRENT_LIST_DIR}/recurrent.cpp
  ${CMAKE_CURRENT_LIST_DIR}/quantize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/control_flow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/activation_grad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/index_grad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fake_quant.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fused_kernel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fused_ops.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout_ops.cpp
)
# The unary ops with a file of their own: unary/<file>.cpp for every AISYS_UNARY_FILE(factory,
# file) line of unary/ops.def (a line without its file fails the configure).
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/unary/ops.def _aisys_unary_lines REGEX "^AISYS_UNARY_FILE\\(")
foreach(_line IN LISTS _aisys_unary_lines)
  if(NOT _line MATCHES "^AISYS_UNARY_FILE\\([A-Za-z0-9_]+, *([a-z0-9_]+)\\)$")
    message(FATAL_ERROR "engine/ops/unary/ops.def: expected AISYS_UNARY_FILE(factory, file), got: ${_line}")
  endif()
  set(_file ${CMAKE_CURRENT_LIST_DIR}/unary/${CMAKE_MATCH_1}.cpp)
  if(NOT EXISTS ${_file})
    message(FATAL_ERROR "engine/ops/unary/ops.def names ${CMAKE_MATCH_1}, but ${_file} does not exist")
  endif()
  target_sources(aisys_engine PRIVATE ${_file})
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/unary/ops.def)
