#include "status/symbol_query.hpp"

namespace mdp::status {

std::string_view to_string(SymbolState state) {
    switch (state) {
        case SymbolState::fresh:
            return "fresh";
        case SymbolState::stale:
            return "stale";
        case SymbolState::closed:
            return "closed";
    }
    return "fresh";
}

std::optional<SymbolState> symbol_state_from(std::string_view text) {
    for (const SymbolState state : {SymbolState::fresh, SymbolState::stale, SymbolState::closed}) {
        if (to_string(state) == text) {
            return state;
        }
    }
    return std::nullopt;
}

}  // namespace mdp::status
