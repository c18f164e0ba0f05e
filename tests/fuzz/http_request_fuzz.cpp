// Fuzz target: HTTP request handling as the server does it. The bytes go through Beast's
// request parser with the server's default limits (as HttpSession configures it), in reads
// of a size the first byte chooses; every complete request is answered by the real router
// (every route, including the provider control API with a token configured). A parse error
// is a 4xx for the client; a crash, a sanitizer report or an escaping exception is a bug.

#include "http/http_session.hpp"
#include "http/request_router.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace {

namespace bhttp = boost::beast::http;

mdp::status::HostSnapshot fuzz_snapshot() {
    mdp::status::HostSnapshot snapshot;
    snapshot.version = "0.1.0";
    snapshot.run_id = "fuzz";
    mdp::status::ProviderSnapshot provider;
    provider.name = "synthetic";
    provider.state = "running";
    snapshot.providers.push_back(provider);
    mdp::status::SinkSnapshot sink;
    sink.name = "main";
    sink.type = "sqlite";
    snapshot.sinks.push_back(sink);
    return snapshot;
}

const mdp::http::RequestRouter& router() {
    static const mdp::http::RequestRouter instance(
        [] { return fuzz_snapshot(); },
        mdp::http::RouterOptions{.metrics_enabled = true,
                                 .readiness = {},
                                 .admin_token = "fuzz-admin-token",
                                 .control =
                                     [](const std::string& provider, mdp::status::ControlAction, const std::string&,
                                        const mdp::status::ControlCompletion& done) {
                                         done({provider == "synthetic" ? 200 : 404, "done"});
                                     },
                                 // An empty page: what is fuzzed is the query parsing of /api/v1/symbols.
                                 .symbols = [](const mdp::status::SymbolQuery&) { return mdp::status::SymbolPage{}; },
                                 .history = [] { return mdp::status::HistorySnapshot{}; },
                                 .control_limits = {}});
    return instance;
}

void answer(const bhttp::request<bhttp::string_body>& request) {
    const mdp::http::HttpReply reply =
        router().handle({request.method_string(), request.target(), request[bhttp::field::authorization], "fuzz"});
    if (reply.status < 200 || reply.status > 599) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const mdp::http::SessionLimits limits;
    const std::size_t read_bytes = 1 + data[0] % 128;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

    std::optional<bhttp::request_parser<bhttp::string_body>> parser;
    const auto fresh_parser = [&] {
        parser.emplace();
        parser->eager(true);  // as beast::http::async_read does
        parser->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        parser->body_limit(limits.max_body_bytes);
    };
    fresh_parser();
    boost::beast::flat_buffer buffer;
    while (!input.empty()) {
        const std::string_view chunk = input.substr(0, read_bytes);
        input.remove_prefix(chunk.size());
        const auto space = buffer.prepare(chunk.size());
        buffer.commit(boost::asio::buffer_copy(space, boost::asio::buffer(chunk.data(), chunk.size())));
        // Parse what is buffered; several pipelined requests may be complete.
        while (buffer.size() > 0) {
            boost::system::error_code error;
            const std::size_t used = parser->put(buffer.data(), error);
            buffer.consume(used);
            if (error == bhttp::error::need_more) {
                break;
            }
            if (error) {
                return 0;  // the server answers 400/413/431 and closes
            }
            if (!parser->is_done()) {
                if (used == 0) {
                    break;
                }
                continue;
            }
            answer(parser->get());
            if (!parser->get().keep_alive()) {
                return 0;
            }
            fresh_parser();
        }
    }
    return 0;
}
