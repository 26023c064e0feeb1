# CPack settings (included from the top-level CMakeLists so cpack runs in the build folder).
set(CPACK_PACKAGE_NAME aisyslab)
set(CPACK_PACKAGE_VENDOR "AISys Lab")
set(CPACK_PACKAGE_CONTACT "AISys Lab developers <aisyslab@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Interactive lessons for the course AI Systems")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6widgets6, libqt6openglwidgets6, libqt6opengl6, libqt6svg6, libgl1, fonts-noto-cjk")
set(CPACK_GENERATOR DEB)
include(CPack)
