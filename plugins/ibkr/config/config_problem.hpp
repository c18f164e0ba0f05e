#pragma once
// A rejected plugin config. The message has the form `<key path>: <what was expected>`
// (e.g. `contracts[3].sec_type: expected one of "STK", "CASH", ..., found "STOCK"`); the host
// prefixes it with the config file and the provider's JSON path.

#include <stdexcept>

namespace mdp::ibkr {

class ConfigProblem : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

}  // namespace mdp::ibkr
