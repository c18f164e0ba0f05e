#include "http/json_reply.hpp"

#include "http/status_json.hpp"

namespace mdp::http {

HttpReply json_reply(unsigned status, const nlohmann::json& document) {
    HttpReply reply;
    reply.status = status;
    reply.content_type = "application/json";
    reply.body = dump_json(document);
    reply.body.push_back('\n');
    return reply;
}

}  // namespace mdp::http
