# mdp_add_provider_plugin(<target> ID <plugin-id> SOURCES <files...>
#                         [ABI_MINOR <n>] [OUTPUT_DIR <dir>])
#
# Builds a provider plugin the way mdp-host expects it, for plugins in the mdp tree and out
# of it alike (installed with the plugin API package, docs/writing-a-provider.md):
#   - a MODULE library named mdp_<plugin-id>.so (the host scans plugin directories for it);
#   - linked against mdp::plugin_api (C ABI header + C++ SDK, C++20);
#   - exporting exactly one dynamic symbol, mdp_plugin_entry: hidden visibility for the
#     plugin's own code, and a version script that makes everything else local, which also
#     covers the weak and STB_GNU_UNIQUE symbols the C++ standard library's templates emit;
#   - libraries linked in statically keep their symbols to themselves (--exclude-libs);
#   - the link fails on any symbol left unresolved (--no-undefined): a plugin sees nothing
#     of the host process but the C ABI.
# ABI_MINOR declares the ABI minor the plugin needs when it uses something newer than the
# SDK can tell by itself (MDP_PLUGIN_ABI_MINOR in mdp/plugin.hpp).
set(MDP_PROVIDER_PLUGIN_EXPORT_MAP "${CMAKE_CURRENT_LIST_DIR}/mdp-plugin-exports.map")

function(mdp_add_provider_plugin target)
  cmake_parse_arguments(ARG "" "ID;ABI_MINOR;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_ID OR NOT ARG_SOURCES)
    message(FATAL_ERROR "mdp_add_provider_plugin(${target}): ID and SOURCES are required")
  endif()
  if(NOT ARG_ID MATCHES "^[a-z0-9._-]+$")
    message(FATAL_ERROR "mdp_add_provider_plugin(${target}): ID \"${ARG_ID}\" must be [a-z0-9._-]")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE mdp::plugin_api)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "mdp_${ARG_ID}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${MDP_PROVIDER_PLUGIN_EXPORT_MAP}")
  if(ARG_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
  endif()
  if(DEFINED ARG_ABI_MINOR)
    target_compile_definitions(${target} PRIVATE MDP_PLUGIN_ABI_MINOR=${ARG_ABI_MINOR})
  endif()
  target_link_options(${target} PRIVATE
    -Wl,--no-undefined
    -Wl,--exclude-libs,ALL
    "-Wl,--version-script=${MDP_PROVIDER_PLUGIN_EXPORT_MAP}")
endfunction()
