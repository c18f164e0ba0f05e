// The plugin's exported entry: the ibkr provider behind the stable C ABI.
#include "provider/ibkr_provider.hpp"

MDP_PLUGIN(mdp::ibkr::IbkrProvider, "ibkr", "Interactive Brokers (TWS API)", "1.0.0", "mdp",
           "Quotes, trades and 5-second bars from TWS or IB Gateway over the native TWS API socket protocol")
