#include "history_export.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>

#include <hepek/timeseries/iso8601.hpp>
#include "csv_export.hpp"
#include "recorder_store.hpp"

namespace hepek::recorder {
namespace {

constexpr const char* kUsage =
    "usage: hepek history export --device D --from T --to T [--fields a,b] [--resolution raw|15m|1h|1d] "
    "[--stat auto|mean|min|max|last|count] [--timezone TZ] [--output FILE] [--instance ID] [--simulation] "
    "[--database FILE]";

const std::vector<std::string> kOptions = {"device", "from",     "to",     "fields",   "resolution",
                                           "stat",   "timezone", "output", "instance", "database"};

const std::vector<std::string> kFlags = {"simulation"};

// --key value or --key=value; flags take no value. Returns an error text or the options.
Result<std::map<std::string, std::string>> parse_options(const std::vector<std::string>& args) {
  using R = Result<std::map<std::string, std::string>>;
  std::map<std::string, std::string> options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) return R::failure(fmt::format("unexpected argument '{}'", arg));
    std::string key = arg.substr(2);
    std::optional<std::string> value;
    if (const auto equals = key.find('='); equals != std::string::npos) {
      value = key.substr(equals + 1);
      key.resize(equals);
    }
    const bool flag = std::find(kFlags.begin(), kFlags.end(), key) != kFlags.end();
    if (!flag && std::find(kOptions.begin(), kOptions.end(), key) == kOptions.end())
      return R::failure(fmt::format("unknown option '--{}'", key));
    if (flag) {
      if (value) return R::failure(fmt::format("option '--{}' takes no value", key));
      value = "true";
    } else if (!value) {
      if (i + 1 >= args.size()) return R::failure(fmt::format("option '--{}' needs a value", key));
      value = args[++i];
    }
    if (options.count(key)) return R::failure(fmt::format("option '--{}' given twice", key));
    options[key] = *value;
  }
  return R::success(std::move(options));
}

std::vector<std::string> split_fields(const std::string& text) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string field =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!field.empty()) fields.push_back(field);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

Result<SeriesQuery> query_from_options(const std::map<std::string, std::string>& options) {
  using R = Result<SeriesQuery>;
  for (const char* required : {"device", "from", "to"})
    if (!options.count(required)) return R::failure(fmt::format("missing --{}", required));
  SeriesQuery query;
  query.device = options.at("device");
  for (const char* key : {"from", "to"}) {
    const auto parsed = timeseries::parse_iso8601(options.at(key), timeseries::kDateOrDateTime);
    if (!parsed)
      return R::failure(fmt::format("--{} '{}' is not an ISO 8601 time or date", key, options.at(key)));
    (std::string_view(key) == "from" ? query.from_ms : query.to_ms) = parsed->unix_ms();
  }
  if (query.from_ms >= query.to_ms) return R::failure("--from must be before --to");
  if (options.count("fields")) {
    query.fields = split_fields(options.at("fields"));
    if (query.fields.empty()) return R::failure("--fields names no field");
  }
  if (options.count("resolution")) {
    const auto parsed = parse_resolution(options.at("resolution"));
    if (!parsed)
      return R::failure(
          fmt::format("--resolution '{}' is not one of raw, 15m, 1h, 1d", options.at("resolution")));
    query.resolution = *parsed;
  }
  if (options.count("stat")) {
    const auto parsed = parse_statistic(options.at("stat"));
    if (!parsed)
      return R::failure(
          fmt::format("--stat '{}' is not one of auto, mean, min, max, last, count", options.at("stat")));
    query.statistic = *parsed;
  }
  if (options.count("timezone")) query.timezone = options.at("timezone");
  query.max_points =
      std::numeric_limits<std::size_t>::max();  // a file has no size limit worth enforcing here
  return R::success(std::move(query));
}

}  // namespace

std::string recorder_database_path(const std::string& data_dir, const std::string& instance,
                                   const std::string& name) {
  const std::filesystem::path file(name.empty() ? kDefaultDatabaseName : name);
  if (file.is_absolute()) return file.string();
  return (std::filesystem::path(data_dir) / "plugins" / instance / file).string();
}

int run_history_export(const ExportEnvironment& environment, const std::vector<std::string>& args,
                       std::ostream& out, std::ostream& errors) {
  const auto options = parse_options(args);
  if (!options) {
    errors << "hepek history export: " << options.error() << "\n" << kUsage << "\n";
    return 1;
  }
  const auto query = query_from_options(options.value());
  if (!query) {
    errors << "hepek history export: " << query.error() << "\n" << kUsage << "\n";
    return 1;
  }
  std::string path;
  if (options->count("database")) {
    path = options->at("database");
  } else {
    if (environment.data_dir.empty()) {
      errors << "hepek history export: no data directory known; use --data-dir or --database FILE\n";
      return 1;
    }
    const std::string instance = options->count("instance")     ? options->at("instance")
                                 : environment.instance.empty() ? std::string(kDefaultInstance)
                                                                : environment.instance;
    // `hepek simulate` keeps its instances' data apart, under <data_dir>/simulation/.
    const std::string data_dir = options->count("simulation")
                                     ? (std::filesystem::path(environment.data_dir) / "simulation").string()
                                     : environment.data_dir;
    path = recorder_database_path(data_dir, instance, environment.database_name);
  }
  auto store = open_existing_store(path);
  if (!store) {
    errors << "hepek history export: " << store.error() << "\n";
    return 1;
  }
  const auto result = store.value()->query(query.value());
  if (!result) {
    errors << "hepek history export: " << result.error() << " (database " << path << ")\n";
    return 1;
  }
  if (!options->count("output")) {
    write_csv(out, result.value());
    return out.good() ? 0 : 1;
  }
  const std::string output = options->at("output");
  std::ofstream file(output, std::ios::out | std::ios::trunc);
  if (!file) {
    errors << "hepek history export: cannot write " << output << "\n";
    return 1;
  }
  write_csv(file, result.value());
  file.close();
  if (!file) {
    errors << "hepek history export: writing " << output << " failed\n";
    return 1;
  }
  return 0;
}

}  // namespace hepek::recorder
