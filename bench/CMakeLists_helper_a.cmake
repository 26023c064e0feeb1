# GL frame benchmarks (run under xvfb-run or a desktop): 20,000 primitives at 1920×1080 and
# 1280×720 without MSAA like the viewport (AISYS_BENCH_SAMPLES=4 measures with 4× MSAA), and
# the tile-binned shading experiment (bench_tiled_shading).
find_package(benchmark REQUIRED)
add_executable(bench_gl_frame ${CMAKE_SOURCE_DIR}/bench/bench_gl_frame.cpp)
target_link_libraries(bench_gl_frame PRIVATE aisys_viz aisys_lessons aisys_engine
                      benchmark::benchmark Qt6::Gui)
add_executable(bench_tiled_shading ${CMAKE_SOURCE_DIR}/bench/bench_tiled_shading.cpp)
target_link_libraries(bench_tiled_shading PRIVATE aisys_viz benchmark::benchmark Qt6::Gui)
