# Fails when a C++ source tracked by git differs from what clang-format makes
# of it. Usage: cmake -DCLANG_FORMAT=... -DROOT=... -P check_format.cmake
cmake_policy(SET CMP0007 NEW)  # lists keep empty elements (removed below)
execute_process(
  COMMAND git ls-files -- "lib/*.h" "lib/*.cc" "lib/*.hpp" "capi/*.h" "capi/*.cc"
          "include/jszb/*.h" "include/jszb/*.hpp" "tests/c/*.c" "tests/c/*.h"
          "tests/cpp/*.h" "tests/cpp/*.cc" "tests/fuzz/*.h" "tests/fuzz/*.cc" "bench/*.h" "bench/*.cc"
          "examples/*.h" "examples/*.cc"
  WORKING_DIRECTORY "${ROOT}"
  OUTPUT_VARIABLE files
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "git ls-files failed in ${ROOT}")
endif()
string(REPLACE "\n" ";" files "${files}")
list(FILTER files EXCLUDE REGEX "^$")
list(LENGTH files count)
execute_process(
  COMMAND "${CLANG_FORMAT}" --dry-run -Werror ${files}
  WORKING_DIRECTORY "${ROOT}"
  RESULT_VARIABLE rc
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${out}\nNot formatted as .clang-format says: run "
                      "clang-format -i on the files above")
endif()
message(STATUS "${count} files formatted as .clang-format says")
