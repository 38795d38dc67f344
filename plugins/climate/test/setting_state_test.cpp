// The user's setting and the planner's overrides on an injected clock: expiry of every field kind, a user
// command ending an override, echoes and stale reports vs. changes made on the unit, and the store.
#include <gtest/gtest.h>

#include <fstream>

#include "setting_state.hpp"
#include "setting_store.hpp"
#include "test_support.hpp"

namespace hepek::climate {
namespace {

Setting target(double celsius) {
  Setting s;
  s[Field::target_temperature] = celsius;
  return s;
}
Setting mode(const std::string& m) {
  Setting s;
  s[Field::hvac_mode] = m;
  return s;
}
double target_of(const Setting& s) {
  return s[Field::target_temperature]->get<double>();
}
std::string mode_of(const Setting& s) {
  return s[Field::hvac_mode]->get<std::string>();
}
const FieldsToSend kTarget = {true, false, false};
const FieldsToSend kMode = {false, true, false};
const FieldsToSend kNone = {false, false, false};

TEST(SettingState, UserCommandsChangeTheUsersSetting) {
  SettingState state;
  EXPECT_EQ(state.command(target(21), std::nullopt, 0), kTarget);
  EXPECT_EQ(state.command(mode("heat"), std::nullopt, 0), kMode);
  EXPECT_EQ(target_of(state.user()), 21);
  EXPECT_EQ(mode_of(state.effective()), "heat");
  EXPECT_FALSE(state.override_until_ms());
}

TEST(SettingState, TargetOverrideLapsesBackToTheUser) {
  SettingState state(target(21));
  EXPECT_EQ(state.command(target(25), 2.0, 1000), kTarget);
  EXPECT_EQ(*state.override_until_ms(), 3000);
  EXPECT_EQ(target_of(state.effective()), 25);
  EXPECT_EQ(target_of(state.user()), 21);
  EXPECT_EQ(state.expire(2999), kNone);
  EXPECT_EQ(state.expire(3000), kTarget);
  EXPECT_EQ(target_of(state.effective()), 21);
  EXPECT_FALSE(state.override_until_ms());
  EXPECT_EQ(state.expire(10000), kNone);
}

TEST(SettingState, ModeOverrideLapsesAndOverridesMergeAndExtend) {
  Setting user = target(21);
  user[Field::hvac_mode] = "heat";
  SettingState state(user);
  state.command(mode("off"), 1.0, 0);
  state.command(target(18), 5.0, 500);  // extends and joins the override
  EXPECT_EQ(mode_of(state.effective()), "off");
  EXPECT_EQ(target_of(state.effective()), 18);
  EXPECT_EQ(state.expire(1000), kNone);
  EXPECT_EQ(state.expire(5500), (FieldsToSend{true, true, false}));
  EXPECT_EQ(mode_of(state.effective()), "heat");
  EXPECT_EQ(target_of(state.effective()), 21);
}

TEST(SettingState, AUserCommandEndsTheOverride) {
  Setting user = target(21);
  user[Field::hvac_mode] = "heat";
  SettingState state(user);
  state.command(mode("off"), 60.0, 0);
  // The user sets a temperature: the override ends, so the mode goes back to the user's too.
  EXPECT_EQ(state.command(target(23), std::nullopt, 10), (FieldsToSend{true, true, false}));
  EXPECT_FALSE(state.override_until_ms());
  EXPECT_EQ(mode_of(state.effective()), "heat");
  EXPECT_EQ(target_of(state.effective()), 23);
  EXPECT_EQ(state.expire(60'000), kNone);
}

TEST(SettingState, EchoesStaleReportsAndChangesOnTheUnit) {
  SettingState state(target(21), /*echo_grace_ms=*/1000);
  FieldsToSend give_back{};
  state.command(target(24), 60.0, 0);
  state.sent(Field::target_temperature, 0);
  EXPECT_EQ(state.report(Field::target_temperature, 21.0, 100, give_back), ReportKind::stale);  // in flight
  EXPECT_EQ(state.report(Field::target_temperature, 24.01, 200, give_back), ReportKind::echo);
  // Confirmed: someone turning the unit to 19 °C right after is the user's setting, and the override is over.
  EXPECT_EQ(state.report(Field::target_temperature, 19.0, 300, give_back), ReportKind::user_change);
  EXPECT_EQ(give_back, kNone);
  EXPECT_EQ(target_of(state.user()), 19);
  EXPECT_FALSE(state.override_until_ms());
  // A mode reported by a unit that had none known yet is the user's.
  EXPECT_EQ(state.report(Field::hvac_mode, "cool", 5000, give_back), ReportKind::user_change);
  EXPECT_EQ(mode_of(state.user()), "cool");
}

TEST(SettingState, AnUnconfirmedCommandStopsShieldingAfterTheGrace) {
  SettingState state(target(21), /*echo_grace_ms=*/1000);
  FieldsToSend give_back{};
  state.command(target(30), std::nullopt, 0);
  state.sent(Field::target_temperature, 0);
  EXPECT_EQ(state.report(Field::target_temperature, 21.0, 999, give_back), ReportKind::stale);
  // The unit never took 30 (it clamps at 28, say): after the grace its report is what it has.
  EXPECT_EQ(state.report(Field::target_temperature, 28.0, 1000, give_back), ReportKind::user_change);
  EXPECT_EQ(target_of(state.user()), 28);
}

TEST(SettingState, AChangeOnTheUnitGivesBackTheOtherOverriddenFields) {
  Setting user = target(21);
  user[Field::hvac_mode] = "cool";
  SettingState state(user, 0);
  state.command(mode("off"), 60.0, 0);
  FieldsToSend give_back{};
  EXPECT_EQ(state.report(Field::target_temperature, 20.0, 10, give_back), ReportKind::user_change);
  EXPECT_EQ(give_back, kMode);
  EXPECT_EQ(mode_of(state.effective()), "cool");
}

TEST(SettingStore, RoundTripsAtomicallyAndNamesABadFile) {
  const hepek::testing::TempDir dir;
  const SettingStore store(dir.file("sub/climate-setting.json"));
  EXPECT_FALSE(store.load());
  Setting user = target(21.5);
  user[Field::fan_mode] = "low";
  store.save(user);
  const auto loaded = store.load();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->to_json(), user.to_json());
  std::ofstream(dir.file("sub/climate-setting.json")) << "{torn";
  try {
    store.load();
    FAIL() << "a torn file was read";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("climate-setting.json"), std::string::npos);
  }
  EXPECT_EQ(Setting::from_json({{"target_temperature", "hot"}, {"hvac_mode", "heat"}}).to_json(),
            (nlohmann::json{{"hvac_mode", "heat"}}));
}

}  // namespace
}  // namespace hepek::climate
