#pragma once

#include "status/host_snapshot.hpp"

#include <functional>

namespace mdp::http {

// Where every route gets its data. [any thread] cheap, thread-safe; may throw (the route
// then answers 500).
using SnapshotSource = std::function<status::HostSnapshot()>;

}  // namespace mdp::http
