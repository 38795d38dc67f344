# libFuzzer targets (configure preset `fuzz`: clang-14, HEPEK_FUZZ=ON).
#
# hepek_add_fuzzer(NAME SOURCES src... [LIBS lib...] [INCLUDES dir...] CORPUS dir [DICT file] [RUNS n]
#                  [MAX_LEN bytes])
# builds the executable fuzz_<NAME> and registers the CTest `<NAME>_fuzz` (label `fuzz`, never unit or
# integration: the ASan preset must not pick it) that runs it with a fixed seed for RUNS inputs (default 20000)
# through scripts/run-fuzzer: new inputs go to a scratch corpus in the build tree, emptied first, so a run is
# reproducible; the seed corpus CORPUS (in the repository) is only read. A crash, leak, sanitizer report or
# broken invariant (the target traps) fails the test and leaves the input as <scratch>-crash-*.
# Every fuzzer is also listed in <build>/fuzzers.tsv (name, executable, corpus, dict or "-", max_len), which
# `make fuzz-long` (scripts/fuzz-long) reads. The target `fuzz_all` builds them all.
#
# Instrumentation: with HEPEK_FUZZ every target of the tree is compiled with -fsanitize=fuzzer-no-link,
# address,undefined (top-level CMakeLists.txt), so the libraries under test carry coverage and sanitizer
# instrumentation and a fuzzer links them as they are; only the fuzzer executables link libFuzzer itself.
# Without HEPEK_FUZZ this function does nothing.
function(hepek_add_fuzzer name)
  if(NOT HEPEK_FUZZ)
    return()
  endif()
  cmake_parse_arguments(F "" "CORPUS;DICT;RUNS;MAX_LEN" "SOURCES;LIBS;INCLUDES" ${ARGN})
  if(NOT F_SOURCES OR NOT F_CORPUS)
    message(FATAL_ERROR "hepek_add_fuzzer(${name}): SOURCES and CORPUS are required")
  endif()
  if(NOT F_RUNS)
    set(F_RUNS 20000)
  endif()
  if(NOT F_MAX_LEN)
    set(F_MAX_LEN 4096)
  endif()
  cmake_path(ABSOLUTE_PATH F_CORPUS BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
  if(NOT IS_DIRECTORY ${F_CORPUS})
    message(FATAL_ERROR "hepek_add_fuzzer(${name}): the seed corpus ${F_CORPUS} is not a directory")
  endif()
  set(dict "-")  # none (a placeholder, not "": fuzz-long splits the manifest on tabs)
  if(F_DICT)
    cmake_path(ABSOLUTE_PATH F_DICT BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
    set(dict ${F_DICT})
  endif()
  set(target fuzz_${name})
  add_executable(${target} ${F_SOURCES})
  target_link_libraries(${target} PRIVATE ${F_LIBS})
  target_include_directories(${target} PRIVATE ${F_INCLUDES})
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  set(scratch ${CMAKE_BINARY_DIR}/fuzz-scratch/${name})
  add_test(NAME ${name}_fuzz
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/run-fuzzer --runs ${F_RUNS} $<TARGET_FILE:${target}> ${scratch}
            ${F_CORPUS} ${dict} ${F_MAX_LEN})
  set_tests_properties(${name}_fuzz PROPERTIES LABELS fuzz TIMEOUT 300)
  set_property(GLOBAL APPEND PROPERTY HEPEK_FUZZERS ${target})
  set_property(GLOBAL APPEND_STRING PROPERTY HEPEK_FUZZER_MANIFEST
    "${name}\t$<TARGET_FILE:${target}>\t${F_CORPUS}\t${dict}\t${F_MAX_LEN}\n")
endfunction()

# Called once at the end of the top-level CMakeLists.txt: the fuzz_all target and fuzzers.tsv.
function(hepek_finish_fuzzers)
  if(NOT HEPEK_FUZZ)
    return()
  endif()
  get_property(fuzzers GLOBAL PROPERTY HEPEK_FUZZERS)
  get_property(manifest GLOBAL PROPERTY HEPEK_FUZZER_MANIFEST)
  add_custom_target(fuzz_all DEPENDS ${fuzzers})
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/fuzzers.tsv CONTENT "${manifest}")
endfunction()
