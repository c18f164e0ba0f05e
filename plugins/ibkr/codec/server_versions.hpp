#pragma once
// Server versions at which the text protocol changes, for the range this codec speaks
// (100..200). From 201 on message ids become binary and protobuf frames appear, which this
// codec deliberately never negotiates.

namespace mdp::ibkr::server_version {

inline constexpr int kMinSupported = 100;  // length-prefixed frames, enhanced handshake
inline constexpr int kMaxSupported = 200;  // the last text-only version

inline constexpr int kOptionalCapabilities = 72;  // startApi carries optCapab
inline constexpr int kPastLimit = 109;  // tickPrice attrMask bit 1 = pastLimit
inline constexpr int kSmartComponents = 114;  // reqMktData carries regulatorySnapshot
inline constexpr int kPreOpenBidAsk = 132;  // tickPrice attrMask bit 2 = preOpen
// reqHistoricalData and historicalData lose their version field; keepUpToDate appears.
inline constexpr int kSyntheticRealtimeBars = 124;
inline constexpr int kTickByTick = 137;
inline constexpr int kTickByTickIgnoreSize = 140;  // reqTickByTickData numberOfTicks, ignoreSize
inline constexpr int kEncodeMessageAscii7 = 153;
inline constexpr int kFractionalSizes = 163;  // sizes are decimal strings
inline constexpr int kAdvancedOrderReject = 166;  // error carries advancedOrderRejectJson
inline constexpr int kErrorTime = 194;  // error drops its version field, adds errorTime
inline constexpr int kHistoricalDataEnd = 196;  // historicalData's start/end move to historicalDataEnd (108)
inline constexpr int kProtobuf = 201;  // never negotiated by this codec

}  // namespace mdp::ibkr::server_version
