#include "session/error_policy.hpp"

#include "codec/error_codes.hpp"

namespace mdp::ibkr {

using namespace error_code;

SystemErrorAction classify_system_error(int code) {
    switch (code) {
        case kMaxMessageRateExceeded:
            return SystemErrorAction::pacing_violation;
        case kClientIdInUse:
            return SystemErrorAction::client_id_in_use;
        case kConnectivityLost:
        case kSocketPortReset:
        case kTwsServerConnectivityBroken:
            return SystemErrorAction::connectivity_lost;
        case kConnectivityRestoredDataLost:
            return SystemErrorAction::restored_data_lost;
        case kConnectivityRestoredDataMaintained:
            return SystemErrorAction::restored_data_kept;
        case kMarketDataFarmDisconnected:
        case kHistoricalFarmDisconnected:
        case kSecDefFarmDisconnected:
            return SystemErrorAction::farm_disconnected;
        case kMarketDataFarmOk:
        case kHistoricalFarmOk:
        case kSecDefFarmOk:
            return SystemErrorAction::farm_connected;
        case kHistoricalFarmInactive:
        case kMarketDataFarmInactive:
        case kFarmConnecting:
            return SystemErrorAction::informational;
        default:
            break;
    }
    return is_warning(code) ? SystemErrorAction::warning : SystemErrorAction::error;
}

RequestErrorAction classify_request_error(int code) {
    switch (code) {
        case kCannotFindRequestId:
            return RequestErrorAction::ignore;
        case kMarketDataNotSubscribed:
        case kNotSubscribedDelayedDisabled:
        case 10089:  // requires an additional subscription for the API: nothing comes
            return RequestErrorAction::not_subscribed;
        case 10090:  // part of the data is not subscribed: the rest streams
        case 10091:
            return RequestErrorAction::warning;
        case kNotSubscribedDelayedShown:
            return RequestErrorAction::delayed_shown;
        case kMaxMessageRateExceeded:
        case kClientIdInUse:
        case kConnectivityLost:
        case kConnectivityRestoredDataLost:
        case kConnectivityRestoredDataMaintained:
        case kSocketPortReset:
        case kTwsServerConnectivityBroken:
            return RequestErrorAction::session;
        case kCompetingSession:
            return RequestErrorAction::warning;
        default:
            break;
    }
    if (is_warning(code)) {
        return RequestErrorAction::warning;
    }
    return RequestErrorAction::failed;
}

std::string_view describe_error_code(int code) {
    switch (code) {
        case kNoSecurityDefinition:
            return "no security definition (unknown contract)";
        case kMaxTickersReached:
            return "TWS market data line limit reached";
        case kDuplicateTickerId:
            return "duplicate request id";
        case kMarketDataNotSubscribed:
            return "market data not subscribed";
        case kNotSubscribedDelayedDisabled:
            return "not subscribed and delayed data is disabled";
        case kNotSubscribedDelayedShown:
            return "not subscribed; delayed data shown";
        case kClientIdInUse:
            return "client id already in use";
        case kMaxMessageRateExceeded:
            return "max message rate exceeded";
        case kConnectivityLost:
            return "connectivity between TWS and IB lost";
        case kConnectivityRestoredDataLost:
            return "connectivity restored, data lost";
        case kConnectivityRestoredDataMaintained:
            return "connectivity restored, data maintained";
        case kTwsServerConnectivityBroken:
            return "connectivity between TWS and server broken";
        case kSocketPortReset:
            return "socket port reset";
        default:
            return "";
    }
}

}  // namespace mdp::ibkr
