// `hepek tariff sign` and `hepek tariff verify`: the operator's side of the signed price broadcast, and a
// check anyone can run on a received message.
//
//   HEPEK_OPERATOR_KEY=0x… hepek tariff sign --prices P.csv --day 2023-08-02 [--issued ISO-8601]
//       prints the signed serenity/broadcast/prices message for one delivery day (the slots whose start,
//       written in the file's own offset, falls on that date; gaps are left out, so the receiver flags and
//       fills them).
//   hepek tariff verify --operator 0xADDRESS [FILE]      (stdin without FILE)
//       prints {"valid":true,"signer":…,"slots":n} or {"valid":false,"error":…} and exits 1 when invalid.
// The key is read from the environment, never from the command line (it would show in `ps`).
// The run_* functions are pure (key and time passed in) and throw std::invalid_argument naming a bad
// argument.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <hepek/plugin.hpp>

#include "hepek/eth/keys.hpp"

namespace hepek::tariff {

std::string run_tariff_sign(const std::vector<std::string>& args, const eth::PrivateKey& key,
                            std::int64_t now_s);
// Returns {exit code, output}.
std::pair<int, std::string> run_tariff_verify(const std::vector<std::string>& args,
                                              const std::string& message);

int tariff_sign_command(const hepek::CommandContext& context, const std::vector<std::string>& args);
int tariff_verify_command(const hepek::CommandContext& context, const std::vector<std::string>& args);

}  // namespace hepek::tariff
