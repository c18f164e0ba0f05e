#pragma once
// TWS error codes the provider reacts to, and IB's own classification of them.

namespace mdp::ibkr::error_code {

inline constexpr int kMaxMessageRateExceeded = 100;  // pacing; disconnect after 3 with reject setting
inline constexpr int kMaxTickersReached = 101;  // market data line limit
inline constexpr int kDuplicateTickerId = 102;
inline constexpr int kNoSecurityDefinition = 200;
inline constexpr int kCannotFindRequestId = 300;  // e.g. cancelling a subscription TWS already dropped
inline constexpr int kServerErrorValidating = 321;
inline constexpr int kServerErrorProcessing = 322;
inline constexpr int kClientIdInUse = 326;  // TWS closes the socket
inline constexpr int kMarketDataNotSubscribed = 354;
inline constexpr int kHistoricalDataQueryError = 162;  // also real-time bar request problems
inline constexpr int kConnectivityLost = 1100;
inline constexpr int kConnectivityRestoredDataLost = 1101;
inline constexpr int kConnectivityRestoredDataMaintained = 1102;
inline constexpr int kSocketPortReset = 1300;
inline constexpr int kMarketDataFarmDisconnected = 2103;
inline constexpr int kMarketDataFarmOk = 2104;
inline constexpr int kHistoricalFarmDisconnected = 2105;
inline constexpr int kHistoricalFarmOk = 2106;
inline constexpr int kHistoricalFarmInactive = 2107;
inline constexpr int kMarketDataFarmInactive = 2108;
inline constexpr int kTwsServerConnectivityBroken = 2110;
inline constexpr int kFarmConnecting = 2119;
inline constexpr int kSecDefFarmDisconnected = 2157;
inline constexpr int kSecDefFarmOk = 2158;
inline constexpr int kNotSubscribedDelayedShown = 10167;
inline constexpr int kNotSubscribedDelayedDisabled = 10186;
inline constexpr int kCompetingSession = 10197;

// IB's classification: informational warnings (2100..2199 and a few others).
constexpr bool is_warning(int code) {
    return (code >= 2100 && code < 2200) || code == kConnectivityRestoredDataLost ||
           code == kConnectivityRestoredDataMaintained || code == kNotSubscribedDelayedShown;
}

constexpr bool is_connectivity_lost(int code) {
    return code == kConnectivityLost || code == kSocketPortReset || code == kTwsServerConnectivityBroken;
}

constexpr bool is_connectivity_restored(int code) {
    return code == kConnectivityRestoredDataLost || code == kConnectivityRestoredDataMaintained;
}

}  // namespace mdp::ibkr::error_code
