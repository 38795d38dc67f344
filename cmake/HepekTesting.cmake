# hepek_add_test(NAME SOURCES src... LABELS unit|integration|slow [LIBS lib...] [TIMEOUT s])
# One GoogleTest executable registered with CTest under the given labels. Tests run from the source
# tree root so they can find ../shared/data and config/ by relative path; HEPEK_BINARY_DIR points at the build.
function(hepek_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  if(NOT T_LABELS)
    message(FATAL_ERROR "hepek_add_test(${name}): LABELS unit|integration|slow is required")
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main GTest::gmock ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "HEPEK_BINARY_DIR=${CMAKE_BINARY_DIR};HEPEK_SOURCE_DIR=${CMAKE_SOURCE_DIR};HEPEK_SHARED_DIR=${CMAKE_SOURCE_DIR}/../shared")
endfunction()

# hepek_add_bench(NAME SOURCES src... [LIBS lib...]): a Google Benchmark executable run by `make bench`.
function(hepek_add_bench name)
  if(NOT HEPEK_BENCH)
    return()
  endif()
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE benchmark::benchmark ${B_LIBS})
  set_property(GLOBAL APPEND PROPERTY HEPEK_BENCHMARKS ${name})
endfunction()
