#include "plugin_library.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace hepek::core {

namespace fs = std::filesystem;

const hepek_cli_command* PluginLibrary::find_command(const std::vector<std::string>& words,
                                                     std::size_t* matched) const {
  const hepek_cli_command* best = nullptr;
  std::size_t best_words = 0;
  for (uint32_t i = 0; i < descriptor.command_count; ++i) {
    const hepek_cli_command& command = descriptor.commands[i];
    if (!command.name || !command.run) continue;
    std::vector<std::string> name_words;
    std::string word;
    for (const char* p = command.name;; ++p) {
      if (*p == ' ' || *p == '\0') {
        if (!word.empty()) name_words.push_back(word);
        word.clear();
        if (*p == '\0') break;
      } else {
        word += *p;
      }
    }
    if (name_words.empty() || name_words.size() > words.size()) continue;
    if (!std::equal(name_words.begin(), name_words.end(), words.begin())) continue;
    if (name_words.size() > best_words) {
      best = &command;
      best_words = name_words.size();
    }
  }
  if (matched) *matched = best_words;
  return best;
}

namespace {

// Adds the descriptor's ABI 1.1 constraint rows to `schema`; "" or what is malformed. A 1.0 plugin has none
// (the fields are zero beyond its struct_size).
std::string copy_constraints(const hepek_plugin& d, Schema& schema) {
  if (d.config_constraint_count == 0) return "";
  if (!d.config_constraints) return "config_constraint_count without config_constraints";
  if (d.config_constraint_size < sizeof(hepek_config_constraint))
    return fmt::format("config_constraint_size {} < {} (the ABI 1.1 layout)", d.config_constraint_size,
                       sizeof(hepek_config_constraint));
  const auto* bytes = reinterpret_cast<const unsigned char*>(d.config_constraints);
  for (uint32_t i = 0; i < d.config_constraint_count; ++i) {
    // Walk with the plugin's stride: a newer plugin's rows may carry fields appended after ours.
    hepek_config_constraint constraint{};
    std::memcpy(&constraint, bytes + static_cast<std::size_t>(i) * d.config_constraint_size,
                sizeof(hepek_config_constraint));
    if (!constraint.key) return fmt::format("config constraint {} has no key", i);
    auto row = std::find_if(schema.begin(), schema.end(),
                            [&](const SchemaRow& candidate) { return candidate.key == constraint.key; });
    if (row == schema.end())
      return fmt::format("config constraint for \"{}\", which is not one of its config rows", constraint.key);
    if (constraint.allowed)
      for (const char* const* value = constraint.allowed; *value; ++value) row->allowed.emplace_back(*value);
    if (constraint.flags & HEPEK_CONSTRAINT_MINIMUM) {
      row->minimum = constraint.minimum;
      row->exclusive_minimum = (constraint.flags & HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM) != 0;
    }
    if (constraint.flags & HEPEK_CONSTRAINT_MAXIMUM) row->maximum = constraint.maximum;
    if (constraint.only_when) {
      const std::string condition = constraint.only_when;
      const std::size_t equals = condition.find('=');
      if (equals == std::string::npos || equals == 0)
        return fmt::format("only_when \"{}\" of \"{}\" is not \"key=value\"", condition, constraint.key);
      row->only_when_key = condition.substr(0, equals);
      row->only_when_value = condition.substr(equals + 1);
    }
  }
  return "";
}

}  // namespace

PluginOpen open_plugin(const std::string& path) {
  PluginOpen result;
  result.refusal.path = path;
  auto library = std::make_shared<PluginLibrary>();
  library->path = path;
  std::string stem = fs::path(path).stem().string();
  library->type = stem.rfind("hepek-", 0) == 0 ? stem.substr(6) : stem;
  try {
    library->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    result.refusal.reason = fmt::format("cannot be loaded: {}", e.what());
    return result;
  }
  if (!library->library.has(HEPEK_ENTRY_SYMBOL)) {
    result.refusal.reason = fmt::format("has no entry point {}() (not a HEPEK plugin?)", HEPEK_ENTRY_SYMBOL);
    return result;
  }
  auto entry = library->library.get<const hepek_plugin*(uint32_t, uint32_t)>(HEPEK_ENTRY_SYMBOL);
  const hepek_plugin* raw = nullptr;
  try {
    raw = entry(HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
  } catch (...) {
    result.refusal.reason = "its entry point threw an exception";
    return result;
  }
  if (!raw) {
    result.refusal.reason =
        fmt::format("refused to load under host ABI {}.{}", HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
    return result;
  }
  const uint32_t minimum = offsetof(hepek_plugin, summary);  // every field up to the ABI 1.0 callbacks
  if (raw->struct_size < minimum) {
    result.refusal.reason =
        fmt::format("has a malformed descriptor (struct_size {} < {})", raw->struct_size, minimum);
    return result;
  }
  if (raw->abi_major != HEPEK_ABI_MAJOR) {
    result.refusal.reason =
        fmt::format("was built for ABI {}.{}, but this hub speaks ABI {}.{} (another major)", raw->abi_major,
                    raw->abi_minor, HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
    return result;
  }
  if (raw->abi_minor > HEPEK_ABI_MINOR) {
    result.refusal.reason =
        fmt::format("was built for ABI {}.{}, newer than this hub's ABI {}.{}; upgrade the hub",
                    raw->abi_major, raw->abi_minor, HEPEK_ABI_MAJOR, HEPEK_ABI_MINOR);
    return result;
  }
  // Copy what the plugin has; fields it does not know stay zero.
  std::memcpy(&library->descriptor, raw, std::min<std::size_t>(raw->struct_size, sizeof(hepek_plugin)));
  const hepek_plugin& d = library->descriptor;
  if (!d.id || !*d.id || !d.version || !d.create || !d.start || !d.stop || !d.destroy) {
    result.refusal.reason = "has a malformed descriptor (missing id, version or lifecycle functions)";
    return result;
  }
  for (uint32_t i = 0; i < d.config_row_count; ++i) {
    const hepek_config_row& row = d.config_rows[i];
    if (!row.key) continue;
    library->schema.push_back({row.key, static_cast<hepek_config_type>(row.type),
                               row.default_value ? row.default_value : "", row.required != 0,
                               row.description ? row.description : ""});
  }
  if (const std::string problem = copy_constraints(d, library->schema); !problem.empty()) {
    result.refusal.reason = "has a malformed descriptor: " + problem;
    return result;
  }
  result.library = std::move(library);
  return result;
}

std::vector<std::string> find_plugin_files(const std::vector<std::string>& directories) {
  std::vector<std::string> files;
  for (const auto& directory : directories) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) continue;
    std::vector<std::string> here;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("hepek-", 0) == 0 && entry.path().extension() == ".so")
        here.push_back(entry.path().string());
    }
    std::sort(here.begin(), here.end());
    files.insert(files.end(), here.begin(), here.end());
  }
  return files;
}

std::string installation_prefix() {
  char buffer[4096];
  const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  buffer[n] = '\0';
  return fs::path(buffer).parent_path().parent_path().string();
}

std::string builtin_plugin_dir() {
  return (fs::path(installation_prefix()) / "lib" / "hepek" / "plugins").string();
}

}  // namespace hepek::core
