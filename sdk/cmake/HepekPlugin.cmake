# hepek_add_plugin(<name> SOURCES src... [LIBS lib...])
# Builds hepek-<name>.so, a HEPEK plugin loadable by the hub (config: type = "<name>").
# Symbols are hidden except the one entry point exported by HEPEK_PLUGIN. In the HEPEK tree the output lands in
# the build's plugin directory; out of tree it lands in the caller's build directory (set HEPEK_PLUGIN_OUTPUT_DIR).
function(hepek_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  set(target hepek-${name})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE hepek::sdk ${P_LIBS})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME hepek-${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(HEPEK_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${HEPEK_PLUGIN_OUTPUT_DIR})
  endif()
  if(COMMAND hepek_register_plugin)
    hepek_register_plugin(${target})
  endif()
endfunction()
