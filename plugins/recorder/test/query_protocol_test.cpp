#include "query_protocol.hpp"

#include <gtest/gtest.h>

namespace hepek::recorder {
namespace {

TEST(QueryProtocol, ParsesAFullRequest) {
  SeriesQuery defaults;
  defaults.timezone = "Europe/Amsterdam";
  defaults.max_points = 10;
  const auto query = parse_query_request(
      R"({"device":"meter","fields":["power","energy"],"from":"2024-01-01T00:00:00Z","to":"2024-01-02",
          "resolution":"1h","stat":"max"})",
      defaults);
  ASSERT_TRUE(query) << query.error();
  EXPECT_EQ(query->device, "meter");
  EXPECT_EQ(query->fields, (std::vector<std::string>{"power", "energy"}));
  EXPECT_EQ(query->from_ms, 1'704'067'200'000);
  EXPECT_EQ(query->to_ms, 1'704'067'200'000 + 86'400'000);
  EXPECT_EQ(query->resolution, Resolution::hour);
  EXPECT_EQ(query->statistic, Statistic::max);
  EXPECT_EQ(query->timezone, "Europe/Amsterdam");
  EXPECT_EQ(query->max_points, 10u);
}

TEST(QueryProtocol, DefaultsToRawAndAllFields) {
  const auto query =
      parse_query_request(R"({"device":"meter","from":"2024-01-01","to":"2024-01-02"})", SeriesQuery{});
  ASSERT_TRUE(query) << query.error();
  EXPECT_TRUE(query->fields.empty());
  EXPECT_EQ(query->resolution, Resolution::raw);
  EXPECT_EQ(query->statistic, Statistic::automatic);
}

TEST(QueryProtocol, BadRequestsNameTheInput) {
  struct Case {
    const char* request;
    const char* error;
  };
  const std::string range = R"("from":"2024-01-01","to":"2024-01-02")";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{", "the request is malformed: not valid JSON: [json.exception.parse_error.101]"},
      {std::string("{}\0{}", 5), "the request is malformed: NUL byte at offset 2 (of 5)"},
      {R"({"device":"m","device":"n"})",
       "the request is malformed: key \"device\" given twice in one object"},
      {"[]", "request must be a JSON object"},
      {"{" + range + "}", "\"device\" must be a non-empty string"},
      {R"({"device":"m","to":"2024-01-02"})", "request has no \"from\" time"},
      {R"({"device":"m","from":"soon","to":"2024-01-02"})", "\"from\" is not an ISO 8601 time: \"soon\""},
      {R"({"device":"m","from":1,"to":"2024-01-02"})", "\"from\" must be an ISO 8601 string, got 1"},
      {R"({"device":"m","from":"2024-01-02","to":"2024-01-01"})", "\"from\" must be before \"to\""},
      {R"({"device":"m","fields":"power",)" + range + "}", "\"fields\" must be an array of field names"},
      {R"({"device":"m","fields":["power",3],)" + range + "}",
       "\"fields\"[1] must be a non-empty string, got 3"},
      {R"({"device":"m","resolution":"5m",)" + range + "}",
       "\"resolution\" must be one of raw, 15m, 1h, 1d, got \"5m\""},
      {R"({"device":"m","stat":"median",)" + range + "}",
       "\"stat\" must be one of auto, mean, min, max, last, count, got \"median\""},
  };
  for (const auto& [request, error] : cases) {
    const auto query = parse_query_request(request, SeriesQuery{});
    ASSERT_FALSE(query) << request;
    EXPECT_EQ(query.error().substr(0, error.size()), error) << request;
  }
}

// Found by fuzz_recorder_input: an error echoed the whole bad value ("from": a 1 MB string gave a 1 MB reply on the
// bus). It quotes at most 64 bytes of it now (issue 9: replies quote a short prefix).
// Bad values are quoted by quote_json(), at most kQuotedPrefix (200) bytes and the size.
TEST(QueryProtocol, AnErrorQuotesAShortPrefixOfTheBadValue) {
  const std::string huge(100000, 'x');
  for (const std::string& request :
       {R"({"device":"m","from":")" + huge + R"(","to":"2024-01-02"})",
        R"({"device":"m","from":"2024-01-01","to":"2024-01-02","stat":")" + huge + R"("})",
        R"({"device":"m","from":"2024-01-01","to":"2024-01-02","fields":[{"a":")" + huge + R"("}]})"}) {
    const auto query = parse_query_request(request, SeriesQuery{});
    ASSERT_FALSE(query);
    EXPECT_LT(query.error().size(), 300u) << query.error();
  }
  const auto query =
      parse_query_request(R"({"device":"m","from":")" + huge + R"(","to":"2024-01-02"})", SeriesQuery{});
  EXPECT_NE(query.error().find("\"from\" is not an ISO 8601 time: \"xxxx"), std::string::npos)
      << query.error();
  EXPECT_NE(query.error().find("(100002 bytes)"), std::string::npos) << query.error();
}

TEST(QueryProtocol, ResponseShape) {
  SeriesSet result{"meter",
                   Resolution::quarter_hour,
                   {{"power", "W", Statistic::mean, {{1'704'067'200'000, 512.5}, {1'704'068'100'000, 0}}},
                    {"energy", "Wh", Statistic::last, {}}},
                   std::nullopt};
  const auto json = query_response(result, SeriesQuery{});
  EXPECT_EQ(
      json.dump(),
      R"({"device":"meter","ok":true,"resolution":"15m","series":{"energy":[],"power":[["2024-01-01T00:00:00Z",)"
      R"(512.5],["2024-01-01T00:15:00Z",0.0]]},"stats":{"energy":"last","power":"mean"},)"
      R"("units":{"energy":"Wh","power":"W"}})");
  EXPECT_EQ(query_error("bad").dump(), R"({"error":"bad","ok":false})");
}

}  // namespace
}  // namespace hepek::recorder
