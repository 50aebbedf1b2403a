# Checks that the C++ wrapper (include/jszb/*.hpp: jszb.hpp and the headers
# beside it) covers the whole C ABI: every function of exported_symbols.txt is
# named in one of them, or listed below as deliberately not wrapped, with the
# reason. Fails naming each one missing.
# Usage: cmake -DHEADERS=<include/jszb> -DEXPECTED=<exported_symbols.txt> -P check_wrapper_coverage.cmake

# Not wrapped, on purpose:
#  - jszb_<struct>_init: C++ sees the JSZB_<STRUCT>_INIT macros, which the
#    wrapper uses; the functions exist for FFIs that see no macros.
set(not_wrapped_pattern "_init$")
#  - jszb_error_clear: the wrapper throws jszb::Error carrying the error; it
#    never leaves one for the caller to clear.
set(not_wrapped jszb_error_clear)

file(GLOB wrappers ${HEADERS}/*.hpp)
set(header "")
foreach(file IN LISTS wrappers)
  file(READ ${file} text)
  string(APPEND header "${text}")
endforeach()
file(STRINGS ${EXPECTED} exported)
foreach(fn IN LISTS not_wrapped)
  list(FIND exported ${fn} found)
  if(found EQUAL -1)
    message(FATAL_ERROR "${fn} is listed as not wrapped but is not exported: remove it from the list")
  endif()
endforeach()
set(missing)
foreach(fn IN LISTS exported)
  if(fn MATCHES "${not_wrapped_pattern}")
    continue()
  endif()
  list(FIND not_wrapped ${fn} deliberate)
  if(NOT deliberate EQUAL -1)
    continue()
  endif()
  # Named as a whole word: called, or passed by address (&jszb_policy_free).
  if(NOT header MATCHES "[^a-z0-9_]${fn}[^a-z0-9_]")
    list(APPEND missing ${fn})
  endif()
endforeach()
list(LENGTH missing n)
if(n GREATER 0)
  string(REPLACE ";" "\n  " names "${missing}")
  message(FATAL_ERROR "the C++ wrapper (jszb.hpp and beside it) does not wrap ${n} exported C function(s):\n  ${names}\n"
                      "Wrap them in include/jszb/jszb.hpp, or list them in ${CMAKE_CURRENT_LIST_FILE} "
                      "with the reason.")
endif()
message(STATUS "the C++ wrapper wraps every exported C function")
