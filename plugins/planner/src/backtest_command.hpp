// The `hepek backtest` CLI command (registered by the planner plugin). Prints one JSON object with --json, a short
// human-readable summary otherwise. Returns 0 on success, 2 on bad arguments or data (message on stderr).
#pragma once

#include <string>
#include <vector>

#include <hepek/plugin.hpp>

namespace hepek::planner {

int backtest_command(const hepek::CommandContext& context, const std::vector<std::string>& args);

}  // namespace hepek::planner
