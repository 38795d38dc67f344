// A plugin shared library on disk: found in the plugin directories, opened with Boost.DLL, its descriptor checked.
//
// Contract: open_plugin() never throws; it returns either a loaded library with a copy of its descriptor (zeroed
// beyond the plugin's struct_size) or a refusal naming the file and the reason (no entry point, another ABI major,
// a newer minor, a malformed descriptor). The library stays loaded while the PluginLibrary lives; instances created
// from it must be destroyed first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "config.hpp"
#include "hepek/abi.h"

namespace hepek::core {

struct PluginLibrary {
  std::string path;
  std::string type;  // config type: the file stem without "hepek-" (hepek-meter-dsmr.so → meter-dsmr)
  boost::dll::shared_library library;
  hepek_plugin descriptor{};
  Schema schema;  // the descriptor's config rows

  const hepek_cli_command* find_command(const std::vector<std::string>& words, std::size_t* matched) const;
};

struct PluginRefusal {
  std::string path;
  std::string reason;
};

struct PluginOpen {
  std::shared_ptr<PluginLibrary> library;  // null when refused
  PluginRefusal refusal;
};

PluginOpen open_plugin(const std::string& path);

// Every hepek-*.so in the directories, in directory order then name order. Missing directories are skipped.
std::vector<std::string> find_plugin_files(const std::vector<std::string>& directories);

// Where this binary is installed: the directory above its bin/ (the build tree for a build); "." when unknown.
std::string installation_prefix();
// The directory of plugins shipped with this binary (<installation prefix>/lib/hepek/plugins).
std::string builtin_plugin_dir();

}  // namespace hepek::core
