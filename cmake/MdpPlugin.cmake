# mdp_add_plugin(<target> ID <plugin-id> SOURCES <files...>)
# Builds a provider plugin as a loadable module named mdp_<plugin-id>.so into the shared
# plugin directory and installs it into the bundled plugin directory.
function(mdp_add_plugin target)
  cmake_parse_arguments(ARG "NO_INSTALL" "ID;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${MDP_PLUGIN_OUTPUT_DIR})
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE mdp::plugin_api mdp_warnings)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "mdp_${ARG_ID}"
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Plugins must not depend on host symbols: fail the link on anything unresolved.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${MDP_INSTALL_PLUGIN_DIR})
  endif()
endfunction()
