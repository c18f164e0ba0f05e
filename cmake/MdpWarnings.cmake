# Warning flags for project code only (third-party headers are included as SYSTEM).
add_library(mdp_warnings INTERFACE)
target_compile_options(mdp_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${MDP_WERROR}>:-Werror>)
