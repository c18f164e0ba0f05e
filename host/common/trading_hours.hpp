#pragma once
// A weekly trading-hours calendar in one time zone of the system's tz database, e.g.
// "Mon-Fri 09:30-16:00 America/New_York". It answers whether a market is open at a UTC
// instant and when the current session opened, across daylight-saving changes.
//
// Grammar: one or more `<days> <HH:MM>-<HH:MM>` sessions separated by ";", then the zone
// ("Mon-Fri 09:30-16:00; Sat 10:00-12:00 Europe/Berlin").
// <days> is a day (`Mon`), a range (`Mon-Fri`, `Sun-Thu`) or a list (`Mon,Wed,Fri`).
// An end before the start is an overnight session ending the next day ("Sun-Thu 18:00-17:00");
// "24:00" ends at midnight. Times are the zone's local wall-clock times.
//
// Time zones come from Howard Hinnant's date library built on the system's zoneinfo files
// (Debian: libhowardhinnant-date-dev); its zone lookups and conversions are thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace mdp::common {

class TradingHours {
   public:
    // Throws std::invalid_argument saying what is wrong with `text` (unknown zone, bad day
    // name, bad time, empty session).
    static TradingHours parse(const std::string& text);

    // [any-thread] Whether the market is open at `utc_ns` (UTC ns since the epoch).
    [[nodiscard]] bool is_open(std::int64_t utc_ns) const;
    // [any-thread] When the session that is open at `utc_ns` opened (UTC ns); nullopt when
    // closed. A session is one day's span: "Mon-Fri 00:00-24:00" opens again every midnight.
    [[nodiscard]] std::optional<std::int64_t> session_start(std::int64_t utc_ns) const;

    [[nodiscard]] const std::string& text() const { return text_; }

   private:
    struct Session {
        std::array<bool, 7> days{};  // indexed by weekday, Sunday = 0
        int start_minute = 0;  // minutes after local midnight
        int end_minute = 0;  // may be <= start_minute: ends the next day
    };

    TradingHours() = default;

    std::string text_;
    std::vector<Session> sessions_;
    const date::time_zone* zone_ = nullptr;  // owned by the date library's database, never freed
};

}  // namespace mdp::common
