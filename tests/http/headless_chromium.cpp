#include "headless_chromium.hpp"

#include "temp_dir.hpp"

#include <chrono>
#include <vector>

namespace mdp::test {
namespace {

RunResult run_chromium(std::vector<std::string> extra_arguments) {
    TempDir profile("mdp-chromium");
    std::vector<std::string> arguments{"--headless",
                                       "--no-sandbox",
                                       "--disable-gpu",
                                       "--disable-background-networking",
                                       "--disable-component-update",
                                       "--disable-sync",
                                       "--no-first-run",
                                       "--user-data-dir=" + (profile / "profile").string(),
                                       "--virtual-time-budget=5000"};
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    return run_to_completion(kChromiumBinary, arguments, std::chrono::seconds(120));
}

}  // namespace

RunResult chromium_dump_dom(const std::string& url) { return run_chromium({"--dump-dom", url}); }

RunResult chromium_screenshot(const std::string& url, const std::filesystem::path& png) {
    return run_chromium({"--window-size=1400,1100", "--screenshot=" + png.string(), url});
}

std::string provider_row(const std::string& dom, const std::string& name) {
    const std::size_t start = dom.find("<tr data-provider=\"" + name + "\"");
    if (start == std::string::npos) {
        return "";
    }
    return dom.substr(start, dom.find("</tr>", start) - start);
}

}  // namespace mdp::test
