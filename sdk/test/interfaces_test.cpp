// Device interfaces: the catalogue, the Device builder's version-2 document, check_implements() naming what
// is wrong, version-1 documents, and the directory consumers look devices up in.
#include <gtest/gtest.h>

#include <hepek/interfaces.hpp>

using namespace hepek;
using namespace hepek::interfaces;

namespace {

Device grid_meter(std::string name = "meter") {
  return Device{std::move(name), "Meter", canonical_entities(kGridMeter)}.implements("grid_meter", "grid");
}

void expect_failure(const Status& status, const std::string& fragment) {
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().find(fragment), std::string::npos) << status.error();
}

}  // namespace

TEST(Interfaces, CatalogueNamesEveryInterfaceTheContractPromises) {
  for (const char* name : {"grid_meter", "pv_inverter", "battery", "load", "climate", "temperature_sensor",
                           "switch", "flexible_load", "position", "location"}) {
    const InterfaceSpec* spec = find_interface(name);
    ASSERT_NE(spec, nullptr) << name;
    // A conforming device built from the canonical entities implements it.
    Device device{"d", "D", canonical_entities(name)};
    device.implements(name);
    EXPECT_TRUE(check_implements(device.to_json(), name).ok())
        << name << ": " << check_implements(device.to_json(), name).error();
  }
  EXPECT_EQ(find_interface("toaster"), nullptr);
  EXPECT_THROW(canonical_entities("toaster"), std::invalid_argument);
  // Sign conventions are part of the field's meaning.
  EXPECT_NE(find_interface("grid_meter")->fields[0].meaning.find("+ = import"), std::string::npos);
  EXPECT_NE(find_interface("battery")->fields[1].meaning.find("+ = discharge"), std::string::npos);
}

TEST(Interfaces, DeviceWithInterfacesIsSchemaTwoAndWithoutIsVersionOne) {
  EXPECT_EQ(
      grid_meter().to_json().dump(),
      R"({"device":"meter","entities":[)"
      R"({"device_class":"power","field":"power","name":"power","state_class":"measurement","unit":"W"},)"
      R"({"device_class":"energy","field":"energy_import","name":"energy_import",)"
      R"("state_class":"total_increasing","unit":"Wh"}],)"
      R"("interfaces":[{"name":"grid_meter","role":"grid"}],"manufacturer":"HEPEK","model":"","name":"Meter",)"
      R"("schema":2})");
  const auto v1 = Device{"probe", "Probe", {integer_command("level", 0, 10)}}.to_json();
  EXPECT_EQ(v1.at("schema"), 1);
  EXPECT_FALSE(v1.contains("interfaces"));
}

TEST(Interfaces, CheckNamesTheDeviceInterfaceAndField) {
  EXPECT_TRUE(check_implements(grid_meter().to_json(), kGridMeter, kRoleGrid).ok());
  expect_failure(check_implements(grid_meter().to_json(), kGridMeter, kRoleSubmeter),
                 "device \"meter\" implements \"grid_meter\" with role \"grid\", not \"submeter\"");
  expect_failure(check_implements(grid_meter().to_json(), kBattery),
                 "does not declare the \"battery\" interface");

  // The review's finding: a meter publishing import_wh (and nothing canonical) is refused, with the reason.
  Device legacy{"grid", "Grid", {sensor("power", "W", "power", "measurement"), energy_counter("import_wh")}};
  legacy.implements("grid_meter", "grid");
  expect_failure(check_implements(legacy.to_json(), kGridMeter),
                 "device \"grid\" lacks the field \"energy_import\" of interface \"grid_meter\"");

  Device kwh{"m",
             "M",
             {sensor("power", "W", "power", "measurement"),
              sensor("energy_import", "kWh", "energy", "total_increasing")}};
  kwh.implements("grid_meter");
  expect_failure(check_implements(kwh.to_json(), kGridMeter),
                 "field \"energy_import\" of interface \"grid_meter\" has unit \"kWh\", expected \"Wh\"");

  Device bad_role = grid_meter();
  bad_role.interfaces[0].role = "neighbour";
  expect_failure(check_implements(bad_role.to_json(), kGridMeter), "unknown role \"neighbour\"");

  Device battery{"b",
                 "B",
                 {sensor("soc", "%", "battery", "measurement"), sensor("power", "W", "power", "measurement"),
                  number_command("setpoint_w", -5000, 5000, "W", "power")}};
  battery.implements("battery");
  expect_failure(check_implements(battery.to_json(), kBattery), "lacks the command \"expires_s\"");

  Device relay{"r", "R", {enum_command("state", {"open", "closed"})}};
  relay.implements("switch", "supply");
  expect_failure(check_implements(relay.to_json(), kSwitch),
                 "command \"state\" of interface \"switch\" does not accept \"on\"");
}

TEST(Interfaces, VersionOneMetadataIsReadButImplementsNothing) {
  const auto v1 = nlohmann::json::parse(
      R"({"schema":1,"device":"meter","entities":[{"field":"power","unit":"W"},{"field":"energy_import","unit":"Wh"}]})");
  const auto declared = declared_interfaces(v1);
  ASSERT_TRUE(declared.ok());
  EXPECT_TRUE(declared->empty());
  expect_failure(check_implements(v1, kGridMeter), "version-1 metadata without \"interfaces\"");
  EXPECT_FALSE(declared_interfaces(nlohmann::json::parse(R"({"interfaces":{}})")).ok());
  EXPECT_FALSE(declared_interfaces(nlohmann::json::parse(R"({"interfaces":[{"role":"grid"}]})")).ok());
  EXPECT_FALSE(check_implements(nlohmann::json(42), kGridMeter).ok());
}

TEST(Interfaces, DirectoryFindsDevicesByInterfaceAndRole) {
  DeviceDirectory directory;
  directory.on_config("meter", grid_meter("meter").to_json().dump());
  auto sub = grid_meter("heatpump-meter");
  sub.interfaces[0].role = "submeter";
  directory.on_config("heatpump-meter", sub.to_json().dump());
  directory.on_config("junk", "{not json");
  directory.on_config("probe", Device{"probe", "P", {}}.to_json().dump());
  EXPECT_EQ(directory.find(kGridMeter, kRoleGrid), std::vector<std::string>{"meter"});
  EXPECT_EQ(directory.find(kGridMeter), (std::vector<std::string>{"heatpump-meter", "meter"}));
  EXPECT_TRUE(directory.find(kBattery).empty());
  EXPECT_EQ(directory.config("junk"), nullptr);
  directory.on_config("meter", "");  // the retained config was cleared
  EXPECT_TRUE(directory.find(kGridMeter, kRoleGrid).empty());
}
