#include "meter_state.hpp"

#include <hepek/interfaces.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "json_form.hpp"

namespace hepek::dsmr {
namespace {

const Field* reading(const Telegram& telegram, const char* obis) {
  const CosemObject* object = telegram.find(obis);
  return object ? object->value() : nullptr;
}

// Energy in Wh, exact for meters' three decimals of kWh (rounded to the Wh otherwise).
std::optional<int64_t> watt_hours(const Field* field) {
  if (!field || !field->number) return std::nullopt;
  if (field->unit == "kWh") return field->number->scaled(3);
  if (field->unit == "Wh") return field->number->scaled(0);
  if (field->unit == "MWh") return field->number->scaled(6);
  return std::nullopt;
}

std::optional<int64_t> watts(const Field* field) {
  if (!field || !field->number) return std::nullopt;
  if (field->unit == "kW") return field->number->scaled(3);
  if (field->unit == "W") return field->number->scaled(0);
  return std::nullopt;
}

std::optional<double> in_unit(const Field* field, const char* unit) {
  if (!field || !field->number || field->unit != unit) return std::nullopt;
  return field->number->to_double();
}

void put(nlohmann::json& state, const char* key, const auto& value) {
  if (value) state[key] = *value;
}

void add_counters(nlohmann::json& state, const Telegram& telegram, const char* direction, const char* code) {
  const auto tariff1 = watt_hours(reading(telegram, (std::string("1-0:") + code + ".8.1").c_str()));
  const auto tariff2 = watt_hours(reading(telegram, (std::string("1-0:") + code + ".8.2").c_str()));
  const auto total = watt_hours(reading(telegram, (std::string("1-0:") + code + ".8.0").c_str()));
  const std::string prefix = std::string("energy_") + direction;
  put(state, (prefix + "_tariff1").c_str(), tariff1);
  put(state, (prefix + "_tariff2").c_str(), tariff2);
  if (total)
    state[prefix] = *total;
  else if (tariff1 || tariff2)
    state[prefix] = tariff1.value_or(0) + tariff2.value_or(0);
}

// What an M-Bus device type (0-n:24.1.0, EN 13757-3) measures.
const char* mbus_kind(std::optional<int> device_type) {
  if (!device_type) return "unknown";
  switch (*device_type) {
    case 2:
      return "electricity";
    case 3:
      return "gas";
    case 4:
    case 12:
    case 13:
      return "heat";  // outlet, inlet, heat/cooling
    case 6:
    case 21:
      return "warm_water";
    case 7:
    case 22:
      return "water";  // water, cold water
    case 10:
    case 11:
      return "cooling";
    default:
      return "other";
  }
}

struct MbusChannel {
  int channel = 0;
  std::optional<int> device_type;
  const Field* equipment_id = nullptr;
  const CosemObject* reading = nullptr;  // the first 24.2.x / 24.3.0 line with a number
};

// "003" -> 3; nullopt for anything but 0..255 written as digits.
std::optional<int> small_integer(const std::string& text) {
  if (auto number = Decimal::parse(text);
      number && number->scale() == 0 && number->mantissa() >= 0 && number->mantissa() <= 255)
    return static_cast<int>(number->mantissa());
  return std::nullopt;
}

// M-Bus channels 1..n (0-n:...): device type 24.1.0, equipment id 96.1.0, reading 24.2.1 (DSMR 4/5), 24.2.3
// (e-MUCS, temperature-corrected gas), 24.3.0 (DSMR 2.2/3 profile), each with its own capture time.
std::vector<MbusChannel> mbus_channels(const Telegram& telegram) {
  std::map<int, MbusChannel> channels;
  for (const auto& object : telegram.objects) {
    const std::string& obis = object.obis;
    const std::size_t colon = obis.find(':');
    if (obis.compare(0, 2, "0-") != 0 || colon == std::string::npos || colon < 3) continue;
    const auto channel = small_integer(obis.substr(2, colon - 2));
    if (!channel || *channel == 0) continue;
    const std::string code = obis.substr(colon + 1);
    MbusChannel& entry = channels[*channel];
    entry.channel = *channel;
    if (code == "24.1.0" && object.value() && object.value()->unit.empty())
      entry.device_type = small_integer(object.value()->text);
    else if (code == "96.1.0")
      entry.equipment_id = object.value();
    else if ((code.rfind("24.2.", 0) == 0 || code == "24.3.0") && !entry.reading && object.value() &&
             object.value()->number)
      entry.reading = &object;
  }
  std::vector<MbusChannel> out;
  for (auto& [number, channel] : channels)
    if (channel.device_type || channel.equipment_id || channel.reading) out.push_back(channel);
  return out;
}

// Heat in GJ whatever energy unit the meter uses.
std::optional<double> gigajoules(const Field& field) {
  if (!field.number) return std::nullopt;
  const double value = field.number->to_double();
  if (field.unit == "GJ") return value;
  if (field.unit == "MJ") return value / 1000.0;
  if (field.unit == "kWh") return value * 0.0036;
  if (field.unit == "MWh") return value * 3.6;
  return std::nullopt;
}

// "mbus": every channel with its type, id, reading, unit and time; and the flat gas / water (m³) and heat (GJ)
// fields of the first channel of each kind (a channel without a type with an m³ reading counts as gas).
void add_mbus(nlohmann::json& state, const Telegram& telegram) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& channel : mbus_channels(telegram)) {
    nlohmann::json item = {{"channel", channel.channel}, {"kind", mbus_kind(channel.device_type)}};
    if (channel.device_type) item["device_type"] = *channel.device_type;
    if (channel.equipment_id && !channel.equipment_id->text.empty())
      item["equipment_id"] = channel.equipment_id->text;
    const Field* value = channel.reading ? channel.reading->value() : nullptr;
    if (value) {
      item["value"] = value->number->to_double();
      item["unit"] = value->unit;
      if (channel.reading->timestamp) item["ts"] = channel.reading->timestamp->iso8601();
    }
    list.push_back(std::move(item));
    if (!value) continue;
    const std::string kind = channel.device_type ? mbus_kind(channel.device_type) : "gas";
    std::optional<double> flat;
    if ((kind == "gas" || kind == "water") && value->unit == "m3") flat = value->number->to_double();
    if (kind == "heat") flat = gigajoules(*value);
    if (!flat || state.contains(kind)) continue;
    state[kind] = *flat;
    if (channel.reading->timestamp) state[kind + "_ts"] = channel.reading->timestamp->iso8601();
  }
  if (!list.empty()) state["mbus"] = std::move(list);
}

}  // namespace

nlohmann::json meter_state(const Telegram& telegram) {
  nlohmann::json state = nlohmann::json::object();
  add_counters(state, telegram, "import", "1");
  add_counters(state, telegram, "export", "2");
  const auto power_import = watts(reading(telegram, "1-0:1.7.0"));
  const auto power_export = watts(reading(telegram, "1-0:2.7.0"));
  put(state, "power_import", power_import);
  put(state, "power_export", power_export);
  if (power_import || power_export) state["power"] = power_import.value_or(0) - power_export.value_or(0);

  static constexpr struct {
    const char* suffix;
    const char* voltage;
    const char* current;
    const char* import;
    const char* export_;
  } kPhases[] = {{"l1", "1-0:32.7.0", "1-0:31.7.0", "1-0:21.7.0", "1-0:22.7.0"},
                 {"l2", "1-0:52.7.0", "1-0:51.7.0", "1-0:41.7.0", "1-0:42.7.0"},
                 {"l3", "1-0:72.7.0", "1-0:71.7.0", "1-0:61.7.0", "1-0:62.7.0"}};
  for (const auto& phase : kPhases) {
    const std::string s = phase.suffix;
    put(state, ("voltage_" + s).c_str(), in_unit(reading(telegram, phase.voltage), "V"));
    put(state, ("current_" + s).c_str(), in_unit(reading(telegram, phase.current), "A"));
    const auto in = watts(reading(telegram, phase.import));
    const auto out = watts(reading(telegram, phase.export_));
    put(state, ("power_import_" + s).c_str(), in);
    put(state, ("power_export_" + s).c_str(), out);
    if (in || out) state["power_" + s] = in.value_or(0) - out.value_or(0);
  }

  if (const Field* tariff = reading(telegram, "0-0:96.14.0")) state["tariff"] = tariff->text;
  add_mbus(state, telegram);

  put(state, "demand_average", watts(reading(telegram, "1-0:1.4.0")));
  if (const CosemObject* peak = telegram.find("1-0:1.6.0")) {
    put(state, "demand_peak_month", watts(peak->value()));
    if (peak->timestamp && state.contains("demand_peak_month"))
      state["demand_peak_month_ts"] = peak->timestamp->iso8601();
  }

  for (const auto& [key, obis] :
       {std::pair{"power_failures", "0-0:96.7.21"}, std::pair{"power_failures_long", "0-0:96.7.9"}})
    if (const Field* count = reading(telegram, obis))
      if (auto number = Decimal::parse(count->text); number && number->scale() == 0)
        state[key] = number->mantissa();

  if (telegram.timestamp) state["meter_ts"] = telegram.timestamp->iso8601();
  if (const Field* id = reading(telegram, "0-0:96.1.1")) state["equipment_id"] = id->text;
  if (const std::string version = telegram.version(); !version.empty()) state["dsmr_version"] = version;
  if (!telegram.problems.empty()) state["problems"] = problems_to_json<nlohmann::json>(telegram.problems);
  return state;
}

std::vector<hepek::Entity> meter_entities(const nlohmann::json& state) {
  static const std::vector<hepek::Entity> kCatalogue = [] {
    std::vector<hepek::Entity> all = {
        hepek::energy_counter("energy_import", "Energy imported"),
        hepek::energy_counter("energy_import_tariff1", "Energy imported, tariff 1"),
        hepek::energy_counter("energy_import_tariff2", "Energy imported, tariff 2"),
        hepek::energy_counter("energy_export", "Energy exported"),
        hepek::energy_counter("energy_export_tariff1", "Energy exported, tariff 1"),
        hepek::energy_counter("energy_export_tariff2", "Energy exported, tariff 2"),
        hepek::sensor("power", "W", "power", "measurement", "Grid power (+ import)"),
        hepek::sensor("power_import", "W", "power", "measurement", "Power imported"),
        hepek::sensor("power_export", "W", "power", "measurement", "Power exported"),
        hepek::sensor("gas", "m³", "gas", "total_increasing", "Gas"),
        hepek::text_sensor("gas_ts", "Gas reading time"),
        hepek::sensor("water", "m³", "water", "total_increasing", "Water"),
        hepek::text_sensor("water_ts", "Water reading time"),
        hepek::sensor("heat", "GJ", "energy", "total_increasing", "Heat"),
        hepek::text_sensor("heat_ts", "Heat reading time"),
        hepek::sensor("demand_average", "W", "power", "measurement", "Quarter-hour average demand"),
        hepek::sensor("demand_peak_month", "W", "power", "measurement", "Peak demand this month"),
        hepek::text_sensor("demand_peak_month_ts", "Peak demand time"),
        hepek::sensor("power_failures", "", "", "total_increasing", "Power failures"),
        hepek::sensor("power_failures_long", "", "", "total_increasing", "Long power failures"),
        hepek::text_sensor("tariff", "Active tariff"),
        hepek::text_sensor("meter_ts", "Meter time"),
        hepek::text_sensor("equipment_id", "Equipment id"),
        hepek::text_sensor("dsmr_version", "DSMR version"),
        hepek::sensor("telegrams_accepted", "", "", "total_increasing", "Telegrams accepted"),
        hepek::sensor("telegrams_rejected", "", "", "total_increasing", "Telegrams rejected"),
        hepek::sensor("telegrams_with_problems", "", "", "total_increasing",
                      "Telegrams accepted with lines left out"),
    };
    for (const auto& [suffix, label] :
         {std::pair{"l1", "L1"}, std::pair{"l2", "L2"}, std::pair{"l3", "L3"}}) {
      const std::string phase = suffix;
      const std::string name = label;
      all.push_back(hepek::sensor("voltage_" + phase, "V", "voltage", "measurement", "Voltage " + name));
      all.push_back(hepek::sensor("current_" + phase, "A", "current", "measurement", "Current " + name));
      all.push_back(
          hepek::sensor("power_" + phase, "W", "power", "measurement", "Power " + name + " (+ import)"));
      all.push_back(
          hepek::sensor("power_import_" + phase, "W", "power", "measurement", "Power imported " + name));
      all.push_back(
          hepek::sensor("power_export_" + phase, "W", "power", "measurement", "Power exported " + name));
    }
    return all;
  }();
  std::vector<hepek::Entity> present;
  for (const auto& entity : kCatalogue)
    if (state.contains(entity.field)) present.push_back(entity);
  return present;
}

hepek::Device meter_device(const std::string& name, const nlohmann::json& state, const std::string& header) {
  hepek::Device device(name, "Smart meter (P1)", meter_entities(state),
                       header.size() > 1 ? header.substr(1) : header,
                       header.size() >= 4 ? header.substr(1, 3) : "unknown");  // FLAG manufacturer id
  device.implements(std::string(interfaces::kGridMeter), std::string(interfaces::kRoleGrid));
  if (!interfaces::check_implements(device.to_json(), interfaces::kGridMeter)) device.interfaces.clear();
  return device;
}

}  // namespace hepek::dsmr
