#include "broker_address.hpp"

#include <fmt/format.h>

#include <charconv>

namespace hepek::core {

std::variant<BrokerAddress, std::string> parse_broker_address(const std::string& text) {
  BrokerAddress address;
  if (text == "embedded") return address;
  std::size_t position = 0;
  if (text.rfind("mqtt://", 0) == 0) {
    address.scheme = BrokerAddress::Scheme::mqtt;
    address.port = 1883;
    position = 7;
  } else if (text.rfind("mqtts://", 0) == 0) {
    address.scheme = BrokerAddress::Scheme::mqtts;
    address.port = 8883;
    position = 8;
  } else {
    return std::string("expected \"embedded\", mqtt://host:port or mqtts://host:port");
  }
  auto at = [&](std::size_t index, const std::string& what) {
    return fmt::format("at character {}: {}", index + 1, what);
  };
  std::size_t host_end;
  if (position < text.size() && text[position] == '[') {  // [IPv6]
    const std::size_t close = text.find(']', position);
    if (close == std::string::npos) return at(position, "an IPv6 host opened with '[' needs its ']'");
    address.host = text.substr(position + 1, close - position - 1);
    host_end = close + 1;
  } else {
    host_end = text.find_first_of(":/?#", position);
    if (host_end == std::string::npos) host_end = text.size();
    address.host = text.substr(position, host_end - position);
  }
  if (address.host.empty()) return at(position, "the host name is missing");
  if (host_end == text.size()) return address;
  if (text[host_end] != ':') return at(host_end, "expected ':' and a port, or the end (no path or query)");
  const char* first = text.data() + host_end + 1;
  const char* last = text.data() + text.size();
  int port = 0;
  const auto [end, error] = std::from_chars(first, last, port);
  if (error != std::errc{} || end == first || end != last || port < 1 || port > 65535)
    return at(host_end + 1, "the port must be a number 1..65535 and end the URL");
  address.port = port;
  return address;
}

}  // namespace hepek::core
