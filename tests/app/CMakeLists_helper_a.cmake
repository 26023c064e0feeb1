# GUI test of the viewport's ImGui bridge (needs a GL display: run under xvfb-run).
add_executable(test_imgui_bridge ${CMAKE_SOURCE_DIR}/tests/app/test_imgui_bridge.cpp)
target_link_libraries(test_imgui_bridge PRIVATE aisys_app GTest::gtest Qt6::Test)
add_test(NAME gui.imgui_bridge COMMAND test_imgui_bridge)
set_tests_properties(gui.imgui_bridge PROPERTIES LABELS "gui")

# Unit tests of step animation and tessellation (no GL needed).
add_executable(test_viz_animation ${CMAKE_SOURCE_DIR}/tests/viz/test_animation.cpp
                                  ${CMAKE_SOURCE_DIR}/tests/viz/test_tessellator.cpp)
target_link_libraries(test_viz_animation PRIVATE aisys_viz GTest::gtest_main)
add_test(NAME unit.viz_animation_tessellator COMMAND test_viz_animation)
set_tests_properties(unit.viz_animation_tessellator PROPERTIES LABELS "unit")
