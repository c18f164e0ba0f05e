# Embeds status_page.html into mdp_host_core as status_page_html() (status_page.hpp), so the
# page stays an ordinary, editable HTML file and the binary needs no files at run time.
# Included from host/CMakeLists.txt after mdp_host_core is defined.
set(mdp_status_page_html ${CMAKE_CURRENT_LIST_DIR}/status_page.html)
set(mdp_status_page_cpp ${CMAKE_CURRENT_BINARY_DIR}/generated/status_page_html.cpp)
add_custom_command(
  OUTPUT ${mdp_status_page_cpp}
  COMMAND ${CMAKE_COMMAND} -DINPUT=${mdp_status_page_html} -DOUTPUT=${mdp_status_page_cpp}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_status_page.cmake
  DEPENDS ${mdp_status_page_html} ${CMAKE_CURRENT_LIST_DIR}/embed_status_page.cmake
  COMMENT "Embedding the status page"
  VERBATIM)
target_sources(mdp_host_core PRIVATE ${mdp_status_page_cpp})
