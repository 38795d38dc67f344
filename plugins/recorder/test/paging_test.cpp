// Paged queries (series_query.hpp) and their cursors (page_cursor.hpp): following `next` yields every point exactly
// once and in order, for raw samples (ties in time broken by insertion) and every aggregate resolution (a page
// ends only between coarse buckets), whatever the page size; the same pages as one unpaged query; a cursor from
// another query, edited or forged is an error.
#include <gtest/gtest.h>

#include <random>

#include "page_cursor.hpp"
#include "query_protocol.hpp"
#include "recorder_store.hpp"
#include "test_support.hpp"

namespace hepek::recorder {
namespace {

using testing::TempDir;

constexpr int64_t kStart =
    1'711'756'800'000;  // 2024-03-30T00:00:00Z: a DST change in Europe/Amsterdam follows
constexpr int64_t kQuarter = 15 * 60'000;

DeviceMetadata meter() {
  return parse_device_metadata("meter", R"({"schema":1,"device":"meter","name":"Meter","entities":[
      {"field":"power","unit":"W","device_class":"power","state_class":"measurement"},
      {"field":"energy","unit":"Wh","device_class":"energy","state_class":"total_increasing"},
      {"field":"voltage","unit":"V","state_class":"measurement"}]})")
      .value();
}

SeriesQuery query_of(Resolution resolution, std::vector<std::string> fields = {}) {
  SeriesQuery query;
  query.device = "meter";
  query.fields = std::move(fields);
  query.from_ms = kStart;
  query.to_ms = kStart + 3 * kDayMs;
  query.resolution = resolution;
  query.timezone = "Europe/Amsterdam";
  query.max_points = 1'000'000;
  return query;
}

// Every page of `query` at `page_points` a page, concatenated per series; fails the test on an error.
std::vector<Series> follow_pages(RecorderStore& store, SeriesQuery query, std::size_t page_points,
                                 std::size_t* pages = nullptr) {
  query.page_points = page_points;
  std::vector<Series> all;
  for (std::size_t page = 0;; ++page) {
    const auto result = store.query(query);
    EXPECT_TRUE(result) << result.error();
    if (!result) return all;
    std::size_t points = 0;
    for (std::size_t i = 0; i < result->series.size(); ++i) {
      if (all.size() <= i) all.push_back({result->series[i].field, result->series[i].unit, {}, {}});
      const auto& more = result->series[i].points;
      all[i].points.insert(all[i].points.end(), more.begin(), more.end());
      points += more.size();
    }
    EXPECT_LE(points, page_points);
    if (!result->next) {
      if (pages) *pages = page + 1;
      return all;
    }
    EXPECT_EQ(points, page_points) << "only the last page may be short";
    query.start = result->next;
    EXPECT_LT(page, 100000u);
  }
}

class Paging : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.upsert_device(meter(), kStart);
    std::mt19937 random(5);
    // Three days: power every 5 minutes, energy every 15 minutes with gaps, voltage in bursts with several
    // samples at the same millisecond (ordered by insertion).
    for (int64_t t = kStart; t < kStart + 3 * kDayMs; t += 5 * 60'000)
      store_.add({"meter", "power", t, static_cast<double>(random() % 5000) / 7.0});
    for (int64_t t = kStart; t < kStart + 3 * kDayMs; t += kQuarter)
      if (random() % 4 != 0) store_.add({"meter", "energy", t, static_cast<double>(t - kStart) / 1000.0});
    for (int64_t t = kStart + kDayMs; t < kStart + kDayMs + 3'600'000; t += 600'000)
      for (int i = 0; i < 3; ++i) store_.add({"meter", "voltage", t, 230.0 + i});
    store_.flush();
  }
  TempDir dir_;
  RecorderStore store_{dir_.file("r.db"), {.batch_size = 100000}};
};

TEST_F(Paging, FollowingNextGivesEveryPointOnceInOrderForEveryResolutionAndPageSize) {
  for (const auto resolution :
       {Resolution::raw, Resolution::quarter_hour, Resolution::hour, Resolution::day}) {
    const auto whole = store_.query(query_of(resolution));
    ASSERT_TRUE(whole) << whole.error();
    ASSERT_FALSE(whole->next);
    std::size_t total = 0;
    for (const auto& series : whole->series) total += series.points.size();
    ASSERT_GT(total, 0u);
    for (const std::size_t page :
         {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{100}, total - 1, total, total + 1}) {
      if (page == 0) continue;
      std::size_t pages = 0;
      const auto paged = follow_pages(store_, query_of(resolution), page, &pages);
      ASSERT_EQ(paged.size(), whole->series.size());
      for (std::size_t i = 0; i < paged.size(); ++i)
        EXPECT_EQ(paged[i].points, whole->series[i].points)
            << resolution_name(resolution) << ", " << page << " a page, " << paged[i].field;
      EXPECT_EQ(pages, (total + page - 1) / page) << resolution_name(resolution) << ", " << page << " a page";
    }
  }
}

TEST_F(Paging, RawTiesInTimeAreSplitAcrossPagesByInsertion) {
  auto query = query_of(Resolution::raw, {"voltage"});
  const auto paged = follow_pages(store_, query, 2);
  ASSERT_EQ(paged.size(), 1u);
  ASSERT_EQ(paged[0].points.size(), 18u);
  for (std::size_t i = 0; i < paged[0].points.size(); ++i) EXPECT_EQ(paged[0].points[i].value, 230.0 + i % 3);
}

TEST_F(Paging, EveryPageListsEverySeriesAskedFor) {
  auto query = query_of(Resolution::quarter_hour, {"voltage", "power"});
  query.page_points = 3;
  const auto first = store_.query(query);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->series.size(), 2u);
  EXPECT_EQ(first->series[0].field, "voltage");
  EXPECT_EQ(first->series[0].points.size(), 3u);
  EXPECT_TRUE(first->series[1].points.empty());
}

TEST_F(Paging, WithoutPagingTooManyPointsIsStillAnError) {
  auto query = query_of(Resolution::raw);
  query.max_points = 10;
  const auto result = store_.query(query);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("more than 10 points"), std::string::npos) << result.error();
}

TEST_F(Paging, AStartOutsideTheQueryIsAnError) {
  auto query = query_of(Resolution::raw, {"power"});
  query.page_points = 5;
  const auto first = store_.query(query);
  ASSERT_TRUE(first && first->next);
  auto other = query_of(Resolution::raw, {"energy"});
  other.start = first->next;
  EXPECT_NE(store_.query(other).error().find("belongs to another query"), std::string::npos);
  auto later = query;
  later.start = first->next;
  later.from_ms = first->next->ts_ms + 1;
  EXPECT_NE(store_.query(later).error().find("outside the time range"), std::string::npos);
}

TEST(PageCursor, RoundTripsAndRefusesAnythingElse) {
  SeriesQuery query = query_of(Resolution::hour, {"power"});
  const PagePosition position{3, kStart + kQuarter, 0};
  const std::string cursor = encode_cursor(position, query);
  EXPECT_EQ(cursor.rfind("1.3.1711757700000.0.", 0), 0u) << cursor;
  EXPECT_EQ(encode_cursor(position, query), cursor) << "stable";
  const auto decoded = decode_cursor(cursor, query);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded.value(), position);
  // The page size may change between pages; the query may not.
  SeriesQuery bigger_pages = query;
  bigger_pages.page_points = 99;
  EXPECT_TRUE(decode_cursor(cursor, bigger_pages));
  for (auto change : std::vector<std::function<void(SeriesQuery&)>>{
           [](SeriesQuery& q) { q.device = "other"; }, [](SeriesQuery& q) { q.fields = {"energy"}; },
           [](SeriesQuery& q) { q.fields = {}; }, [](SeriesQuery& q) { q.from_ms += 1; },
           [](SeriesQuery& q) { q.to_ms -= 1; }, [](SeriesQuery& q) { q.resolution = Resolution::day; },
           [](SeriesQuery& q) { q.statistic = Statistic::max; },
           [](SeriesQuery& q) { q.timezone = "UTC"; }}) {
    SeriesQuery other = query;
    change(other);
    const auto refused = decode_cursor(cursor, other);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("does not fit this query"), std::string::npos) << refused.error();
  }
  std::string edited = cursor;
  edited[2] = '4';
  const std::string padded = "1.03" + cursor.substr(3);
  for (const std::string& bad : {std::string(), std::string("garbage"), cursor + ".1", cursor.substr(1),
                                 cursor.substr(0, cursor.size() - 1), "2" + cursor.substr(1), padded,
                                 std::string(200, '1'), cursor + "x"}) {
    const auto refused = decode_cursor(bad, query);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().find("not one this recorder issued"), std::string::npos) << bad;
  }
  const auto edited_refused = decode_cursor(edited, query);  // another series: the hash no longer matches
  ASSERT_FALSE(edited_refused);
  EXPECT_NE(edited_refused.error().find("does not fit this query"), std::string::npos)
      << edited_refused.error();
}

TEST(PagingProtocol, LimitAndCursorTravelInTheRequestAndNextInTheResponse) {
  SeriesQuery defaults;
  defaults.page_points = 100;
  const std::string range = R"("from":"2024-03-30","to":"2024-04-02")";
  const auto plain = parse_query_request(R"({"device":"meter",)" + range + "}", defaults);
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_EQ(plain->page_points, 100u);
  EXPECT_FALSE(plain->start);
  const auto limited = parse_query_request(R"({"device":"meter","limit":7,)" + range + "}", defaults);
  ASSERT_TRUE(limited) << limited.error();
  EXPECT_EQ(limited->page_points, 7u);

  const std::string cursor = encode_cursor({1, kStart, 5}, plain.value());
  const auto next =
      parse_query_request(R"({"device":"meter","cursor":")" + cursor + "\"," + range + "}", defaults);
  ASSERT_TRUE(next) << next.error();
  EXPECT_EQ(next->start, (PagePosition{1, kStart, 5}));

  SeriesSet page{
      "meter", Resolution::raw, {{"power", "W", Statistic::automatic, {}}}, PagePosition{1, kStart, 5}};
  EXPECT_EQ(query_response(page, plain.value())["next"], cursor);
  page.next.reset();
  EXPECT_FALSE(query_response(page, plain.value()).contains("next"));

  const std::vector<std::pair<std::string, std::string>> bad{
      {R"("limit":0)", "\"limit\" must be an integer from 1 to 100, got 0"},
      {R"("limit":101)", "\"limit\" must be an integer from 1 to 100, got 101"},
      {R"("limit":-1)", "got -1"},
      {R"("limit":2.5)", "got 2.5"},
      {R"("limit":"7")", "got \"7\""},
      {R"("cursor":7)", "\"cursor\" must be a string (a page's \"next\"), got 7"},
      {R"("cursor":"1.2.3")", "\"cursor\" is not one this recorder issued"},
      {R"("cursor":")" + encode_cursor({1, kStart, 5}, limited.value()) + "\"",
       ""},  // limit is not in the hash
      {R"("page":2)", "unknown key \"page\" in the request"},
      {R"("fields":["power","power"])", "\"fields\" names \"power\" twice"},
  };
  for (const auto& [member, error] : bad) {
    const auto parsed = parse_query_request(R"({"device":"meter",)" + member + "," + range + "}", defaults);
    if (error.empty()) {
      EXPECT_TRUE(parsed) << member << ": " << parsed.error();
      continue;
    }
    ASSERT_FALSE(parsed) << member;
    EXPECT_NE(parsed.error().find(error), std::string::npos) << member << ": " << parsed.error();
  }
}

}  // namespace
}  // namespace hepek::recorder
