// The one ISO 8601 parser and formatter: the forms each former copy accepted (planner, sim-home, recorder,
// relay, core's simulate --from), the forms they refused, and errors that name the text and the position.
#include "hepek/timeseries/iso8601.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <hepek/time.hpp>
#include <nlohmann/json.hpp>

#include "hepek/timeseries/local_calendar.hpp"
#include "hepek/timeseries/zone_clock.hpp"

namespace hepek::timeseries {
namespace {

constexpr std::int64_t k2024 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

std::int64_t ms(const char* text) {
  return parse_iso8601_or_throw(text, kDateOrDateTime).unix_ms();
}
std::optional<std::int64_t> try_ms(const char* text) {
  const auto instant = parse_iso8601(text, kDateOrDateTime);
  return instant ? std::optional<std::int64_t>(instant->unix_ms()) : std::nullopt;
}

// From the planner's iso_time tests.
TEST(Iso8601, ParsesOffsetsAndRejectsLocalTimes) {
  auto a = parse_iso8601("2023-10-29T02:00:00+02:00");
  auto b = parse_iso8601("2023-10-29T02:00:00+01:00");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->unix_s - a->unix_s, 3600);
  EXPECT_EQ(parse_iso8601("2023-10-29T00:00:00Z")->unix_s, 1698537600);
  EXPECT_FALSE(parse_iso8601("2023-10-29T02:00:00"));
  EXPECT_FALSE(parse_iso8601("2023-02-30T02:00:00Z"));
  EXPECT_EQ(format_iso8601(a->unix_s, 120), "2023-10-29T02:00:00+02:00");
  EXPECT_EQ(local_weekday(a->unix_s, 120), 6);  // a Sunday
  EXPECT_EQ(a->offset_minutes, 120);
}

// From sim-home's time_util tests.
TEST(Iso8601, ParsesOffsetsAndUtc) {
  EXPECT_EQ(ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ms("1970-01-01"), 0);
  EXPECT_EQ(ms("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(ms("1969-12-31T19:00:00-05:00"), 0);
  EXPECT_EQ(ms("2023-06-30T00:00:00+02:00"), 1688076000000);
  EXPECT_EQ(ms("2023-06-29T22:00:00.250Z"), 1688076000250);
}

TEST(Iso8601, RejectsBadTextNamingIt) {
  try {
    ms("2023-02-30T00:00:00Z");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("2023-02-30"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no such date"), std::string::npos);
  }
  EXPECT_THROW(ms("2023-06-30 junk"), std::invalid_argument);
  EXPECT_THROW(ms(""), std::invalid_argument);
}

TEST(Iso8601, ErrorsNameThePosition) {
  try {
    parse_iso8601_or_throw("2023-06-30T12:3x:00Z");
    FAIL();
  } catch (const Iso8601Error& e) {
    EXPECT_EQ(e.position(), 15u);
    EXPECT_NE(std::string(e.what()).find("at character 16"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"2023-06-30T12:3x:00Z\""), std::string::npos) << e.what();
  }
  std::string why;
  EXPECT_FALSE(parse_iso8601("2023-06-30T12:30:00", {}, &why));
  EXPECT_NE(why.find("UTC offset"), std::string::npos) << why;
  EXPECT_NE(why.find("at character 20"), std::string::npos) << why;
  EXPECT_FALSE(parse_iso8601("2023-06-30", {}, &why));  // a date only where the caller allows it
  EXPECT_NE(why.find("date alone"), std::string::npos) << why;
}

// Found by fuzz_timeseries_iso8601: the error quoted the whole text, so a 1 MB "from" in a recorder query, or a
// long CSV field, gave a 1 MB error message. It quotes a 64-byte prefix (as valid UTF-8: an ill-formed byte becomes
// the 3-byte U+FFFD) and still names the position in the whole text.
TEST(Iso8601, ErrorsQuoteAShortPrefix) {
  const std::string text = "2023-06-30T12:30:00Z" + std::string(100000, '\xff');
  std::string why;
  EXPECT_FALSE(parse_iso8601(text, {}, &why));
  EXPECT_LT(why.size(), 300u) << why;
  EXPECT_NE(why.find("unexpected text after the time at character 21"), std::string::npos) << why;
  EXPECT_NE(why.find("(100020 bytes)"), std::string::npos) << why;
  EXPECT_NO_THROW((void)nlohmann::json(why).dump());
}

// From the recorder's time_format tests.
TEST(Iso8601, ParsesMillisecondsAndOffsetSpellings) {
  EXPECT_EQ(try_ms("2024-01-01T00:00:00Z"), k2024);
  EXPECT_EQ(try_ms("2024-01-01T00:00:00.250Z"), k2024 + 250);
  EXPECT_EQ(try_ms("2024-01-01T01:00:00+01:00"), k2024);
  EXPECT_EQ(try_ms("2024-01-01T01:00:00+0100"), k2024);
  EXPECT_EQ(try_ms("2023-12-31T19:00:00-05:00"), k2024);
  EXPECT_EQ(try_ms("2024-01-01 00:00:00Z"), k2024);
  EXPECT_EQ(try_ms("2024-01-01T00:00Z"), k2024);
  EXPECT_EQ(try_ms("2024-01-01"), k2024);  // a bare date is UTC midnight
}

TEST(Iso8601, RejectsGarbageAndZonelessTimes) {
  for (const char* bad :
       {"", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:00Zjunk", "1704067200000", "2024-01-01T00:00:00+01:00 "})
    EXPECT_FALSE(try_ms(bad).has_value()) << bad;
}

TEST(Iso8601, FormatsUtcWithMillisecondsOnlyWhenNeeded) {
  EXPECT_EQ(format_iso8601_ms(k2024), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_ms(k2024 + 15 * 60'000 + 7), "2024-01-01T00:15:00.007Z");
  EXPECT_EQ(format_iso8601_ms(-1000), "1969-12-31T23:59:59Z");
}

TEST(Iso8601, RoundTrips) {
  for (std::int64_t t : {k2024, k2024 + 1, k2024 + 86'399'999, std::int64_t{0}})
    EXPECT_EQ(try_ms(format_iso8601_ms(t).c_str()), t);
  for (int offset : {-300, 0, 60, 120, 330})
    EXPECT_EQ(parse_iso8601(format_iso8601(k2024 / 1000, offset))->unix_s, k2024 / 1000) << offset;
}

// The bus form agrees with the SDK's header-only hepek::iso8601_utc, which plugins use without this library.
TEST(Iso8601, AlwaysMillisecondsIsTheSdkBusForm) {
  for (std::int64_t t : {std::int64_t{0}, k2024, k2024 + 7, std::int64_t{-1}, std::int64_t{-86'400'001},
                         std::int64_t{4'102'444'800'123}})
    EXPECT_EQ(format_iso8601_ms(t, Milliseconds::always), hepek::iso8601_utc(t)) << t;
}

// From the relay's off_schedule tests: the forms of off_periods.
TEST(Iso8601, RelayForms) {
  EXPECT_EQ(ms("2024-03-01T12:00:00Z"), 1709294400000);
  EXPECT_EQ(ms("2024-03-01T13:00:00+01:00"), 1709294400000);
  EXPECT_EQ(ms("2024-03-01"), 1709251200000);
}

// core's `simulate --from`: a date is local midnight in the hub's zone, a date-time carries its offset.
TEST(Iso8601, DateIsMidnightInTheRulesZone) {
  const Iso8601Rules amsterdam{true, &find_zone("Europe/Amsterdam")};
  const Instant winter = parse_iso8601_or_throw("2024-01-01", amsterdam);
  EXPECT_TRUE(winter.date_only);
  EXPECT_EQ(winter.unix_ms(), k2024 - 3'600'000);
  EXPECT_EQ(winter.offset_minutes, 60);
  EXPECT_EQ(parse_iso8601_or_throw("2023-07-01", amsterdam).unix_s, 1688162400);  // 2023-06-30T22:00Z
  EXPECT_EQ(parse_iso8601_or_throw("2024-01-01T00:00:00+01:00", amsterdam).unix_ms(), k2024 - 3'600'000);
}

// Found by fuzz_timeseries_iso8601: "0000-01-01" at midnight in Europe/Amsterdam lies in year -1 in UTC, which no
// ISO 8601 text of ours can write (format_iso8601_ms printed "-001-12-31..."), and a date before 1937 had a local
// mean time offset with seconds (+00:19:32) of which offset_minutes kept only the minutes, so formatting the
// instant at that offset did not give midnight. Instants lie in 0000..9999 in UTC; such an offset counts in whole
// minutes.
TEST(Iso8601, EveryParsedInstantFormatsAndParsesBack) {
  const Iso8601Rules amsterdam{true, &find_zone("Europe/Amsterdam")};
  const Instant lmt = parse_iso8601_or_throw("1850-01-01", amsterdam);
  EXPECT_EQ(lmt.offset_minutes, 19);
  EXPECT_EQ(format_iso8601(lmt.unix_s, lmt.offset_minutes), "1850-01-01T00:00:00+00:19");
  std::string error;
  EXPECT_FALSE(parse_iso8601("0000-01-01T00:30:00+01:00", {}, &error));
  EXPECT_NE(error.find("before 0000-01-01T00:00:00Z at character 1"), std::string::npos) << error;
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:00:00-14:00", {}, &error));
  EXPECT_NE(error.find("after 9999-12-31T23:59:59Z at character 1"), std::string::npos) << error;
  EXPECT_FALSE(parse_iso8601("0000-01-01", amsterdam));
  EXPECT_EQ(parse_iso8601_or_throw("0000-01-01", kDateOrDateTime).unix_s, -62167219200);
  EXPECT_EQ(format_iso8601_ms(parse_iso8601_or_throw("9999-12-31T23:59:59.999Z").unix_ms()),
            "9999-12-31T23:59:59.999Z");
}

TEST(Iso8601, FormatsInAZone) {
  const auto& amsterdam = find_zone("Europe/Amsterdam");
  EXPECT_EQ(format_iso8601_in_zone(k2024, amsterdam), "2024-01-01T01:00:00+01:00");
  EXPECT_EQ(format_iso8601_in_zone(1688162400'000, amsterdam), "2023-07-01T00:00:00+02:00");
  EXPECT_EQ(format_iso8601_in_zone(k2024, find_zone("America/New_York")), "2023-12-31T19:00:00-05:00");
}

}  // namespace
}  // namespace hepek::timeseries
