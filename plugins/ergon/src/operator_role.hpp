// role = "operator" (Serenity) on the bus: publishes the contracts and the signed tariff (retained), serves
// buy, manufacture, proof and close requests, and watches for device-initiated closes. See README.md "Bus
// protocol".
#pragma once

#include <memory>
#include <mutex>

#include <hepek/plugin.hpp>

#include "operator_service.hpp"

namespace hepek::ergon {

class OperatorRole {
 public:
  OperatorRole(Host& host, const nlohmann::json& config);
  void start();
  void step(std::int64_t now_ms);
  nlohmann::json summary();

 private:
  void on_request(const std::string& device_id, const std::string& kind, const nlohmann::json& body);
  void watch();

  Host& host_;
  nlohmann::json config_;
  std::unique_ptr<OperatorService> service_;
  std::mutex mutex_;
  std::int64_t last_watch_ms_ = 0;
  std::uint64_t proofs_accepted_ = 0;
  std::uint64_t proofs_rejected_ = 0;
};

}  // namespace hepek::ergon
