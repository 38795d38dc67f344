// CLI commands that talk to running instances over the hub's bus (admin context):
//   hepek wallet buy AMOUNT [--card NUMBER | --iban IBAN]      → the member → the operator → minted /
//   declined hepek wallet close                                          → cooperative close of the open
//   channel hepek operator manufacture --device-id ID --address ADDR [--owner ADDR]
// Contract: AMOUNT is decimal ERGON converted to base units exactly (more than 18 decimals is an error). Each
// command prints the outcome as JSON and returns 0 when it succeeded, 1 when it was refused/declined (reason
// printed), 2 for bad arguments or no running hub (clear message on stderr).
#pragma once

#include <string>
#include <vector>

#include <hepek/plugin.hpp>

namespace hepek::ergon {

int wallet_buy_command(const CommandContext& context, const std::vector<std::string>& args);
int wallet_close_command(const CommandContext& context, const std::vector<std::string>& args);
int operator_manufacture_command(const CommandContext& context, const std::vector<std::string>& args);

}  // namespace hepek::ergon
