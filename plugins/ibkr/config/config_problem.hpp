#pragma once
// A rejected plugin config: the SDK's one config error, carrying the key path as data
// (e.g. path `contracts[3].sec_type`, message `expected one of "STK", "CASH", ..., found
// "STOCK"`); the host prefixes the config file and the provider's JSON path.

#include <mdp/sdk/config_problem.hpp>

namespace mdp::ibkr {

using ConfigProblem = sdk::ConfigProblem;

}  // namespace mdp::ibkr
