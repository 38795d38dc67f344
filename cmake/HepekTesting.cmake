# hepek_add_test(NAME SOURCES src... LABELS unit|integration|slow [LIBS lib...] [TIMEOUT s])
# One GoogleTest executable registered with CTest under the given labels. Tests run from the source tree root;
# HEPEK_SOURCE_DIR and HEPEK_BINARY_DIR in their environment locate the tree (config/, testdata/, node_modules/)
# and the build. Tests find them through tests/support (hepek::testing::testdata() etc.), never by a path that
# leaves the repository. HEPEK_TEST_ALLOW_MISSING=1 (local work only) turns a missing hub or anvil into a skip.
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
    ENVIRONMENT "HEPEK_BINARY_DIR=${CMAKE_BINARY_DIR};HEPEK_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
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
