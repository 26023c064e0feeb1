# Labs of chapter 2.11: systolic arrays and TPUs.
target_sources(aisys_lessons PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/systolic_draw.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_setup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_scenes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/systolic_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu_pod_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu_v1_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu_mxu.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu_mxu_lab.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tpu_pod_scenes.cpp
)
