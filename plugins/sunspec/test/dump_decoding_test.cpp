// The decoder on real devices' register dumps (testdata/sunspec/devices/*.csv), not through Modbus: discovery
// and the model walk on the dump, every model decoded, and every point that pysunspec2 decoded (the
// *.decoded.json beside each dump) compared: at least 99 % must be equal, per device. The ratio is printed.
#include <cmath>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "device_map.hpp"
#include "model_decoder.hpp"
#include "register_dump.hpp"
#include "test_support.hpp"

namespace hepek::sunspec {
namespace {

using Json = nlohmann::ordered_json;
namespace t = hepek::testing;

struct Tally {
  size_t reference = 0;  // points pysunspec2 decoded (not null)
  size_t equal = 0;
  size_t we_null = 0;     // pysunspec2 has a value, we have null
  size_t we_extra = 0;    // pysunspec2 null, we have a value
  size_t null_agree = 0;  // both null
  size_t unreadable = 0;  // on registers the dump could not read: ours null by rule, pysunspec2's value is
                          // the reader's filler (0xFFFF) decoded; left out of the ratio
  std::vector<std::string> differences;
};

bool same(const Json& ours, const Json& theirs) {
  if (ours.is_number() && theirs.is_number()) {
    const double a = ours.get<double>(), b = theirs.get<double>();
    return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
  }
  return ours == theirs;
}

void compare(const Json& ours, const Json& theirs, const std::string& where, const std::string& path,
             const std::vector<std::string>& unreadable, Tally& tally) {
  const Json& points = ours.contains("points") ? ours["points"] : Json::object();
  const Json& groups = ours.contains("groups") ? ours["groups"] : Json::object();
  for (const auto& [key, value] : theirs.items()) {
    const std::string at = where + "." + key;
    if (value.is_object() || value.is_array()) {
      if (!groups.contains(key)) {
        tally.differences.push_back(at + ": group missing");
        tally.reference += 1;
        continue;
      }
      if (value.is_object()) {
        compare(groups[key], value, at, path + key + ".", unreadable, tally);
        continue;
      }
      const Json& list = groups[key];
      if (list.size() != value.size())
        tally.differences.push_back(
            fmt::format("{}: {} instances, pysunspec2 {}", at, list.size(), value.size()));
      for (size_t i = 0; i < value.size(); ++i)
        compare(i < list.size() ? list[i] : Json::object(), value[i], fmt::format("{}[{}]", at, i),
                fmt::format("{}{}[{}].", path, key, i), unreadable, tally);
      continue;
    }
    const Json mine = points.contains(key) ? points[key] : Json();
    if (value.is_null()) {
      if (mine.is_null())
        ++tally.null_agree;
      else {
        ++tally.we_extra;
        tally.differences.push_back(fmt::format("{}: ours {}, pysunspec2 null", at, mine.dump()));
      }
      continue;
    }
    if (mine.is_null() && std::find(unreadable.begin(), unreadable.end(), path + key) != unreadable.end()) {
      ++tally.unreadable;
      continue;
    }
    ++tally.reference;
    if (same(mine, value)) {
      ++tally.equal;
    } else {
      if (mine.is_null()) ++tally.we_null;
      tally.differences.push_back(fmt::format("{}: ours {}, pysunspec2 {}", at, mine.dump(), value.dump()));
    }
  }
}

std::vector<std::string> dumps() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(t::testdata_dir() + "/sunspec/devices"))
    if (entry.path().extension() == ".csv") out.push_back(entry.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SunSpecDumps, EveryDumpDecodesToPysunspec2sValues) {
  const auto names = dumps();
  ASSERT_EQ(names.size(), 6u) << "testdata/sunspec/devices should hold the six real dumps";
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const std::string base = t::testdata_dir() + "/sunspec/devices/" + name;
    auto image = load_register_dump(base + ".csv");
    ASSERT_TRUE(image) << image.error();
    const Json reference = Json::parse(t::read_file(base + ".decoded.json"));

    DumpSource source(*image, name);
    const BaseSearch search = find_base(source, std::nullopt);
    ASSERT_TRUE(search.base) << search.error;
    EXPECT_EQ(*search.base, reference["sunspec_base"].get<uint32_t>());
    const DeviceMap map = walk_models(source, *search.base);
    EXPECT_TRUE(map.end_marker) << fmt::format("{}", fmt::join(map.notes, "; "));
    EXPECT_EQ(map.end_address, reference["end_marker_addr"].get<uint32_t>());
    ASSERT_EQ(map.models.size(), reference["models"].size());

    Tally tally;
    for (size_t i = 0; i < map.models.size(); ++i) {
      const ModelLocation& location = map.models[i];
      const Json& expected = reference["models"][i];
      ASSERT_EQ(location.id, expected["id"].get<uint16_t>());
      EXPECT_EQ(location.address, expected["header_addr"].get<uint32_t>());
      EXPECT_EQ(location.length, expected["len"].get<uint16_t>());
      const ModelDefinition* definition = find_model(location.id);
      if (expected.contains("decode_error") && expected["name"].is_null()) {
        EXPECT_EQ(definition, nullptr) << "model " << location.id << " has no definition in pysunspec2";
        continue;
      }
      ASSERT_NE(definition, nullptr) << "model " << location.id;
      const DecodedModel decoded = decode_model(*definition, location, *image);
      EXPECT_EQ(decoded.name, expected["name"].get<std::string>());
      compare(decoded.group, expected["computed"], fmt::format("model {}", location.id), "",
              decoded.unreadable_points, tally);
    }
    const double ratio = tally.reference ? double(tally.equal) / double(tally.reference) : 0;
    std::cout << fmt::format(
        "{}: {}/{} points pysunspec2 decodes are equal ({:.2f} %); we null where it has a "
        "value: {}; we have a value where it has null: {}; both null: {}; on unreadable registers (null): "
        "{}\n",
        name, tally.equal, tally.reference, 100 * ratio, tally.we_null, tally.we_extra, tally.null_agree,
        tally.unreadable);
    for (size_t i = 0; i < tally.differences.size() && i < 30; ++i)
      std::cout << "  " << tally.differences[i] << "\n";
    EXPECT_GT(tally.reference, 100u);
    EXPECT_GE(ratio, 0.99);
  }
}

}  // namespace
}  // namespace hepek::sunspec
