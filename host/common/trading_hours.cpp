#include "common/trading_hours.hpp"

#include <date/tz.h>

#include <cctype>
#include <stdexcept>

namespace mdp::common {

namespace {

constexpr std::array<const char*, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return "";
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
    // Keeps empty parts ("a;" is "a" and ""), so a stray separator is reported, not ignored.
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = text.find(separator, begin);
        parts.push_back(trimmed(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin)));
        if (end == std::string::npos) {
            return parts;
        }
        begin = end + 1;
    }
}

int day_index(const std::string& name) {
    for (int index = 0; index < 7; ++index) {
        if (name == kDayNames[static_cast<std::size_t>(index)]) {
            return index;
        }
    }
    throw std::invalid_argument("unknown day \"" + name + "\"; expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun");
}

// "Mon-Fri", "Sun-Thu" (wraps), "Mon,Wed,Fri", "Sat".
std::array<bool, 7> parse_days(const std::string& text) {
    std::array<bool, 7> days{};
    for (const std::string& item : split(text, ',')) {
        const auto dash = item.find('-');
        if (dash == std::string::npos) {
            days[static_cast<std::size_t>(day_index(item))] = true;
            continue;
        }
        const int first = day_index(item.substr(0, dash));
        const int last = day_index(item.substr(dash + 1));
        for (int day = first;; day = (day + 1) % 7) {
            days[static_cast<std::size_t>(day)] = true;
            if (day == last) {
                break;
            }
        }
    }
    return days;
}

// "09:30" -> 570; "24:00" only where `allow_24` (an end time).
int parse_minute(const std::string& text, bool allow_24) {
    const bool shaped = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
                        std::isdigit(static_cast<unsigned char>(text[1])) &&
                        std::isdigit(static_cast<unsigned char>(text[3])) &&
                        std::isdigit(static_cast<unsigned char>(text[4]));
    const int hours = shaped ? (text[0] - '0') * 10 + (text[1] - '0') : -1;
    const int minutes = shaped ? (text[3] - '0') * 10 + (text[4] - '0') : -1;
    const bool valid = shaped && minutes < 60 && (hours < 24 || (allow_24 && hours == 24 && minutes == 0));
    if (!valid) {
        throw std::invalid_argument("bad time \"" + text + "\"; expected HH:MM from 00:00 to 23:59 (24:00 as an end)");
    }
    return hours * 60 + minutes;
}

const date::time_zone* find_zone(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw std::invalid_argument("unknown time zone \"" + name +
                                    "\"; expected a name of the system's tz database, e.g. America/New_York");
    }
}

using LocalNs = date::local_time<std::chrono::nanoseconds>;

}  // namespace

TradingHours TradingHours::parse(const std::string& text) {
    const std::string body = trimmed(text);
    const auto zone_at = body.find_last_of(" \t");
    if (zone_at == std::string::npos) {
        throw std::invalid_argument(
            "expected \"<days> <HH:MM>-<HH:MM> <time zone>\", e.g. \"Mon-Fri 09:30-16:00 "
            "America/New_York\"");
    }
    TradingHours hours;
    hours.text_ = body;
    hours.zone_ = find_zone(body.substr(zone_at + 1));
    for (const std::string& session_text : split(body.substr(0, zone_at), ';')) {
        const auto space = session_text.find_first_of(" \t");
        const auto dash = space == std::string::npos ? std::string::npos : session_text.find('-', space);
        if (dash == std::string::npos) {
            throw std::invalid_argument("bad session \"" + session_text + "\"; expected \"<days> <HH:MM>-<HH:MM>\"");
        }
        Session session;
        session.days = parse_days(session_text.substr(0, space));
        session.start_minute = parse_minute(trimmed(session_text.substr(space, dash - space)), false);
        session.end_minute = parse_minute(trimmed(session_text.substr(dash + 1)), true);
        hours.sessions_.push_back(session);
    }
    return hours;
}

bool TradingHours::is_open(std::int64_t utc_ns) const { return session_start(utc_ns).has_value(); }

std::optional<std::int64_t> TradingHours::session_start(std::int64_t utc_ns) const {
    const date::sys_time<std::chrono::nanoseconds> instant{std::chrono::nanoseconds(utc_ns)};
    const LocalNs local = zone_->to_local(instant);
    const date::local_days today = date::floor<date::days>(local);
    const auto weekday = static_cast<std::size_t>(date::weekday(today).c_encoding());
    const auto yesterday = (weekday + 6) % 7;
    const int minute = static_cast<int>(date::floor<std::chrono::minutes>(local - today).count());
    for (const Session& session : sessions_) {
        std::optional<date::local_days> opened_on;
        if (session.end_minute > session.start_minute) {
            if (session.days[weekday] && minute >= session.start_minute && minute < session.end_minute) {
                opened_on = today;
            }
        } else if (session.days[weekday] && minute >= session.start_minute) {
            opened_on = today;  // overnight session, before midnight
        } else if (session.days[yesterday] && minute < session.end_minute) {
            opened_on = today - date::days(1);  // overnight session, after midnight
        }
        if (opened_on) {
            const LocalNs start = LocalNs(*opened_on) + std::chrono::minutes(session.start_minute);
            // A start inside a spring-forward gap opens at the transition.
            return zone_->to_sys(start, date::choose::earliest).time_since_epoch().count();
        }
    }
    return std::nullopt;
}

}  // namespace mdp::common
