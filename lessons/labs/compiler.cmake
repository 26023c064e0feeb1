# The graph-optimizer Lab (lessons/labs/compiler_*): included by lessons/CMakeLists.txt.
target_sources(aisys_lessons PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/compiler_lab.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compiler_lab_models.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compiler_drawing.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compiler_drawing_panels.cpp
)
