# demo_check.cmake: ctest checks of jszb_demo, run with cmake -P.
#
#   cmake -DDEMO=<path to jszb_demo> -DMODE=runs -P demo_check.cmake
#     runs `jszb_demo --quiet` (default seed): it must exit 0 and its weekly
#     summary must show the week total of 17205 requests, run under the Beijing
#     policy, route by its catalogue (street-first, emergencies not dispatched,
#     explained), and show the engine's clocks at work (orders returned unsigned,
#     supervision by the escalation ladder).
#   cmake -DDEMO=<path> -DMODE=deterministic -P demo_check.cmake
#     runs the demo twice with one seed and once with another: the first two
#     outputs must be byte-identical and the third must differ.
cmake_minimum_required(VERSION 3.25)

if(NOT DEMO)
  message(FATAL_ERROR "pass -DDEMO=<path to jszb_demo>")
endif()

# Runs the demo with the given arguments; sets <out_var> to its stdout and fails
# the test unless it exits 0.
function(run_demo out_var)
  execute_process(
    COMMAND "${DEMO}" ${ARGN}
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "jszb_demo ${ARGN} exited with ${rc}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "runs")
  run_demo(out --quiet)
  if(NOT out MATCHES "Total 合计 +17205 ")
    message(FATAL_ERROR "the weekly summary does not show the week total 17205:\n${out}")
  endif()
  foreach(expected
      "policy beijing v1"
      "street-first +dispatch"
      "emergency +not dispatched"
      "Routing explained"
      "returned unsigned +超时未签退回 +[1-9]"
      "supervised by the ladder +升级督办 +[1-9]")
    if(NOT out MATCHES "${expected}")
      message(FATAL_ERROR "the weekly summary does not show \"${expected}\":\n${out}")
    endif()
  endforeach()
  message(STATUS "jszb_demo --quiet: exit 0, week total 17205, routed and timed by the policy")
elseif(MODE STREQUAL "deterministic")
  run_demo(first --quiet --seed 20210919)
  run_demo(second --quiet --seed 20210919)
  run_demo(other --quiet --seed 7)
  string(SHA256 h1 "${first}")
  string(SHA256 h2 "${second}")
  string(SHA256 h3 "${other}")
  if(NOT first STREQUAL second)
    message(FATAL_ERROR "two runs with seed 20210919 differ (${h1} vs ${h2})")
  endif()
  if(first STREQUAL other)
    message(FATAL_ERROR "seeds 20210919 and 7 give the same output (${h1})")
  endif()
  message(STATUS "seed 20210919 twice: identical (${h1}); seed 7: different (${h3})")
else()
  message(FATAL_ERROR "MODE must be runs or deterministic, not '${MODE}'")
endif()
