#include "tariff_cli.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <hepek/json_limits.hpp>
#include <hepek/timeseries/iso8601.hpp>
#include <hepek/timeseries/local_calendar.hpp>
#include "csv_prices.hpp"
#include "operator_prices.hpp"

namespace hepek::tariff {
namespace {

// --name VALUE pairs and at most one positional argument.
struct Arguments {
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::string> positional;

  Arguments(const std::vector<std::string>& args, const std::vector<std::string>& known) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i].rfind("--", 0) != 0) {
        positional.push_back(args[i]);
        continue;
      }
      if (std::find(known.begin(), known.end(), args[i]) == known.end())
        throw std::invalid_argument("unknown option " + args[i]);
      if (i + 1 >= args.size()) throw std::invalid_argument(args[i] + " needs a value");
      options.emplace_back(args[i], args[i + 1]);
      ++i;
    }
  }
  std::string get(const std::string& name, bool required) const {
    for (const auto& [key, value] : options)
      if (key == name) return value;
    if (required) throw std::invalid_argument(name + " is required");
    return {};
  }
};

}  // namespace

std::string run_tariff_sign(const std::vector<std::string>& args, const eth::PrivateKey& key,
                            std::int64_t now_s) {
  const Arguments arguments(args, {"--prices", "--day", "--issued"});
  if (!arguments.positional.empty())
    throw std::invalid_argument("unexpected argument " + arguments.positional[0]);
  const std::string day = arguments.get("--day", true);
  if (const auto date = timeseries::parse_iso8601(day, timeseries::kDateOrDateTime);
      !date || !date->date_only)
    throw std::invalid_argument("--day '" + day + "' is not YYYY-MM-DD");
  const CsvPrices prices = read_csv_prices_file(arguments.get("--prices", true));
  const auto& grid = prices.grid;

  OperatorPriceMessage message;
  message.resolution_s = grid.step_s;
  if (const std::string issued = arguments.get("--issued", false); !issued.empty()) {
    const auto instant = timeseries::parse_iso8601(issued);
    if (!instant) throw std::invalid_argument("--issued '" + issued + "' is not ISO 8601 with a UTC offset");
    message.issued_s = instant->unix_s;
    message.issued_offset_minutes = instant->offset_minutes;
  } else {
    message.issued_s = now_s;
    message.issued_offset_minutes = grid.offset_at(now_s);
  }
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const std::int64_t start = grid.slot_start(k);
    if (grid.filled[k] || timeseries::format_iso8601(start, grid.offset_minutes[k]).compare(0, 10, day) != 0)
      continue;
    message.prices.push_back({start, grid.offset_minutes[k], grid.high[k]});
  }
  if (message.prices.empty()) throw std::invalid_argument("--prices has no prices on " + day);
  message.sign(key);
  return message.to_json().dump();
}

std::pair<int, std::string> run_tariff_verify(const std::vector<std::string>& args,
                                              const std::string& message) {
  const Arguments arguments(args, {"--operator"});
  const auto expected = eth::Address::parse(arguments.get("--operator", true), "--operator");
  const auto json = hepek::json_limits::parse_limited(message);
  try {
    if (!json) throw std::invalid_argument("the message: " + json.error());
    const auto parsed = OperatorPriceMessage::from_json(*json);
    if (const std::string problem = parsed.verify(expected); !problem.empty())
      throw std::invalid_argument(problem);
    const auto points = parsed.normalised_points();
    return {
        0,
        nlohmann::json{{"valid", true}, {"signer", expected.checksummed()}, {"slots", points.size()}}.dump()};
  } catch (const std::exception& error) {
    return {1, nlohmann::json{{"valid", false}, {"error", error.what()}}.dump()};
  }
}

int tariff_sign_command(const hepek::CommandContext&, const std::vector<std::string>& args) {
  const char* key_hex = std::getenv("HEPEK_OPERATOR_KEY");
  if (!key_hex || !*key_hex)
    throw std::invalid_argument("set HEPEK_OPERATOR_KEY to the operator's private key (hex)");
  const auto key = eth::PrivateKey::from_hex(key_hex, "HEPEK_OPERATOR_KEY");
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::cout << run_tariff_sign(args, key, now) << "\n";
  return 0;
}

int tariff_verify_command(const hepek::CommandContext&, const std::vector<std::string>& args) {
  std::vector<std::string> options;
  std::string file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) == 0 && i + 1 < args.size()) {
      options.push_back(args[i]);
      options.push_back(args[++i]);
    } else if (file.empty()) {
      file = args[i];
    } else {
      throw std::invalid_argument("unexpected argument " + args[i]);
    }
  }
  std::string message;
  if (file.empty()) {
    message.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream input(file, std::ios::binary);
    if (!input) throw std::invalid_argument(file + ": cannot open");
    message.assign(std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>());
  }
  const auto [code, output] = run_tariff_verify(options, message);
  std::cout << output << "\n";
  return code;
}

}  // namespace hepek::tariff
