# ERGON contracts: compiles plugins/ergon/contracts/src/*.sol with the pinned solc-js into
# ${CMAKE_BINARY_DIR}/contracts/<Contract>.json ({abi, bytecode, deployedBytecode, methodIdentifiers}).
# include() this file from a CMakeLists.txt; it defines
#   target   ergon_contracts                 (part of ALL when node and node_modules/solc are present)
#   variable ERGON_CONTRACTS_DIR             the artifact directory
#   variable ERGON_CONTRACT_ARTIFACTS        the artifact files (for DEPENDS)
#   variable ERGON_CONTRACTS_TEST_SCRIPT     test/run.sh, to register as an integration test:
#     add_test(NAME ergon_contracts_anvil COMMAND ${ERGON_CONTRACTS_TEST_SCRIPT} ${ERGON_CONTRACTS_DIR}
#              WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
#     set_tests_properties(ergon_contracts_anvil PROPERTIES LABELS integration)
# Without node or without `npm ci` having run, configuration still succeeds; building the target then fails with a
# message saying what is missing.

set(ERGON_CONTRACTS_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(ERGON_CONTRACTS_DIR "${CMAKE_BINARY_DIR}/contracts")
set(ERGON_CONTRACTS_TEST_SCRIPT "${ERGON_CONTRACTS_SOURCE_DIR}/test/run.sh")
set(ERGON_CONTRACT_NAMES Registry ErgonToken PaymentChannel)

file(GLOB ERGON_CONTRACT_SOURCES CONFIGURE_DEPENDS "${ERGON_CONTRACTS_SOURCE_DIR}/src/*.sol")
set(ERGON_CONTRACT_ARTIFACTS "")
foreach(contract IN LISTS ERGON_CONTRACT_NAMES)
  list(APPEND ERGON_CONTRACT_ARTIFACTS "${ERGON_CONTRACTS_DIR}/${contract}.json")
endforeach()

find_program(ERGON_NODE_EXECUTABLE NAMES node nodejs)
set(ERGON_SOLC_PACKAGE "${CMAKE_SOURCE_DIR}/node_modules/solc/package.json")

if(ERGON_NODE_EXECUTABLE AND EXISTS "${ERGON_SOLC_PACKAGE}")
  add_custom_command(
    OUTPUT ${ERGON_CONTRACT_ARTIFACTS}
    COMMAND "${ERGON_NODE_EXECUTABLE}" "${ERGON_CONTRACTS_SOURCE_DIR}/compile.js" "${ERGON_CONTRACTS_DIR}"
    DEPENDS ${ERGON_CONTRACT_SOURCES} "${ERGON_CONTRACTS_SOURCE_DIR}/compile.js" "${CMAKE_SOURCE_DIR}/package-lock.json"
            "${ERGON_SOLC_PACKAGE}"
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    COMMENT "Compiling ERGON contracts with solc-js"
    VERBATIM)
  add_custom_target(ergon_contracts ALL DEPENDS ${ERGON_CONTRACT_ARTIFACTS})
else()
  if(NOT ERGON_NODE_EXECUTABLE)
    set(_ergon_missing "node is not installed")
  else()
    set(_ergon_missing "node_modules/solc is missing (run `npm ci` at the repository root, or scripts/install-deps)")
  endif()
  message(WARNING "ERGON contracts will not be compiled: ${_ergon_missing}")
  add_custom_target(ergon_contracts
    COMMAND "${CMAKE_COMMAND}" -E echo "ergon_contracts: ${_ergon_missing}"
    COMMAND "${CMAKE_COMMAND}" -E false
    VERBATIM)
  unset(_ergon_missing)
endif()
