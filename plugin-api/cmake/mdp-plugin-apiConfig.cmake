# Package config for the installed mdp plugin API: provides mdp::plugin_api.
include("${CMAKE_CURRENT_LIST_DIR}/mdp-plugin-api-targets.cmake")
