# Graph layout (viz/sugiyama*): included by tests/CMakeLists.txt.
aisys_test(test_sugiyama unit SOURCES viz/test_sugiyama.cpp LIBS aisys_viz aisys_lessons)
