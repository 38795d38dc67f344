#include "hepek/eth/cli.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "hepek/eth/keccak.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/transaction.hpp"
#include "hepek/eth/transaction_json.hpp"

namespace hepek::eth {

namespace {

constexpr const char* kKeccakUsage = "usage: hepek eth keccak HEX | hepek eth keccak --text STR";
constexpr const char* kAddressUsage = "usage: hepek eth address --key HEX";
constexpr const char* kSignTxUsage = "usage: hepek eth sign-tx --key HEX --tx JSON|@FILE";

// Parses "--name value" pairs; every option must be one of `allowed` and appear at most once.
std::map<std::string, std::string> parse_options(const std::vector<std::string>& args,
                                                 const std::vector<std::string>& allowed, const char* usage) {
  std::map<std::string, std::string> options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& name = args[i];
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw std::invalid_argument(fmt::format("unexpected argument '{}'\n{}", name, usage));
    if (i + 1 >= args.size()) throw std::invalid_argument(fmt::format("{} needs a value\n{}", name, usage));
    if (options.contains(name)) throw std::invalid_argument(fmt::format("{} given twice\n{}", name, usage));
    options[name] = args[++i];
  }
  return options;
}

std::string require(const std::map<std::string, std::string>& options, const std::string& name,
                    const char* usage) {
  const auto it = options.find(name);
  if (it == options.end()) throw std::invalid_argument(fmt::format("{} is required\n{}", name, usage));
  return it->second;
}

int print_or_fail(const char* name, std::string (*run)(const std::vector<std::string>&),
                  const std::vector<std::string>& args) {
  try {
    const std::string line = run(args);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hepek eth %s: %s\n", name, error.what());
    return 2;
  }
}

}  // namespace

std::string run_eth_keccak(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "--text") return to_hex(keccak256_text(args[1]));
  if (args.size() == 1 && args[0].rfind("--", 0) != 0) return to_hex(keccak256(from_hex(args[0], "HEX")));
  throw std::invalid_argument(kKeccakUsage);
}

std::string run_eth_address(const std::vector<std::string>& args) {
  const auto options = parse_options(args, {"--key"}, kAddressUsage);
  return PrivateKey::from_hex(require(options, "--key", kAddressUsage), "--key").address().checksummed();
}

std::string run_eth_sign_tx(const std::vector<std::string>& args) {
  const auto options = parse_options(args, {"--key", "--tx"}, kSignTxUsage);
  const PrivateKey key = PrivateKey::from_hex(require(options, "--key", kSignTxUsage), "--key");
  std::string text = require(options, "--tx", kSignTxUsage);
  if (!text.empty() && text[0] == '@') {
    std::ifstream file(text.substr(1));
    if (!file) throw std::invalid_argument(fmt::format("--tx: cannot read file '{}'", text.substr(1)));
    std::stringstream buffer;
    buffer << file.rdbuf();
    text = buffer.str();
  }
  // The text form refuses NUL bytes, deep or huge input and duplicate keys before the strict field checks.
  const Transaction tx = [&] {
    try {
      return transaction_from_json_text(text);
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(std::string("--tx: ") + error.what());
    }
  }();
  return to_hex(sign_transaction(tx, key).raw());
}

int eth_keccak_command(const hepek::CommandContext&, const std::vector<std::string>& args) {
  return print_or_fail("keccak", run_eth_keccak, args);
}

int eth_address_command(const hepek::CommandContext&, const std::vector<std::string>& args) {
  return print_or_fail("address", run_eth_address, args);
}

int eth_sign_tx_command(const hepek::CommandContext&, const std::vector<std::string>& args) {
  return print_or_fail("sign-tx", run_eth_sign_tx, args);
}

}  // namespace hepek::eth
