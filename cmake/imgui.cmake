# Debian's libimgui-dev ships a static libimgui.a (core + backends) and imgui.pc.
find_package(PkgConfig REQUIRED)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
add_library(aisys_imgui INTERFACE)
target_link_libraries(aisys_imgui INTERFACE PkgConfig::IMGUI)
target_compile_definitions(aisys_imgui INTERFACE IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
