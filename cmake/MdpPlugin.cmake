# mdp_add_plugin(<target> ID <plugin-id> SOURCES <files...> [ABI_MINOR <n>] [OUTPUT_DIR <dir>] [NO_INSTALL]
#                [DEFAULT_EXPORTS])
# A bundled provider plugin: built exactly as an out-of-tree one (mdp_add_provider_plugin,
# the helper installed with the plugin API), plus the project's warnings, the shared plugin
# directory and installation into the bundled plugin directory. DEFAULT_EXPORTS (test plugins
# only) leaves out the export map, for a plugin that must export what real-world plugins
# built without the helper do.
include(${PROJECT_SOURCE_DIR}/plugin-api/cmake/MdpProviderPlugin.cmake)

function(mdp_add_plugin target)
  cmake_parse_arguments(ARG "NO_INSTALL;DEFAULT_EXPORTS" "ID;ABI_MINOR;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${MDP_PLUGIN_OUTPUT_DIR})
  endif()
  set(abi_minor_argument "")
  if(DEFINED ARG_ABI_MINOR)
    set(abi_minor_argument ABI_MINOR ${ARG_ABI_MINOR})
  endif()
  mdp_add_provider_plugin(${target} ID ${ARG_ID} SOURCES ${ARG_SOURCES} OUTPUT_DIR ${ARG_OUTPUT_DIR}
    ${abi_minor_argument})
  target_link_libraries(${target} PRIVATE mdp_warnings)
  if(ARG_DEFAULT_EXPORTS)
    set_property(TARGET ${target} PROPERTY LINK_OPTIONS -Wl,--no-undefined)
  endif()
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${MDP_INSTALL_PLUGIN_DIR})
  endif()
endfunction()
