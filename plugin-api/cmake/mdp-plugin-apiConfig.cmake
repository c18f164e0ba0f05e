# Package config for the installed mdp plugin API: the target mdp::plugin_api (the C ABI
# header and the header-only C++ SDK) and mdp_add_provider_plugin() to build a plugin.
# The SDK's config reader (mdp/sdk/config_reader.hpp) needs nlohmann_json; find it yourself
# when you use it (find_package(nlohmann_json 3.10 REQUIRED)).
include("${CMAKE_CURRENT_LIST_DIR}/mdp-plugin-api-targets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/MdpProviderPlugin.cmake")
