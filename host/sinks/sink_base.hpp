#pragma once
// What every bundled sink shares: its instance name, its type and its own counters
// (SinkStats). A sink derives from SinkBase and implements open/write/close, plus
// destination() and preferred_batch_size() where it has them; Sink stays the interface the
// store coordinator sees (and what a test double implements directly).

#include "sinks/sink.hpp"
#include "sinks/sink_stats_recorder.hpp"

#include <string>
#include <utility>

namespace mdp::sinks {

class SinkBase : public Sink {
   public:
    [[nodiscard]] const std::string& name() const final { return name_; }
    [[nodiscard]] const std::string& type() const final { return type_; }
    [[nodiscard]] SinkStats stats() const final { return stats_.snapshot(); }

   protected:
    // `name`: the instance name from the config; `type`: the registry's type ("sqlite", ...).
    SinkBase(std::string name, std::string type) : name_(std::move(name)), type_(std::move(type)) {}

    // [coordinator thread] The sink's own counters; any thread reads copies through stats().
    SinkStatsRecorder& stats_recorder() { return stats_; }

   private:
    std::string name_;
    std::string type_;
    SinkStatsRecorder stats_;
};

}  // namespace mdp::sinks
