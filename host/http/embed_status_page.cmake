# cmake -DINPUT=<status_page.html> -DOUTPUT=<file.cpp> -P embed_status_page.cmake
# Writes a C++ file defining mdp::http::status_page_html() that returns INPUT's bytes.
file(READ ${INPUT} content)
set(delimiter "mdp_status_page")
string(FIND "${content}" ")${delimiter}\"" collision)
if(NOT collision EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
file(WRITE ${OUTPUT}.tmp
"// Generated from status_page.html by embed_status_page.cmake; edit the HTML file instead.
#include \"http/status_page.hpp\"

namespace mdp::http {

std::string_view status_page_html() noexcept {
    static constexpr std::string_view kPage = R\"${delimiter}(${content})${delimiter}\";
    return kPage;
}

}  // namespace mdp::http
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
