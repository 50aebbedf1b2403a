# Installation: the library, its public headers (jszb_ffi.h, generated, among them)
# and schema, a CMake package (find_package(jszb) -> jszb::jszb) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS jszb EXPORT jszbTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/jszb DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Generated from jszb.h (capi/CMakeLists.txt): the same declarations, no macros.
install(FILES ${JSZB_FFI_HEADER} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/jszb)
install(EXPORT jszbTargets
  NAMESPACE jszb::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jszb)

configure_package_config_file(cmake/jszbConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/jszbConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jszb)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/jszbConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/jszbConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/jszbConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jszb)

# The documents jszb.h names, for whoever codes from the installed header.
install(FILES README.md docs/process.md docs/store.md docs/architecture.md docs/cli.md
              docs/interchange.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The JSON Schema of the JSON Lines export (docs/interchange.md).
install(FILES docs/schema/jszb-export.schema.json DESTINATION ${CMAKE_INSTALL_DOCDIR}/schema)

file(RELATIVE_PATH JSZB_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(cmake/jszb.pc.in ${CMAKE_CURRENT_BINARY_DIR}/jszb.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/jszb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
