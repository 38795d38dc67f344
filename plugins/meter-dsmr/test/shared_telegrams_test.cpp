// The test telegrams (testdata/dsmr) against the peer's expectations, read at run time:
// expected_values.csv (values and units by OBIS code) and crc_expectations.csv (what must pass or fail).
//
// expected_values.csv is the peer's field mapping. Where its OBIS code is a wildcard ("0-x:24.1.0"), lacks
// its "A-B:" part ("96.7.9") or names a line the telegram does not have ("1-0:96.7.21" for the telegram's
// 0-0:96.7.21, "0-1:24.2.1" for channel 2's 0-2:24.2.1), the telegram's own line with the same C.D.E is the
// one meant (the telegram is right). kMislabelled lists the rows whose code names a different quantity of the
// telegram.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "dsmr_test_data.hpp"
#include "parser.hpp"

using namespace hepek::dsmr;
namespace t = hepek::dsmr::test_data;

namespace {

// (file, peer field) -> the telegram line that holds that quantity.
const std::map<std::pair<std::string, std::string>, std::string> kMislabelled = {
    // "MBUS_DEVICE_TYPE" is the M-Bus device type 0-1:24.1.0(003), not the equipment id on 0-1:96.1.0.
    {{"ndokter_telegram_v5.txt", "mbus_dev0.MBUS_DEVICE_TYPE"}, "0-1:24.1.0"},
};

std::string code_cde(const std::string& obis) {
  const auto colon = obis.find(':');
  return colon == std::string::npos ? obis : obis.substr(colon + 1);
}

bool matches_wildcard(const std::string& pattern, const std::string& obis) {
  if (pattern.size() != obis.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i)
    if (pattern[i] != obis[i] && !(pattern[i] == 'x' && obis[i] >= '0' && obis[i] <= '9')) return false;
  return true;
}

// The telegram line a row of expected_values.csv means, or null with `why` when it cannot be told.
const CosemObject* resolve(const Telegram& telegram, const std::string& file, const std::string& peer_field,
                           const std::string& obis, std::string& why) {
  if (auto it = kMislabelled.find({file, peer_field}); it != kMislabelled.end())
    return telegram.find(it->second);
  if (const CosemObject* exact = telegram.find(obis)) return exact;
  std::vector<const CosemObject*> candidates;
  for (const auto& object : telegram.objects) {
    const bool wildcard = obis.find('x') != std::string::npos && matches_wildcard(obis, object.obis);
    if (wildcard || code_cde(object.obis) == code_cde(obis)) candidates.push_back(&object);
  }
  if (candidates.size() == 1) return candidates[0];
  why = std::to_string(candidates.size()) + " telegram lines match " + obis;
  return nullptr;
}

// Compares a value as the peer wrote it ("3", "0001", "None", "1.001") with the field from the telegram.
void expect_value(const Field& field, std::string expected, const std::string& expected_unit,
                  const std::string& where) {
  if (expected_unit != "None") {
    EXPECT_EQ(field.unit, expected_unit) << where;
    ASSERT_TRUE(field.number) << where;
    const auto want = Decimal::parse(expected);
    ASSERT_TRUE(want) << where << ": expected value " << expected;
    EXPECT_TRUE(field.number->same_value(*want)) << where << ": got " << field.text << ", want " << expected;
    return;
  }
  EXPECT_TRUE(field.unit.empty()) << where;
  if (expected == "None") expected.clear();
  // The peer's source splits long strings over lines: '...'  '...' -> one string.
  for (std::size_t at; (at = expected.find("'  '")) != std::string::npos;) expected.erase(at, 4);
  const auto want = Decimal::parse(expected);
  const auto got = Decimal::parse(field.text);
  if (want && got && expected.size() < 16 && field.text.size() < 16)
    EXPECT_TRUE(got->same_value(*want))
        << where << ": got " << field.text << ", want " << expected;  // "003" is 3
  else
    EXPECT_EQ(field.text, expected) << where;
}

// "datetime.datetime(2016, 11, 13, 19, 57, 57, tzinfo=datetime.timezone.utc)" or a
// ZoneInfo('Europe/Brussels') wall-clock time.
void expect_timestamp(const Telegram& telegram, const std::string& expected, const std::string& where) {
  static const std::regex pattern(
      R"(datetime\.datetime\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+), tzinfo=(.*)\))");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(expected, m, pattern)) << where << ": cannot read " << expected;
  ASSERT_TRUE(telegram.timestamp) << where;
  const int fields[6] = {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]),
                         std::stoi(m[4]), std::stoi(m[5]), std::stoi(m[6])};
  const Timestamp& ts = *telegram.timestamp;
  if (m[7] == "datetime.timezone.utc") {
    Timestamp utc{fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], 0};
    EXPECT_EQ(ts.unix_seconds(), utc.unix_seconds()) << where;
  } else {
    EXPECT_EQ(m[7].str(), "ZoneInfo('Europe/Brussels')") << where;  // the same CET/CEST as the S/W flag says
    const int got[6] = {ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second};
    for (int i = 0; i < 6; ++i) EXPECT_EQ(got[i], fields[i]) << where;
  }
}

}  // namespace

TEST(SharedTelegrams, ValuesMatchExpectedValuesCsv) {
  const auto rows = t::read_csv(t::dsmr_dir() + "/expected_values.csv");
  ASSERT_GT(rows.size(), 100u);
  std::set<std::string> files;
  std::size_t checked = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 5u) << "malformed row starting " << row.front();
    const auto& [file, peer_field, obis, expected, unit] = std::tie(row[0], row[1], row[2], row[3], row[4]);
    const std::string where = file + " " + peer_field + " (" + obis + ")";
    const auto result = parse_telegram(t::telegram_file(file));
    ASSERT_TRUE(result.ok()) << file << ": " << result.error().to_string();
    files.insert(file);
    const Telegram& telegram = result.telegram();
    if (peer_field == "P1_MESSAGE_TIMESTAMP") {
      expect_timestamp(telegram, expected, where);
      ++checked;
      continue;
    }
    std::string why;
    const CosemObject* object = resolve(telegram, file, peer_field, obis, why);
    ASSERT_TRUE(object) << where << ": " << why;
    // "BELGIUM_MAXIMUM_DEMAND_13_MONTHS[1]": the second entry of the peak history.
    static const std::regex indexed(R"(.*\[(\d+)\])");
    std::smatch m;
    const Field* field = object->value();
    if (std::regex_match(peer_field, m, indexed)) {
      const std::size_t index = std::stoul(m[1]);
      ASSERT_LT(index, object->entries.size()) << where;
      field = &object->fields[object->entries[index].value_index];
    }
    ASSERT_TRUE(field) << where;
    expect_value(*field, expected, unit, where);
    ++checked;
  }
  EXPECT_EQ(checked, rows.size());
  EXPECT_EQ(files.size(), 5u);  // v2.2, v3, v4.2, v5, Fluvius
}

TEST(SharedTelegrams, CrcExpectations) {
  const auto rows = t::read_csv(t::dsmr_dir() + "/crc_expectations.csv");
  ASSERT_EQ(rows.size(), 9u);
  for (const auto& row : rows) {
    const std::string& file = row[0];
    const std::string& computed = row[2];
    const std::string& expectation = row[3];
    const auto result = parse_telegram(t::telegram_file(file));
    if (expectation.rfind("valid", 0) == 0) {
      ASSERT_TRUE(result.ok()) << file << ": " << result.error().to_string();
      char crc[8];
      std::snprintf(crc, sizeof crc, "%04X", result.telegram().crc.value_or(0));
      EXPECT_EQ(crc, computed) << file;
    } else if (expectation.rfind("InvalidChecksumError", 0) == 0) {
      ASSERT_FALSE(result.ok()) << file;
      EXPECT_NE(result.error().message.find("CRC mismatch"), std::string::npos) << result.error().to_string();
      EXPECT_NE(result.error().message.find("give " + computed), std::string::npos)
          << result.error().to_string();
    } else if (expectation.rfind("ParseError", 0) == 0) {
      ASSERT_FALSE(result.ok()) << file;
      EXPECT_NE(result.error().message.find("truncated"), std::string::npos) << result.error().to_string();
    } else if (expectation == "parsed without CRC") {
      ASSERT_TRUE(result.ok()) << file << ": " << result.error().to_string();
      EXPECT_FALSE(result.telegram().crc) << file;
    } else {
      ADD_FAILURE() << file << ": unknown expectation " << expectation;
    }
  }
}
