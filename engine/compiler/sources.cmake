# The graph compiler (engine/compiler/): included by engine/CMakeLists.txt.
target_sources(aisys_engine PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/graph_edit.cpp
    ${CMAKE_CURRENT_LIST_DIR}/graph_print.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pass_manager.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pass_registry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/pass_util.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/constant_folding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/dead_code_elimination.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/common_subexpression_elimination.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/redundant_node_elimination.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/algebraic_simplification.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/conv_bn_folding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/matmul_add_to_gemm.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/pattern_recognition.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/matmul_epilogue_fusion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/activation_fusion.cpp
    # The back half: fusion, layout, memory planning (quantization is engine/compress/).
    ${CMAKE_CURRENT_LIST_DIR}/passes/memory_plan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/fusion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/fusion_horizontal.cpp
    ${CMAKE_CURRENT_LIST_DIR}/passes/layout.cpp
)
