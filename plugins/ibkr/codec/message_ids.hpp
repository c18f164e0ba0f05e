#pragma once
// Message ids of the TWS API text protocol: the first field of every frame after the
// handshake. Only the messages this codec understands are listed.

namespace mdp::ibkr {

// Server -> client.
namespace incoming {
inline constexpr int kTickPrice = 1;
inline constexpr int kTickSize = 2;
inline constexpr int kError = 4;
inline constexpr int kNextValidId = 9;
inline constexpr int kManagedAccounts = 15;
inline constexpr int kHistoricalData = 17;
inline constexpr int kTickGeneric = 45;
inline constexpr int kTickString = 46;
inline constexpr int kCurrentTime = 49;
inline constexpr int kRealTimeBar = 50;
inline constexpr int kTickSnapshotEnd = 57;
inline constexpr int kMarketDataType = 58;
inline constexpr int kTickReqParams = 81;
inline constexpr int kTickByTick = 99;
inline constexpr int kHistoricalDataEnd = 108;  // from server version 196
}  // namespace incoming

// Client -> server.
namespace outgoing {
inline constexpr int kReqMktData = 1;
inline constexpr int kCancelMktData = 2;
inline constexpr int kReqHistoricalData = 20;
inline constexpr int kCancelHistoricalData = 25;
inline constexpr int kReqCurrentTime = 49;
inline constexpr int kReqRealTimeBars = 50;
inline constexpr int kCancelRealTimeBars = 51;
inline constexpr int kReqMarketDataType = 59;
inline constexpr int kStartApi = 71;
inline constexpr int kReqTickByTickData = 97;
inline constexpr int kCancelTickByTickData = 98;
}  // namespace outgoing

}  // namespace mdp::ibkr
