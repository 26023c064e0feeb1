# engine/hw/tpu: TPU generation facts, tori, the TPUv4 pod with optical circuit switches.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/specs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/torus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pod.cpp
)
