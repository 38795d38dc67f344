# hepek_add_plugin(<name> SOURCES src... [LIBS lib...])
# Builds hepek-<name>.so, a HEPEK plugin loadable by the hub (config: type = "<name>").
# Symbols are hidden except the one entry point exported by HEPEK_PLUGIN. In the HEPEK tree the output lands in
# the build's plugin directory; out of tree it lands in the caller's build directory (set HEPEK_PLUGIN_OUTPUT_DIR).
# In the HEPEK tree a plugin links only the SDK, lib/ and third-party libraries: see
# hepek_check_plugin_boundaries() below, which refuses anything else at configure time.
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
  set_property(GLOBAL APPEND PROPERTY HEPEK_ADDED_PLUGIN_TARGETS ${target})
  if(COMMAND hepek_register_plugin)
    hepek_register_plugin(${target})
  endif()
endfunction()

# hepek_check_plugin_boundaries(ROOT <plugins folder> [ALLOW <plugin target>=<target>...])
# The rule "a plugin links only the SDK, lib/ and third-party libraries", checked once every plugin is defined
# (the HEPEK tree calls it at the end of its top-level CMakeLists; out-of-tree SDK users never call it, so for
# them it is a no-op). For every target made by hepek_add_plugin() it walks LINK_LIBRARIES and
# INTERFACE_LINK_LIBRARIES transitively through the targets the build defines, and fails the configure step
# (FATAL_ERROR listing every offence with the chain that leads to it) when the plugin
#   - links a target whose SOURCE_DIR lies in another folder under ROOT (ROOT/<other>/...), or
#   - has, or inherits, an include directory or a source file under ROOT/<other>/.
# A plugin's own folder is its own (its helper libraries and sources live there). A plugin defined outside ROOT
# (e.g. an example or a test fixture) owns no folder under ROOT. ALLOW names a known link that is being removed;
# an ALLOW entry whose plugin is built but no longer has that link is reported with a warning so it gets deleted.
function(hepek_check_plugin_boundaries)
  cmake_parse_arguments(C "" "ROOT" "ALLOW" ${ARGN})
  if(NOT C_ROOT)
    message(FATAL_ERROR "hepek_check_plugin_boundaries: ROOT <plugins folder> is required")
  endif()
  cmake_path(ABSOLUTE_PATH C_ROOT NORMALIZE OUTPUT_VARIABLE root)
  get_property(plugins GLOBAL PROPERTY HEPEK_ADDED_PLUGIN_TARGETS)
  set(offences "")
  set(allowed_used "")
  foreach(plugin IN LISTS plugins)
    get_target_property(plugin_dir ${plugin} SOURCE_DIR)
    _hepek_plugin_folder("${plugin_dir}" "${root}" owner)
    # Worklist walk; chain_<target> records how the plugin reaches each target, for the message.
    set(queue ${plugin})
    set(seen ${plugin})
    set(chain_${plugin} ${plugin})
    while(queue)
      list(POP_FRONT queue current)
      get_target_property(current_dir ${current} SOURCE_DIR)
      _hepek_plugin_folder("${current_dir}" "${root}" current_folder)
      get_target_property(imported ${current} IMPORTED)
      get_target_property(type ${current} TYPE)
      # Include directories and sources under another plugin's folder (the target's own folder is fine for a
      # target already reported as a link into that folder).
      set(paths "")
      set(props INTERFACE_INCLUDE_DIRECTORIES)
      if(NOT imported)
        list(APPEND props INCLUDE_DIRECTORIES SOURCES INTERFACE_SOURCES)
      endif()
      foreach(prop IN LISTS props)
        get_target_property(values ${current} ${prop})
        if(values)
          _hepek_strip_genex("${values}" values)
          foreach(value IN LISTS values)
            if(value AND NOT IS_ABSOLUTE "${value}")
              set(value "${current_dir}/${value}")
            endif()
            if(value)
              cmake_path(NORMAL_PATH value)
            endif()
            _hepek_plugin_folder("${value}" "${root}" folder)
            if(folder AND NOT folder STREQUAL owner AND NOT folder STREQUAL current_folder)
              string(REPLACE ";" " -> " via "${chain_${current}}")
              list(APPEND offences "${plugin} (${via}) uses ${value} (${prop}), inside plugins folder '${folder}'")
            endif()
          endforeach()
        endif()
      endforeach()
      # What the target links, public and private (a static helper's private links end up in the plugin too).
      set(links "")
      foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
        if(imported AND prop STREQUAL "LINK_LIBRARIES")
          continue()
        endif()
        get_target_property(values ${current} ${prop})
        if(values)
          _hepek_strip_genex("${values}" values)
          list(APPEND links ${values})
        endif()
      endforeach()
      foreach(link IN LISTS links)
        if(NOT TARGET "${link}")
          continue()  # a flag, a file or a directory-scoped imported (third-party) target
        endif()
        get_target_property(aliased ${link} ALIASED_TARGET)
        if(aliased)
          set(link ${aliased})
        endif()
        if(link IN_LIST seen)
          continue()
        endif()
        list(APPEND seen ${link})
        set(chain_${link} ${chain_${current}} ${link})
        get_target_property(link_dir ${link} SOURCE_DIR)
        _hepek_plugin_folder("${link_dir}" "${root}" folder)
        if(folder AND NOT folder STREQUAL owner)
          if("${plugin}=${link}" IN_LIST C_ALLOW)
            list(APPEND allowed_used "${plugin}=${link}")
          else()
            string(REPLACE ";" " -> " via "${chain_${link}}")
            list(APPEND offences "${plugin} links ${link} (${via}), defined in plugins folder '${folder}'")
          endif()
          continue()  # do not walk into the other plugin: one offence per link is enough
        endif()
        list(APPEND queue ${link})
      endforeach()
    endwhile()
  endforeach()
  foreach(allowed IN LISTS C_ALLOW)
    string(REGEX REPLACE "=.*" "" allowed_plugin "${allowed}")
    if(allowed_plugin IN_LIST plugins AND NOT allowed IN_LIST allowed_used)
      message(WARNING "hepek_check_plugin_boundaries: ALLOW ${allowed} matches no link any more; delete it")
    endif()
  endforeach()
  if(offences)
    list(JOIN offences "\n  " text)
    message(FATAL_ERROR
      "A plugin links only the SDK, lib/ and third-party libraries, never another plugin's folder "
      "(${root}/<other>/). Move the shared code into a library under lib/ and link that.\n  ${text}")
  endif()
endfunction()

# Sets <out> to the first folder name below <root> that <path> lies in, or "" when it is not under <root>.
function(_hepek_plugin_folder path root out)
  set(folder "")
  if(path AND IS_ABSOLUTE "${path}")
    cmake_path(NORMAL_PATH path)
    cmake_path(IS_PREFIX root "${path}" NORMALIZE inside)
    if(inside)
      cmake_path(RELATIVE_PATH path BASE_DIRECTORY "${root}" OUTPUT_VARIABLE relative)
      string(REGEX MATCH "^[^/]+" folder "${relative}")
      if(folder STREQUAL "." OR folder STREQUAL "..")
        set(folder "")
      endif()
    endif()
  endif()
  set(${out} "${folder}" PARENT_SCOPE)
endfunction()

# Reduces a property value to its plain items: drops the generator-expression wrappers ($<LINK_ONLY:x>,
# $<BUILD_INTERFACE:x>, $<$<CONFIG:Debug>:x> ...) keeping their content, and the "::@(directory)" markers
# CMake inserts into LINK_LIBRARIES.
function(_hepek_strip_genex values out)
  string(REGEX REPLACE "\\$<[^:>]*:" "" values "${values}")
  string(REPLACE ">" "" values "${values}")
  set(items "")
  foreach(item IN LISTS values)
    if(item MATCHES "^::@")
      continue()
    endif()
    list(APPEND items "${item}")
  endforeach()
  set(${out} "${items}" PARENT_SCOPE)
endfunction()
