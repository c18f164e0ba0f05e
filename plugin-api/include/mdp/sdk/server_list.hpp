// mdp plugin SDK — a list of server URLs, as a config key or an environment variable gives
// it: "nats://a:4222,nats://b:4222". Shared by every component that connects to a cluster
// (the host's `nats` sink, the `nats` provider plugin) so they accept and print lists alike.
#ifndef MDP_SDK_SERVER_LIST_HPP
#define MDP_SDK_SERVER_LIST_HPP

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace mdp::sdk {

// "scheme://host:port" or "host:port": non-empty, no spaces, no list separators, no
// control characters. The client library checks the rest when it connects.
[[nodiscard]] inline bool looks_like_server_url(const std::string& url) {
    return !url.empty() && std::none_of(url.begin(), url.end(), [](unsigned char c) {
        return std::isspace(c) != 0 || c == ',' || std::iscntrl(c) != 0;
    });
}

// "a, b,c" -> {"a", "b", "c"}: split at commas, spaces around each item trimmed (an empty
// item stays, so a validator can reject it).
[[nodiscard]] inline std::vector<std::string> split_server_list(const std::string& text) {
    std::vector<std::string> servers;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        servers.push_back(std::move(item));
        start = comma + 1;
    }
    return servers;
}

// The URLs joined by commas, for messages.
[[nodiscard]] inline std::string join_server_list(const std::vector<std::string>& servers) {
    std::string text;
    for (const auto& server : servers) {
        text += (text.empty() ? "" : ",") + server;
    }
    return text;
}

}  // namespace mdp::sdk

#endif  // MDP_SDK_SERVER_LIST_HPP
