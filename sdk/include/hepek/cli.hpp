// CLI commands a plugin contributes: `hepek <name words...> args`.
//
//   int parse_command(const hepek::CommandContext& context, const std::vector<std::string>& args);
//   static std::vector<hepek::CliCommand> cli_commands() {
//     return {HEPEK_CLI("dsmr parse", "Parse P1 telegram files and print JSON", parse_command)};
//   }
//
// The function returns the process exit code (0 success, 1 failure, 2 usage error). It runs on the main thread of
// the `hepek` process. An exception it throws is printed as "hepek <command>: <message>" on stderr and exits 2.
// When a hub answers, raw->api and raw->host are a bus context (the admin account of the running hub):
// `hepek::Host host(context.raw->api, context.raw->host);` otherwise both are null.
#pragma once

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hepek/abi.h"
#include "hepek/host.hpp"

namespace hepek {

struct CliCommand {
  const char* name;  // one or more words; lives as long as the library (a literal)
  const char* help;  // one line; a literal too
  int (*run)(const hepek_command_context*, int, char**);
};

// What a CLI command implementation receives; valid during the call only.
struct CommandContext {
  std::string config_file;  // the config file in effect, or empty
  std::string data_dir;     // the hub's data directory
  nlohmann::json config;    // the first instance of this plugin type in the config file (with "id"), or {}
  const hepek_command_context* raw = nullptr;
};

namespace detail {
template <auto Function>
int cli_trampoline(const hepek_command_context* raw, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    CommandContext context{raw->config_file ? raw->config_file : "", raw->data_dir ? raw->data_dir : "",
                           nlohmann::json::parse(raw->config_json ? raw->config_json : "{}"), raw};
    return Function(context, args);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hepek %s: %s\n", argc > 0 ? argv[0] : "?", error.what());
    return 2;
  } catch (...) {
    std::fprintf(stderr, "hepek %s: unknown error\n", argc > 0 ? argv[0] : "?");
    return 2;
  }
}
}  // namespace detail

}  // namespace hepek

// HEPEK_CLI("dsmr parse", "Parse P1 telegram files and print JSON", parse_command)
// where `int parse_command(const hepek::CommandContext&, const std::vector<std::string>& args)`.
#define HEPEK_CLI(name, help, function)                    \
  ::hepek::CliCommand {                                    \
    name, help, &::hepek::detail::cli_trampoline<function> \
  }
