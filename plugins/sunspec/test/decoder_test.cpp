// Point types and sentinels, the embedded definitions, discovery at every probed base, the model walk's
// faults, block reads that bisect around unreadable registers, the interface states and the controls (written
// into a dump-backed device and read back), all without Modbus.
#include <gtest/gtest.h>

#include "controls.hpp"
#include "device_functions.hpp"
#include "device_map.hpp"
#include "model_reading.hpp"
#include "point_codec.hpp"
#include "register_dump.hpp"
#include "test_support.hpp"

namespace hepek::sunspec {
namespace {

using OJson = nlohmann::ordered_json;
namespace t = hepek::testing;

RegisterImage dump(const std::string& name) {
  auto image = load_register_dump(t::testdata_dir() + "/sunspec/devices/" + name + ".csv");
  if (!image) throw std::runtime_error(image.error());
  return std::move(image).value();
}

// The same registers moved so that the marker sits at `base`.
RegisterImage moved(const RegisterImage& image, uint32_t base) {
  RegisterImage out;
  for (uint32_t a = image.start(); a < image.end(); ++a) {
    if (image.readable(a)) {
      const uint16_t w = image.at(a);
      out.put(a - image.start() + base, {&w, 1});
    } else {
      out.mark_unreadable(a - image.start() + base, 1);
    }
  }
  return out;
}

PointDefinition point(PointType type, uint16_t size = 0) {
  PointDefinition p;
  p.name = "P";
  p.type = type;
  p.size = size ? size : point_type_registers(type);
  return p;
}

TEST(SunSpecPoints, SentinelsAreNull) {
  const uint16_t ffff[] = {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF};
  const uint16_t zero[] = {0, 0, 0, 0};
  EXPECT_TRUE(decode_point(point(PointType::uint16), {ffff, 1}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::enum32), {ffff, 2}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::uint64), {ffff, 4}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::acc32), {zero, 2}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::ipaddr), {zero, 2}).value.is_null());
  const uint16_t int_min[] = {0x8000, 0, 0, 0};
  EXPECT_TRUE(decode_point(point(PointType::int16), {int_min, 1}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::sunssf), {int_min, 1}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::int32), {int_min, 2}).value.is_null());
  EXPECT_TRUE(decode_point(point(PointType::int64), {int_min, 4}).value.is_null());
  const uint16_t nan[] = {0x7FC0, 0};
  EXPECT_TRUE(decode_point(point(PointType::float32), {nan, 2}).value.is_null());
  EXPECT_EQ(decode_point(point(PointType::int16), {ffff, 1}).value, -1);
  EXPECT_EQ(decode_point(point(PointType::pad), {ffff, 1}).value, 0xFFFF);  // a pad is its raw word
  const uint16_t f[] = {0x4248, 0};                                         // 50.0f
  EXPECT_EQ(decode_point(point(PointType::float32), {f, 2}).value.get<double>(), 50.0);
  const uint16_t ip[] = {0xC0A8, 0x010A};
  EXPECT_EQ(decode_point(point(PointType::ipaddr), {ip, 2}).value, "192.168.1.10");
  const uint16_t mac[] = {0, 0x0011, 0x2233, 0x4455};
  EXPECT_EQ(decode_point(point(PointType::eui48), {mac, 4}).value, "00:11:22:33:44:55");
}

TEST(SunSpecPoints, StringsAreCutAtNulAndMustBeUtf8) {
  const uint16_t text[] = {0x5056, 0x3100, 0x0000, 0x0000};  // "PV1"
  EXPECT_EQ(decode_point(point(PointType::string, 4), text).value, "PV1");
  const uint16_t empty[] = {0x0041, 0, 0, 0};  // first byte NUL: not implemented
  EXPECT_TRUE(decode_point(point(PointType::string, 4), empty).value.is_null());
  const uint16_t bad[] = {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF};
  const PointValue value = decode_point(point(PointType::string, 4), bad);
  EXPECT_TRUE(value.value.is_null());
  EXPECT_NE(value.error.find("not UTF-8"), std::string::npos) << value.error;
}

TEST(SunSpecPoints, EncodeThenDecodeGivesTheValueBack) {
  for (const auto& [type, value] :
       std::vector<std::pair<PointType, OJson>>{{PointType::int16, -1234},
                                                {PointType::uint32, 4000000000u},
                                                {PointType::int64, -5},
                                                {PointType::float32, 1.5},
                                                {PointType::ipaddr, "10.0.0.1"}}) {
    const PointDefinition p = point(type);
    const auto words = encode_point(p, value);
    ASSERT_TRUE(words) << words.error();
    EXPECT_EQ(decode_point(p, *words).value, value) << point_type_name(type);
  }
  EXPECT_FALSE(encode_point(point(PointType::int16), OJson(40000)));
  EXPECT_FALSE(encode_point(point(PointType::uint16), OJson(-1)));
}

TEST(SunSpecDefinitions, EveryEmbeddedModelParses) {
  const auto ids = known_model_ids();
  EXPECT_EQ(ids.size(), 112u);  // every model of sunspec/models json/ at 7abdf89
  for (const uint16_t id : ids) {
    const ModelDefinition* model = find_model(id);
    ASSERT_NE(model, nullptr) << "model " << id << " does not parse";
    EXPECT_EQ(model->id, id);
  }
  EXPECT_EQ(find_model(103)->fixed_length(), 50u);
  EXPECT_EQ(find_model(1)->fixed_length(), 66u);
  EXPECT_TRUE(find_model(160)->has_variable_groups());
  EXPECT_EQ(find_model(65230), nullptr);
  EXPECT_FALSE(
      parse_model_definition(R"({"id":5,"group":{"name":"g","points":[{"name":"ID","type":"nope"}]}})"));
}

TEST(SunSpecDiscovery, FindsTheMarkerAtEveryProbedBase) {
  const RegisterImage fimer = dump("DeviceFimerPVSDated20240722");
  for (const uint32_t base : {40000u, 50000u, 0u, 4096u, 1u, 40001u}) {
    DumpSource source(moved(fimer, base), "fimer");
    const BaseSearch search = find_base(source, std::nullopt);
    ASSERT_TRUE(search.base) << search.error;
    EXPECT_EQ(*search.base, base);
    const DeviceMap map = walk_models(source, base);
    EXPECT_TRUE(map.end_marker);
    EXPECT_EQ(map.models.size(), 19u);
    EXPECT_EQ(map.models.front().address, base + 2);
  }
  DumpSource source(moved(fimer, 50000), "fimer");
  const BaseSearch forced = find_base(source, 40000u);
  EXPECT_FALSE(forced.base);
  EXPECT_NE(forced.error.find("configured base 40000"), std::string::npos) << forced.error;
}

TEST(SunSpecDiscovery, AMissingOrWrongMarkerIsAnErrorNamingEveryProbe) {
  RegisterImage image = dump("DeviceFimerPVSDated20240722");
  const uint16_t wrong[] = {0x5375, 0x0000};
  image.put(40000, wrong);
  DumpSource source(image, "broken");
  const BaseSearch search = find_base(source, std::nullopt);
  EXPECT_FALSE(search.base);
  EXPECT_NE(search.error.find("40000: 5375 0000, not SunS"), std::string::npos) << search.error;
  EXPECT_NE(search.error.find("50000: "), std::string::npos) << search.error;
  EXPECT_NE(search.error.find("dump broken"), std::string::npos) << search.error;
}

TEST(SunSpecDiscovery, AChainWithoutEndMarkerKeepsWhatItFound) {
  RegisterImage image = dump("DeviceFimerPVSDated20240722");
  image.mark_unreadable(41379, 2);  // the end marker
  DumpSource source(image, "fimer");
  const DeviceMap map = walk_models(source, 40000);
  EXPECT_FALSE(map.end_marker);
  EXPECT_EQ(map.models.size(), 19u);
  ASSERT_FALSE(map.notes.empty());
  EXPECT_NE(map.notes.back().find("register 41379"), std::string::npos) << map.notes.back();
}

TEST(SunSpecReading, UnreadableRegistersAreFoundByBisectionAndSkippedNextTime) {
  const std::string name = "DeviceSMASunnyBoy36_20250410";
  const RegisterImage reference = dump(name);
  DumpSource source(reference, name);
  const DeviceMap map = walk_models(source, 40000);
  const auto every = locations_of(map, {});
  ReadPlan plan(plan_blocks(every));
  for (const Block& block : plan.blocks()) EXPECT_LE(block.count, kMaxReadRegisters);
  RegisterImage image;
  const uint64_t before = source.requests();
  const PollOutcome first = plan.execute(source, image);
  EXPECT_FALSE(first.link_failed);
  EXPECT_EQ(first.unreadable, 110u);
  EXPECT_FALSE(first.faults.empty());
  const uint64_t first_requests = source.requests() - before;
  // Every point decodes as it does from the dump itself.
  const Snapshot read = decode_locations(every, image), direct = decode_locations(every, reference);
  ASSERT_EQ(read.models.size(), direct.models.size());
  for (size_t i = 0; i < read.models.size(); ++i) EXPECT_EQ(read.models[i].group, direct.models[i].group);
  // The second poll reads only what is readable, without exceptions, in fewer requests.
  RegisterImage again;
  const uint64_t mid = source.requests();
  const PollOutcome second = plan.execute(source, again);
  EXPECT_TRUE(second.faults.empty());
  EXPECT_EQ(second.unreadable, 110u);
  EXPECT_LT(source.requests() - mid, first_requests);
  EXPECT_EQ(decode_locations(every, again).models[10].group, direct.models[10].group);
}

TEST(SunSpecDecoder, ALengthShorterThanTheDefinitionDecodesWhatFitsAndSaysSo) {
  const RegisterImage image = dump("DeviceFimerPVSDated20240722");
  const ModelLocation common{1, 40002, 65};  // a legacy common model without its Pad
  const DecodedModel model = decode_model(*find_model(1), common, image);
  EXPECT_EQ(model.group["points"]["Mn"], "FIMER");
  EXPECT_TRUE(model.group["points"]["Pad"].is_null());
  ASSERT_FALSE(model.notes.empty());
  EXPECT_NE(model.notes[0].find("declared length 65"), std::string::npos) << model.notes[0];
}

TEST(SunSpecFunctions, APvInverterPublishesPowerEnergyAndMppts) {
  const RegisterImage image = dump("DeviceFimerPVSDated20240722");
  DumpSource source(image, "fimer");
  const DeviceMap map = walk_models(source, 40000);
  ASSERT_EQ(functions_of(map), std::vector<Function>{Function::pv});
  const Snapshot snapshot = decode_locations(locations_of(map, {}), image);
  const nlohmann::json state = function_state(Function::pv, snapshot);
  EXPECT_EQ(state["power"], 141380.0);
  EXPECT_EQ(state["energy"], 459493000.0);
  EXPECT_EQ(state["state"], "mppt");
  EXPECT_EQ(state["temperature"], 53.5);
  EXPECT_EQ(state["dc_power_1"], 12260.0);
  EXPECT_TRUE(state.contains("dc_power_12"));
  EXPECT_EQ(identity_of(snapshot).manufacturer, "FIMER");
}

// SMA's Sunny Boy has models 123 and 124: the controls are written into the dump-backed device and read back.
TEST(SunSpecControls, BatterySetpointAndPvLimitAreWrittenAndVerified) {
  const RegisterImage image = dump("DeviceSMASunnyBoy36Dated20250608");
  DumpSource device(image, "sma");
  const DeviceMap map = walk_models(device, 40000);
  EXPECT_EQ(functions_of(map), (std::vector<Function>{Function::pv, Function::battery}));
  Snapshot snapshot = decode_locations(locations_of(map, {}), device.image());
  const auto rating = pv_rating_w(snapshot);
  ASSERT_TRUE(rating);
  const auto limit = plan_pv_limit(map, snapshot, *rating / 2, 600);
  ASSERT_TRUE(limit) << limit.error();
  ASSERT_TRUE(execute_plan(device, *limit));
  snapshot = decode_locations(locations_of(map, {}), device.image());
  const DecodedModel* controls = snapshot.find(123);
  EXPECT_EQ(controls->number("WMaxLim_Ena"), 1.0);
  EXPECT_NEAR(*controls->number("WMaxLimPct"), 50.0, 0.5);
  EXPECT_EQ(controls->number("WMaxLimPct_RvrtTms"), 600.0);

  const auto base = snapshot.find(124)->number("WChaMax");
  if (base && *base > 0) {
    const auto setpoint = plan_battery_setpoint(map, snapshot, -*base / 4, 900);
    ASSERT_TRUE(setpoint) << setpoint.error();
    ASSERT_TRUE(execute_plan(device, *setpoint));
    snapshot = decode_locations(locations_of(map, {}), device.image());
    const DecodedModel* storage = snapshot.find(124);
    EXPECT_EQ(storage->number("StorCtl_Mod"), 3.0);
    EXPECT_NEAR(*storage->number("OutWRte"), -25.0, 0.1);
    EXPECT_NEAR(*storage->number("InWRte"), 25.0, 0.1);
    EXPECT_EQ(storage->number("InOutWRte_RvrtTms"), 900.0);
  } else {
    const auto refused = plan_battery_setpoint(map, snapshot, -1000, 900);
    EXPECT_FALSE(refused);
    EXPECT_NE(refused.error().find("WChaMax"), std::string::npos) << refused.error();
  }
  EXPECT_FALSE(plan_battery_setpoint(map, snapshot, 100, 0));  // never "no revert"
}

// A device that acknowledges every write but keeps one register as it was (as a device clamping a value does).
class StubbornDevice : public DumpSource {
 public:
  StubbornDevice(RegisterImage image, uint32_t kept)
      : DumpSource(std::move(image), "stubborn"), kept_(kept) {}
  ReadResult write(uint32_t address, std::span<const uint16_t> words) override {
    if (address <= kept_ && kept_ < address + words.size()) return ReadResult::success({});
    return DumpSource::write(address, words);
  }

 private:
  uint32_t kept_;
};

TEST(SunSpecControls, ARefusedWriteOrADifferentReadBackIsAnErrorNamingTheRegister) {
  RegisterImage image = dump("DeviceSMASunnyBoy36Dated20250608");
  DumpSource device(image, "sma");
  const DeviceMap map = walk_models(device, 40000);
  const Snapshot snapshot = decode_locations(locations_of(map, {}), image);
  auto plan = plan_pv_limit(map, snapshot, 100, 60);
  ASSERT_TRUE(plan) << plan.error();
  // A write into an unreadable register is refused like a device refuses it.
  ControlPlan refused = *plan;
  refused.writes[0].address = 39000;
  const Status error = execute_plan(device, refused);
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().find("refused"), std::string::npos) << error.error();
  EXPECT_NE(error.error().find("39000"), std::string::npos) << error.error();

  const PointWrite& first = plan->writes[0];
  StubbornDevice stubborn(image, first.address);
  const Status unverified = execute_plan(stubborn, *plan);
  ASSERT_FALSE(unverified);
  EXPECT_NE(unverified.error().find("read back"), std::string::npos) << unverified.error();
  EXPECT_NE(unverified.error().find(std::to_string(first.address)), std::string::npos) << unverified.error();
}

}  // namespace
}  // namespace hepek::sunspec
