#include "operator_prices.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "hepek/eth/personal_message.hpp"

namespace hepek::tariff {
namespace {

timeseries::Instant parse_time(const nlohmann::json& value, const std::string& where) {
  if (!value.is_string())
    throw std::invalid_argument(where + " must be an ISO 8601 string with a UTC offset");
  const auto instant = timeseries::parse_iso8601(value.get<std::string>());
  if (!instant)
    throw std::invalid_argument(where + " '" + value.get<std::string>() +
                                "' is not ISO 8601 with a UTC offset");
  return *instant;
}

MicroEurPerMwh parse_price(const nlohmann::json& value, const std::string& where) {
  if (value.is_string()) {
    if (const auto micro = parse_decimal_micro(value.get<std::string>())) return *micro;
    throw std::invalid_argument(where + " '" + value.get<std::string>() +
                                "' is not a decimal price (e.g. \"95.12\", at most 6 decimals)");
  }
  if (value.is_number()) {
    try {
      return micro_from_eur_per_mwh(value.get<double>());
    } catch (const std::exception& error) {
      throw std::invalid_argument(where + ": " + error.what());
    }
  }
  throw std::invalid_argument(where + " must be a decimal string or a number (EUR/MWh)");
}

}  // namespace

std::string OperatorPriceMessage::canonical_text() const {
  std::string text = fmt::format("HEPEK operator prices v1\nissued: {}\nresolution_s: {}\n",
                                 timeseries::format_iso8601(issued_s, issued_offset_minutes), resolution_s);
  for (const auto& entry : prices)
    text += fmt::format("{} {}\n", timeseries::format_iso8601(entry.start_s, entry.offset_minutes),
                        canonical_decimal(entry.price));
  return text;
}

eth::Bytes32 OperatorPriceMessage::digest() const {
  return eth::personal_message_digest(canonical_text());
}

void OperatorPriceMessage::sign(const eth::PrivateKey& operator_key) {
  signature = eth::sign_personal_message(operator_key, canonical_text());
}

std::string OperatorPriceMessage::verify(const eth::Address& expected_operator) const {
  try {
    const eth::Address signer = eth::recover_personal_message_signer(canonical_text(), signature);
    if (signer != expected_operator)
      return fmt::format("signed by {}, not by the configured operator {}", signer.checksummed(),
                         expected_operator.checksummed());
    return {};
  } catch (const std::exception& error) {
    return std::string("bad signature: ") + error.what();
  }
}

std::vector<SpotPoint> OperatorPriceMessage::normalised_points() const {
  std::vector<Entry> sorted = prices;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry& a, const Entry& b) { return a.start_s < b.start_s; });
  std::vector<SpotPoint> points;
  for (const auto& entry : sorted) {
    if (!points.empty() && points.back().start_s == entry.start_s) {
      if (points.back().high != entry.price)
        throw std::invalid_argument(fmt::format(
            "prices: two different prices ({} and {} EUR/MWh) for {}", canonical_decimal(points.back().high),
            canonical_decimal(entry.price), timeseries::format_iso8601(entry.start_s, entry.offset_minutes)));
      continue;  // an identical duplicate says nothing new
    }
    if ((entry.start_s - sorted.front().start_s) % resolution_s != 0)
      throw std::invalid_argument(fmt::format("prices: {} is off the {}-second grid",
                                              timeseries::format_iso8601(entry.start_s, entry.offset_minutes),
                                              resolution_s));
    points.push_back({entry.start_s, entry.offset_minutes, entry.price, entry.price, false});
  }
  return points;
}

nlohmann::json OperatorPriceMessage::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& entry : prices)
    list.push_back(
        {timeseries::format_iso8601(entry.start_s, entry.offset_minutes), canonical_decimal(entry.price)});
  return {{"issued", timeseries::format_iso8601(issued_s, issued_offset_minutes)},
          {"resolution_s", resolution_s},
          {"prices", std::move(list)},
          {"signature", eth::to_hex(signature)}};
}

OperatorPriceMessage OperatorPriceMessage::from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("operator prices: the message is not a JSON object");
  for (const char* key : {"issued", "resolution_s", "prices", "signature"})
    if (!json.contains(key))
      throw std::invalid_argument(std::string("operator prices: \"") + key + "\" is missing");
  OperatorPriceMessage message;
  const auto issued = parse_time(json.at("issued"), "operator prices: issued");
  message.issued_s = issued.unix_s;
  message.issued_offset_minutes = issued.offset_minutes;
  const auto& resolution = json.at("resolution_s");
  if (!resolution.is_number_integer() || resolution.get<std::int64_t>() < 60 ||
      resolution.get<std::int64_t>() > 86400)
    throw std::invalid_argument(
        "operator prices: resolution_s must be an integer number of seconds, 60..86400");
  message.resolution_s = resolution.get<std::int64_t>();
  const auto& list = json.at("prices");
  if (!list.is_array() || list.empty())
    throw std::invalid_argument("operator prices: prices must be a non-empty array");
  if (list.size() > kMaxOperatorPriceEntries)
    throw std::invalid_argument(fmt::format("operator prices: {} entries, at most {} accepted", list.size(),
                                            kMaxOperatorPriceEntries));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("operator prices: prices[{}]", i);
    const auto& item = list[i];
    if (!item.is_array() || item.size() != 2) throw std::invalid_argument(where + " must be [start, price]");
    const auto start = parse_time(item[0], where + "[0]");
    message.prices.push_back({start.unix_s, start.offset_minutes, parse_price(item[1], where + "[1]")});
  }
  const auto& signature = json.at("signature");
  if (!signature.is_string()) throw std::invalid_argument("operator prices: signature must be a hex string");
  message.signature = eth::from_hex(signature.get<std::string>(), "operator prices: signature");
  if (message.signature.size() != 65)
    throw std::invalid_argument(
        fmt::format("operator prices: signature has {} bytes, expected 65", message.signature.size()));
  return message;
}

}  // namespace hepek::tariff
