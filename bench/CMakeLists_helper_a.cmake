# GL frame benchmark: 20,000 primitives at 1920×1080 into an offscreen 4× MSAA framebuffer.
# Run under xvfb-run (or a desktop); AISYS_BENCH_SAMPLES=4 measures with 4× MSAA (the app uses none).
find_package(benchmark REQUIRED)
add_executable(bench_gl_frame ${CMAKE_SOURCE_DIR}/bench/bench_gl_frame.cpp)
target_link_libraries(bench_gl_frame PRIVATE aisys_viz aisys_lessons aisys_bench_models
                      benchmark::benchmark Qt6::Gui)
