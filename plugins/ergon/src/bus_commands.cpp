#include "bus_commands.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "hepek/eth/address.hpp"
#include "hepek/eth/uint256.hpp"

namespace hepek::ergon {
namespace {

std::string option(const std::vector<std::string>& args, const std::string& name) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return args[i + 1];
  return {};
}

std::string random_request_id() {
  std::random_device device;
  return fmt::format("cli-{:08x}{:08x}", device(), device());
}

// Publishes `request` on `topic` and waits for a reply on `reply_topic` carrying the same request_id.
int request_reply(const CommandContext& context, const std::string& topic, nlohmann::json request,
                  const std::string& reply_topic, int timeout_s) {
  if (!context.raw || !context.raw->api || !context.raw->host) {
    std::fprintf(stderr, "no running hub to talk to: start it first (hepek run), then retry\n");
    return 2;
  }
  Host host(context.raw->api, context.raw->host);
  const std::string request_id = request.value("request_id", random_request_id());
  request["request_id"] = request_id;
  std::mutex mutex;
  std::condition_variable arrived;
  std::optional<nlohmann::json> reply;
  host.subscribe(reply_topic, [&](const Message& message) {
    const auto json = nlohmann::json::parse(message.payload, nullptr, false);
    if (!json.is_object() || json.value("request_id", "") != request_id) return;
    std::lock_guard lock(mutex);
    reply = json;
    arrived.notify_all();
  });
  if (host.publish_json(topic, request) != HEPEK_OK) {
    std::fprintf(stderr, "cannot publish on %s\n", topic.c_str());
    return 2;
  }
  std::unique_lock lock(mutex);
  if (!arrived.wait_for(lock, std::chrono::seconds(timeout_s), [&] { return reply.has_value(); })) {
    std::fprintf(stderr, "no answer on %s within %d s (is the ergon instance running?)\n",
                 reply_topic.c_str(), timeout_s);
    return 2;
  }
  std::printf("%s\n", reply->dump().c_str());
  const std::string status = reply->value("status", "");
  if (status == "minted" || status == "manufactured" || status == "closed") return 0;
  std::fprintf(stderr, "%s: %s\n", status.c_str(), reply->value("reason", "").c_str());
  return 1;
}

}  // namespace

int wallet_buy_command(const CommandContext& context, const std::vector<std::string>& args) {
  if (args.empty() || args[0].rfind("--", 0) == 0) {
    std::fprintf(
        stderr,
        "usage: hepek wallet buy AMOUNT [--card NUMBER | --iban IBAN]  (AMOUNT in ERGON, e.g. 12.5)\n");
    return 2;
  }
  const eth::uint256 amount = eth::parse_units(args[0], 18, "AMOUNT");
  if (amount == 0) throw std::invalid_argument("AMOUNT must be positive");
  nlohmann::json request{{"amount", eth::to_decimal(amount)}};
  if (const std::string iban = option(args, "--iban"); !iban.empty()) {
    request["iban"] = iban;
  } else {
    const std::string card = option(args, "--card");
    request["card"] = card.empty() ? "4242424242424242" : card;
  }
  return request_reply(context, "hepek/wallet/buy", request, "hepek/wallet/buy/result", 60);
}

int wallet_close_command(const CommandContext& context, const std::vector<std::string>&) {
  if (!context.raw || !context.raw->api || !context.raw->host) {
    std::fprintf(stderr, "no running hub to talk to: start it first (hepek run), then retry\n");
    return 2;
  }
  Host host(context.raw->api, context.raw->host);
  return host.publish_json("hepek/wallet/close", nlohmann::json::object()) == HEPEK_OK ? 0 : 2;
}

int operator_manufacture_command(const CommandContext& context, const std::vector<std::string>& args) {
  const std::string id = option(args, "--device-id");
  const std::string address = option(args, "--address");
  if (id.empty() || address.empty()) {
    std::fprintf(stderr, "usage: hepek operator manufacture --device-id ID --address ADDR [--owner ADDR]\n");
    return 2;
  }
  nlohmann::json request{{"device_id", id},
                         {"address", eth::Address::parse(address, "--address").checksummed()}};
  if (const std::string owner = option(args, "--owner"); !owner.empty())
    request["owner"] = eth::Address::parse(owner, "--owner").checksummed();
  return request_reply(context, "serenity/operator/manufacture", request,
                       "serenity/operator/manufacture/result", 60);
}

}  // namespace hepek::ergon
