# Proves that hepek_check_plugin_boundaries() (HepekPlugin.cmake) refuses a plugin that links or includes
# another plugin's folder, and accepts one that links only its own folder and lib/.
# Run as: cmake -DHEPEK_SDK_CMAKE_DIR=<sdk/cmake> -DWORK_DIR=<scratch dir> [-DGENERATOR=<gen>] -P <this file>
# It writes a throwaway project (plugins/alpha, plugins/beta, lib/shared) into WORK_DIR and configures it once
# per case, rewriting only plugins/beta/CMakeLists.txt (one build directory, so the compiler is detected once).
# Fails (FATAL_ERROR) naming the case whose configure result or message is not the expected one.
cmake_minimum_required(VERSION 3.25)
foreach(required HEPEK_SDK_CMAKE_DIR WORK_DIR)
  if(NOT ${required})
    message(FATAL_ERROR "plugin_boundaries_test: -D${required}=... is required")
  endif()
endforeach()

set(project ${WORK_DIR}/project)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})

file(WRITE ${project}/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(boundary_fixture LANGUAGES CXX)
add_library(hepek_sdk INTERFACE)
add_library(hepek::sdk ALIAS hepek_sdk)
include(${HEPEK_SDK_CMAKE_DIR}/HepekPlugin.cmake)
add_subdirectory(lib/shared)
add_subdirectory(plugins/alpha)
add_subdirectory(plugins/beta)
if(NOT FIXTURE_OUT_OF_TREE)
  hepek_check_plugin_boundaries(ROOT ${CMAKE_SOURCE_DIR}/plugins ALLOW ${FIXTURE_ALLOW})
endif()
]])
file(WRITE ${project}/lib/shared/CMakeLists.txt [[
add_library(hepek_shared STATIC shared.cpp)
add_library(hepek::shared ALIAS hepek_shared)
target_include_directories(hepek_shared PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
]])
file(WRITE ${project}/lib/shared/shared.cpp "int shared_value() { return 1; }\n")
file(WRITE ${project}/plugins/alpha/CMakeLists.txt [[
add_library(alpha_core STATIC src/core.cpp)
target_include_directories(alpha_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(alpha_core PUBLIC hepek::shared)
hepek_add_plugin(alpha SOURCES src/plugin.cpp LIBS alpha_core)
]])
file(WRITE ${project}/plugins/alpha/src/core.cpp "int alpha_value() { return 2; }\n")
file(WRITE ${project}/plugins/alpha/src/plugin.cpp "int alpha_plugin() { return 3; }\n")
file(WRITE ${project}/plugins/beta/src/plugin.cpp "int beta_plugin() { return 4; }\n")
file(WRITE ${project}/plugins/beta/src/core.cpp "int beta_value() { return 5; }\n")

set(generator_args "")
if(GENERATOR)
  set(generator_args -G ${GENERATOR})
endif()

# run_case(<name> <beta CMakeLists text> <expect: ok|error> [<text the output must contain>...])
function(run_case name beta_text expect)
  file(WRITE ${project}/plugins/beta/CMakeLists.txt "${beta_text}")
  set(defines -DHEPEK_SDK_CMAKE_DIR=${HEPEK_SDK_CMAKE_DIR} -DFIXTURE_OUT_OF_TREE=OFF -DFIXTURE_ALLOW=)
  if(name MATCHES "out-of-tree")
    set(defines -DHEPEK_SDK_CMAKE_DIR=${HEPEK_SDK_CMAKE_DIR} -DFIXTURE_OUT_OF_TREE=ON -DFIXTURE_ALLOW=)
  elseif(name MATCHES "allowed")
    set(defines -DHEPEK_SDK_CMAKE_DIR=${HEPEK_SDK_CMAKE_DIR} -DFIXTURE_OUT_OF_TREE=OFF
                "-DFIXTURE_ALLOW=hepek-beta=alpha_core")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} ${generator_args} -S ${project} -B ${build} ${defines}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(expect STREQUAL "ok" AND NOT result EQUAL 0)
    message(FATAL_ERROR "case '${name}': expected the configure to succeed, it failed:\n${output}")
  endif()
  if(expect STREQUAL "error" AND result EQUAL 0)
    message(FATAL_ERROR "case '${name}': expected the configure to be refused, it succeeded:\n${output}")
  endif()
  string(REGEX REPLACE "[ \n]+" " " flat "${output}")  # CMake wraps long messages
  foreach(needle IN LISTS ARGN)
    string(FIND "${flat}" "${needle}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "case '${name}': the output lacks \"${needle}\":\n${output}")
    endif()
  endforeach()
  message(STATUS "case '${name}': ${expect} as expected")
endfunction()

run_case("own folder and lib/ only" [[
add_library(beta_core STATIC src/core.cpp)
target_include_directories(beta_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(beta_core PRIVATE hepek::shared)
hepek_add_plugin(beta SOURCES src/plugin.cpp LIBS beta_core hepek::shared)
]] ok)

run_case("direct link" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp LIBS alpha_core)
]] error "hepek-beta links alpha_core" "defined in plugins folder 'alpha'"
         "A plugin links only the SDK, lib/ and third-party libraries")

run_case("link through its own helper library" [[
add_library(beta_core STATIC src/core.cpp)
target_link_libraries(beta_core PRIVATE alpha_core)
hepek_add_plugin(beta SOURCES src/plugin.cpp LIBS beta_core)
]] error "hepek-beta links alpha_core (hepek-beta -> beta_core -> alpha_core)")

run_case("include directory" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp)
target_include_directories(hepek-beta PRIVATE ${CMAKE_SOURCE_DIR}/plugins/alpha/src)
]] error "hepek-beta (hepek-beta) uses" "plugins/alpha/src (INCLUDE_DIRECTORIES), inside plugins folder 'alpha'")

run_case("source file" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp ../alpha/src/core.cpp)
]] error "plugins/alpha/src/core.cpp (SOURCES), inside plugins folder 'alpha'")

run_case("allowed link" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp LIBS alpha_core)
]] ok)

run_case("stale allowed entry" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp)
]] ok "ALLOW hepek-beta=alpha_core matches no link any more")

run_case("out-of-tree use of the SDK, never checked" [[
hepek_add_plugin(beta SOURCES src/plugin.cpp LIBS alpha_core)
]] ok)

file(REMOVE_RECURSE ${WORK_DIR})
