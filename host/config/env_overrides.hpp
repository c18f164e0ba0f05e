#pragma once
// MDP_* environment variables override config keys before validation, so an override is
// checked exactly like the file value and an error names the variable.
//
//  - Named variables (the contract with existing deployments), e.g. MDP_METRICS_ENABLE ->
//    http.metrics_enabled, MDP_HIGH_WATERMARK_PCT -> backpressure.high_watermark_pct.
//  - The general rule: MDP__SECTION__KEY (double underscores between levels, names lower-
//    cased) sets section.key, e.g. MDP__STORE__QUEUE_CAPACITY=20000.
//  - Accepted but without effect here (logged): MDP_MODE, MDP_FB_PROVIDER_NAME.
// Values are read as JSON when they parse as a JSON scalar (true, 8000, 0.5), case-
// insensitive true/false/yes/no/on/off as booleans, and as strings otherwise.

#include "config/json_node.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace mdp::config {

struct NamedVariable {
    const char* variable;
    const char* json_path;  // dotted
};

// The named variables and where they go.
const std::vector<NamedVariable>& named_environment_variables();

// Applies every MDP_* entry of `environment` to `document`, records the JSON path of each
// override in `origin.env_overrides`, and returns notices (logged as warnings) for accepted-
// but-ignored variables and for MDP_ variables that are no setting at all.
std::vector<std::string> apply_env_overrides(nlohmann::json& document,
                                             const std::map<std::string, std::string>& environment,
                                             ConfigOrigin& origin);

// The process environment as a map (only MDP_* entries).
std::map<std::string, std::string> mdp_environment();

}  // namespace mdp::config
