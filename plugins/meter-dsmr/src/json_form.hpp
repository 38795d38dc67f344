// The JSON form of a telegram printed by `hepek dsmr parse`, one object per telegram:
//   {"ok":true,"crc":"6796","header":"/KFM5KAIFA-METER","timestamp":"2016-11-13T20:57:57+01:00",
//    "obis":{"1-0:1.8.1":{"value":1581.123,"unit":"kWh"},"0-0:96.14.0":{"value":"0002"},...}}
//   {"ok":false,"error":"..."}
// Rules: a value with a unit is a JSON number (an integer when written without decimals), a value without a
// unit is the string as written; a line with several values also gets "values" (every value in order, by the
// same rule) and "value" is its last reading (null for an empty profile buffer), with "timestamp" (ISO 8601)
// when the reading has its own capture time; "crc" is the telegram's CRC as 4 upper-case hex digits, or null;
// "timestamp" is 0-0:1.0.0 in ISO 8601 with its offset, or null. Keys keep telegram order. A telegram accepted
// with lines left out (Telegram::problems) also has "problems":[{"line":12,"text":"...","error":"..."}], lines
// counted from `first_line` (the stream line of its '/'; 1 = within the telegram). Pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "telegram.hpp"

namespace hepek::dsmr {

nlohmann::ordered_json field_to_json(const Field& field);
// [{"line":12,"text":"...","error":"..."}, ...]: for `hepek dsmr parse` (ordered_json) and the meter state (json).
template <class Json>
Json problems_to_json(const std::vector<LineProblem>& problems, std::size_t first_line = 1) {
  Json out = Json::array();
  for (const auto& problem : problems) {
    Json item = Json::object();
    item["line"] = first_line + static_cast<std::size_t>(problem.line) - 1;
    item["text"] = problem.text;
    item["error"] = problem.message;
    out.push_back(std::move(item));
  }
  return out;
}

nlohmann::ordered_json telegram_to_json(const Telegram& telegram, std::size_t first_line = 1);
nlohmann::ordered_json rejection_to_json(const std::string& error);

}  // namespace hepek::dsmr
