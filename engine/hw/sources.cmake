# engine/hw: hardware models (std + Eigen only).
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/systolic/layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/analysis.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/array_sim.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/array_stepper.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/scratchpad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/memory_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/topology.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic/graph_mapping.cpp
  # TPU generation facts, tori, the TPUv4 pod with optical circuit switches.
  ${CMAKE_CURRENT_LIST_DIR}/tpu/specs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu/torus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu/pod.cpp
  # Devices, layer cost and the roofline; number formats bit by bit.
  ${CMAKE_CURRENT_LIST_DIR}/roofline/device.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roofline/layer_cost.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roofline/roofline.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roofline/model_roofline.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bits/bit_formats.cpp
  # GPU execution: latency hiding, SIMT, occupancy, coalescing, Tensor Cores; interconnects.
  ${CMAKE_CURRENT_LIST_DIR}/gpu/latency.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu/simt.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu/occupancy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu/coalescing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu/tensor_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interconnect/links.cpp
)
