// The fix mapping (gps_fix.hpp): a gps_data_t filled as libgps fills it from gpsd's TPV and SKY reports, mapped
// to the `location` state; NaN, out-of-range values, a missing time and an impossible time never reach the
// state, and the state conforms to the interface.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include <hepek/interfaces.hpp>

#include "gps_fix.hpp"

namespace hepek::gps {
namespace {

// A gps_data_t as libgps leaves it after a TPV: every field gpsd did not send is NaN (or 0 for the time).
std::unique_ptr<gps_data_t> tpv(int mode, double lat, double lon) {
  auto data = std::make_unique<gps_data_t>();
  gps_fix_t& fix = data->fix;
  fix.mode = mode;
  fix.latitude = lat;
  fix.longitude = lon;
  fix.altMSL = fix.altHAE = fix.eph = NAN;
  data->dop.hdop = NAN;
  return data;
}

// The bu353s4 log's 03:07:20 report (gpsd's own .chk): TPV mode 3 and the SKY before it.
std::unique_ptr<gps_data_t> bu353s4_fix() {
  auto data = tpv(MODE_3D, -37.784791667, 175.314896667);
  data->fix.altMSL = 59.8;
  data->fix.eph = 20.9;
  data->fix.time = {1419995240, 0};  // 2014-12-31T03:07:20.000Z
  data->satellites_used = 8;
  data->dop.hdop = 1.1;
  return data;
}

}  // namespace

TEST(GpsFix, AThreeDimensionalFixFillsEveryField) {
  const Fix fix = fix_of(*bu353s4_fix(), true);
  EXPECT_EQ(fix.mode, "3d");
  EXPECT_EQ(fix.problem, "");
  const nlohmann::json state = location_state(fix, 1419995240000 - 1500, 2);
  EXPECT_EQ(
      state.dump(),
      R"({"altitude":59.8,"eph":20.9,"errors":2,"gps_time":"2014-12-31T03:07:20.000Z","hdop":1.1,)"
      R"("latitude":-37.784791667,"longitude":175.314896667,"mode":"3d","satellites_used":8,"stale":false,)"
      R"("time_offset_s":1.5})");
}

TEST(GpsFix, ATwoDimensionalFixHasNoAltitudeAndNoSkyMeansNoSatellites) {
  auto data = bu353s4_fix();
  data->fix.mode = MODE_2D;
  const nlohmann::json state = location_state(fix_of(*data, /*sky_seen=*/false), 0, 0);
  EXPECT_EQ(state["mode"], "2d");
  EXPECT_EQ(state["latitude"], -37.784791667);
  EXPECT_TRUE(state["altitude"].is_null());
  EXPECT_TRUE(state["satellites_used"].is_null());
  EXPECT_TRUE(state["hdop"].is_null());
}

TEST(GpsFix, NoFixKeepsTheTimeButNoPosition) {
  auto data = tpv(MODE_NO_FIX, NAN, NAN);
  data->fix.time = {1110965882, 250'000'000};
  const nlohmann::json state = location_state(fix_of(*data, false), 1110965882250, 0);
  EXPECT_EQ(state["mode"], "none");
  EXPECT_TRUE(state["latitude"].is_null());
  EXPECT_EQ(state["gps_time"], "2005-03-16T09:38:02.250Z");
  EXPECT_EQ(state["time_offset_s"], 0.0);
  EXPECT_TRUE(fix_of(*tpv(MODE_NOT_SEEN, 1, 2), false).latitude == std::nullopt);
}

TEST(GpsFix, ImplausibleValuesAreLeftOutAndNamed) {
  for (const auto& [lat, lon] : {std::pair{NAN, 4.0}, {52.0, INFINITY}, {90.5, 4.0}, {52.0, -180.01}}) {
    const Fix fix = fix_of(*tpv(MODE_3D, lat, lon), true);
    EXPECT_EQ(fix.mode, "none") << lat << "," << lon;
    EXPECT_FALSE(fix.latitude || fix.longitude || fix.altitude);
    EXPECT_NE(fix.problem.find("3D fix without a valid latitude/longitude"), std::string::npos)
        << fix.problem;
  }
  auto data = bu353s4_fix();
  data->fix.altMSL = 1e12;
  data->fix.eph = -1;
  data->dop.hdop = INFINITY;
  data->satellites_used = -3;
  const Fix fix = fix_of(*data, true);
  EXPECT_EQ(fix.mode, "3d");
  EXPECT_FALSE(fix.altitude || fix.eph || fix.hdop || fix.satellites_used);
  data->fix.time = {-5, 0};
  EXPECT_FALSE(fix_of(*data, true).time_ms);
  EXPECT_NE(fix_of(*data, true).problem.find("a time outside 1970..9999"), std::string::npos);
  data->fix.time = {1419995240, 2'000'000'000};  // nanoseconds out of range
  EXPECT_FALSE(fix_of(*data, true).time_ms);
}

TEST(GpsFix, TheStatesConformToTheLocationInterface) {
  Device device{"gps", "GPS", interfaces::canonical_entities(interfaces::kLocation)};
  device.implements("location");
  ASSERT_TRUE(interfaces::check_implements(device.to_json(), interfaces::kLocation));
  for (const nlohmann::json& state : {location_state(fix_of(*bu353s4_fix(), true), 0, 0), stale_state(7)})
    for (const auto& field : interfaces::find_interface(interfaces::kLocation)->fields)
      EXPECT_TRUE(state.contains(field.field)) << field.field << " in " << state.dump();
  EXPECT_EQ(stale_state(7)["stale"], true);
  EXPECT_EQ(stale_state(7)["mode"], "none");
  EXPECT_EQ(stale_state(7)["errors"], 7);
}

}  // namespace hepek::gps
