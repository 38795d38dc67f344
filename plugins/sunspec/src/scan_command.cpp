#include "scan_command.hpp"

#include <charconv>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "modbus_link.hpp"
#include "model_reading.hpp"
#include "register_dump.hpp"

namespace hepek::sunspec {
namespace {

using OJson = nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: hepek sunspec scan (--host H [--port P] | --serial DEV [--baud B] [--parity none|even|odd]\n"
    "                           | --dump FILE.csv) [--unit U] [--base N] [--timeout-ms MS]\n"
    "  Finds the SunSpec marker (base 40000, 50000, 0, 4096, 1, 40001, or --base N), walks the model chain,\n"
    "  reads every model and prints one JSON document: scaled values, null where not implemented.\n"
    "  Exit status: 0 scanned, 1 the device could not be scanned (the document says why), 2 usage error.\n";

struct Options {
  LinkSettings link;
  std::string dump;
  std::optional<uint32_t> base;
  bool help = false;
};

bool integer(const std::string& text, long low, long high, long& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= low && out <= high;
}

std::optional<std::string> parse(const std::vector<std::string>& args, Options& options) {
  bool host = false, serial = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      return std::nullopt;
    }
    if (i + 1 >= args.size()) return arg + " needs a value (or is not an option)";
    const std::string& value = args[++i];
    long number = 0;
    if (arg == "--host") {
      options.link.kind = LinkSettings::Kind::tcp;
      options.link.host = value;
      host = true;
    } else if (arg == "--serial") {
      options.link.kind = LinkSettings::Kind::rtu;
      options.link.serial_device = value;
      serial = true;
    } else if (arg == "--dump") {
      options.dump = value;
    } else if (arg == "--port") {
      if (!integer(value, 1, 65535, number)) return "--port " + value + ": expected 1-65535";
      options.link.port = static_cast<int>(number);
    } else if (arg == "--unit") {
      if (!integer(value, 0, 255, number)) return "--unit " + value + ": expected 0-255";
      options.link.unit = static_cast<int>(number);
    } else if (arg == "--base") {
      if (!integer(value, 0, 65533, number)) return "--base " + value + ": expected 0-65533";
      options.base = static_cast<uint32_t>(number);
    } else if (arg == "--baud") {
      if (!integer(value, 300, 4000000, number)) return "--baud " + value + ": expected 300-4000000";
      options.link.baud = static_cast<int>(number);
    } else if (arg == "--parity") {
      if (value != "none" && value != "even" && value != "odd")
        return "--parity " + value + ": none, even or odd";
      options.link.parity = value == "none" ? 'N' : value == "even" ? 'E' : 'O';
    } else if (arg == "--timeout-ms") {
      if (!integer(value, 1, 60000, number)) return "--timeout-ms " + value + ": expected 1-60000";
      options.link.timeout_ms = static_cast<int>(number);
    } else {
      return "unknown option " + arg;
    }
  }
  if (int(host) + int(serial) + int(!options.dump.empty()) != 1)
    return "give one of --host, --serial or --dump";
  return std::nullopt;
}

OJson scan(RegisterSource& source, const Options& options, int& exit_code, std::ostream& err) {
  OJson doc{{"device", source.describe()}};
  const BaseSearch search = find_base(source, options.base);
  if (!search.base) {
    doc["error"] = search.error;
    exit_code = 1;
    return doc;
  }
  doc["base"] = *search.base;
  doc["unit"] = options.dump.empty() ? OJson(options.link.unit) : OJson(nullptr);
  const DeviceMap map = walk_models(source, *search.base);
  err << fmt::format("{}: SunS at {}, {} models\n", source.describe(), *search.base, map.models.size());
  const auto locations = locations_of(map, {});
  ReadPlan plan(plan_blocks(locations));
  RegisterImage image;
  const PollOutcome outcome = plan.execute(source, image);
  if (outcome.link_failed) {
    doc["error"] = outcome.error;
    exit_code = 1;
  }
  const Snapshot snapshot = decode_locations(locations, image);
  OJson models = OJson::array();
  for (const auto& model : snapshot.models) models.push_back(model.to_json());
  doc["models"] = std::move(models);
  doc["end_marker"] = map.end_marker ? OJson(map.end_address) : OJson(nullptr);
  doc["requests"] = source.requests();
  OJson notes = OJson::array();
  for (const auto& note : map.notes) notes.push_back(note);
  for (const auto& fault : outcome.faults) notes.push_back(fault);
  if (outcome.unreadable) notes.push_back(fmt::format("{} register(s) unreadable", outcome.unreadable));
  if (!notes.empty()) doc["notes"] = std::move(notes);
  if (map.link_failed && exit_code == 0) {
    doc["error"] = "the link failed during the model walk";
    exit_code = 1;
  }
  // The documented order: base, unit, models first.
  OJson ordered{{"base", doc["base"]}, {"unit", doc["unit"]}, {"models", doc["models"]}};
  for (const auto& [key, value] : doc.items())
    if (!ordered.contains(key)) ordered[key] = value;
  return ordered;
}

}  // namespace

int run_scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options options;
  if (const auto problem = parse(args, options)) {
    err << "hepek sunspec scan: " << *problem << "\n" << kUsage;
    return 2;
  }
  if (options.help) {
    out << kUsage;
    return 0;
  }
  int exit_code = 0;
  OJson doc;
  if (!options.dump.empty()) {
    auto image = load_register_dump(options.dump);
    if (!image) {
      out << OJson{{"device", "dump " + options.dump}, {"error", image.error()}}.dump() << "\n";
      return 1;
    }
    DumpSource source(std::move(image).value(), options.dump);
    doc = scan(source, options, exit_code, err);
  } else {
    ModbusLink link(options.link);
    if (const Status connected = link.connect(); !connected) {
      out << OJson{{"device", link.describe()}, {"error", connected.error()}}.dump() << "\n";
      return 1;
    }
    doc = scan(link, options, exit_code, err);
  }
  out << doc.dump() << "\n";
  out.flush();
  return exit_code;
}

}  // namespace hepek::sunspec
