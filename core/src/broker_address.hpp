// Where the bus is: [bus] broker = "embedded" | "mqtt://host[:port]" | "mqtts://host[:port]", parsed once.
//
// Contract: parse_broker_address() is the only parser of the broker URL (config.cpp calls it while checking
// [bus]; everything else reads the typed result). Pure, thread-safe. A malformed URL yields an error message
// naming the character position (1-based) that is wrong and what was expected there, never an exception.
#pragma once

#include <string>
#include <variant>

namespace hepek::core {

struct BrokerAddress {
  enum class Scheme { embedded, mqtt, mqtts };
  Scheme scheme = Scheme::embedded;
  std::string host;  // external brokers only; an IPv6 literal without its brackets
  int port = 0;      // external brokers only; 1883 (mqtt) or 8883 (mqtts) when the URL names none

  bool embedded() const { return scheme == Scheme::embedded; }
  bool tls() const { return scheme == Scheme::mqtts; }
};

// A BrokerAddress, or the reason `text` is not one (e.g. "at character 15: the port must be 1..65535").
std::variant<BrokerAddress, std::string> parse_broker_address(const std::string& text);

}  // namespace hepek::core
