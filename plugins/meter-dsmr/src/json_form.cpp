#include "json_form.hpp"

#include <fmt/format.h>

namespace hepek::dsmr {

nlohmann::ordered_json field_to_json(const Field& field) {
  if (!field.number) return field.text;
  if (field.number->scale() == 0) return field.number->mantissa();
  return field.number->to_double();
}

nlohmann::ordered_json telegram_to_json(const Telegram& telegram, std::size_t first_line) {
  nlohmann::ordered_json obis = nlohmann::ordered_json::object();
  for (const auto& object : telegram.objects) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    const Field* value = object.value();
    entry["value"] = value ? field_to_json(*value) : nlohmann::ordered_json(nullptr);
    if (value && !value->unit.empty()) entry["unit"] = value->unit;
    if (object.timestamp) entry["timestamp"] = object.timestamp->iso8601();
    if (object.multi_value()) {
      nlohmann::ordered_json values = nlohmann::ordered_json::array();
      for (const auto& field : object.fields) values.push_back(field_to_json(field));
      entry["values"] = std::move(values);
    }
    obis[object.obis] = std::move(entry);
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["ok"] = true;
  out["crc"] = telegram.crc ? nlohmann::ordered_json(fmt::format("{:04X}", *telegram.crc))
                            : nlohmann::ordered_json(nullptr);
  out["header"] = telegram.header;
  out["timestamp"] = telegram.timestamp ? nlohmann::ordered_json(telegram.timestamp->iso8601())
                                        : nlohmann::ordered_json(nullptr);
  out["obis"] = std::move(obis);
  if (!telegram.problems.empty())
    out["problems"] = problems_to_json<nlohmann::ordered_json>(telegram.problems, first_line);
  return out;
}

nlohmann::ordered_json rejection_to_json(const std::string& error) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["ok"] = false;
  out["error"] = error;
  return out;
}

}  // namespace hepek::dsmr
