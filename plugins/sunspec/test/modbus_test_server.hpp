// Test and benchmark helpers: a hybrid SunSpec register map (the FIMER dump with a battery, 124 + 802, and a
// meter, 203, added before its end marker), and a Modbus TCP server (libmodbus) serving a register image to any
// number of clients on 127.0.0.1 from its own thread; it can be stopped and started again on the same port (a
// device that goes away and comes back). A real Modbus implementation, not ours. Header-only.
#pragma once

#include <modbus/modbus.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "model_definition.hpp"
#include "point_codec.hpp"
#include "register_dump.hpp"

namespace hepek::sunspec::testing {

// Appends model `id` at `address` with every point "not implemented" but those given (raw values).
inline uint32_t append_model(RegisterImage& image, uint32_t address, uint16_t id,
                             const std::vector<std::pair<std::string, nlohmann::ordered_json>>& values) {
  const ModelDefinition* definition = find_model(id);
  if (!definition) throw std::runtime_error("no definition of model " + std::to_string(id));
  std::vector<uint16_t> words;
  for (const auto& point : definition->root.points) {
    nlohmann::ordered_json value = nullptr;
    if (point.name == "ID") value = id;
    if (point.name == "L") value = definition->fixed_length();
    for (const auto& [name, raw] : values)
      if (name == point.name) value = raw;
    auto encoded = encode_point(point, value);
    if (!encoded) throw std::runtime_error(encoded.error());
    words.insert(words.end(), encoded->begin(), encoded->end());
  }
  image.put(address, words);
  return address + static_cast<uint32_t>(words.size());
}

inline RegisterImage hybrid_device(const std::string& devices_dir) {
  auto loaded = load_register_dump(devices_dir + "/DeviceFimerPVSDated20240722.csv");
  if (!loaded) throw std::runtime_error(loaded.error());
  RegisterImage image = std::move(loaded).value();
  uint32_t at = 41379;  // the dump's end marker
  at = append_model(image, at, 124,
                    {{"WChaMax", 5000},
                     {"WChaMax_SF", 0},
                     {"ChaState", 5630},
                     {"ChaState_SF", -2},
                     {"ChaSt", 4},
                     {"StorCtl_Mod", 0},
                     {"InWRte", 0},
                     {"OutWRte", 0},
                     {"InOutWRte_SF", -2}});
  at = append_model(image, at, 802,
                    {{"SoC", 5630}, {"SoC_SF", -2}, {"W", -1800}, {"W_SF", 0}, {"State", 3}, {"ChaSt", 4}});
  at = append_model(
      image, at, 203,
      {{"W", -1250}, {"W_SF", 0}, {"TotWhImp", 1234567}, {"TotWhExp", 7654321}, {"TotWh_SF", 0}});
  const uint16_t end[] = {0xFFFF, 0};
  image.put(at, end);
  return image;
}

// A Modbus TCP server (libmodbus) serving `image` to any number of clients on 127.0.0.1, on its own thread.
class Server {
 public:
  explicit Server(const RegisterImage& image, int port = 0) { open(image, port); }
  ~Server() { close(); }
  int port() const { return port_; }
  // Stops answering: the listener and every connection close (clients see the connection drop).
  void close() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
    ::close(listener_);
    modbus_mapping_free(mapping_);
    modbus_free(context_);
  }
  // Serves `image` again on the same port.
  void reopen(const RegisterImage& image) { open(image, port_); }
  uint16_t register_at(uint32_t address) {
    std::lock_guard lock(mutex_);
    return mapping_->tab_registers[address - mapping_->start_registers];
  }

 private:
  void open(const RegisterImage& image, int port) {
    stop_ = false;
    context_ = modbus_new_tcp("127.0.0.1", port);
    mapping_ = modbus_mapping_new_start_address(0, 0, 0, 0, image.start(), image.end() - image.start(), 0, 0);
    if (!context_ || !mapping_) throw std::runtime_error("libmodbus server setup failed");
    for (uint32_t a = image.start(); a < image.end(); ++a)
      mapping_->tab_registers[a - image.start()] = image.at(a);
    listener_ = modbus_tcp_listen(context_, 4);  // sets SO_REUSEADDR: reopen() gets the same port back
    if (listener_ < 0) throw std::runtime_error(std::string("listen: ") + modbus_strerror(errno));
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  void serve() {
    fd_set all;
    FD_ZERO(&all);
    FD_SET(listener_, &all);
    int highest = listener_;
    uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    while (!stop_) {
      fd_set ready = all;
      timeval tick{0, 50000};
      if (select(highest + 1, &ready, nullptr, nullptr, &tick) <= 0) continue;
      for (int fd = 0; fd <= highest; ++fd) {
        if (!FD_ISSET(fd, &ready)) continue;
        if (fd == listener_) {
          const int client = accept(listener_, nullptr, nullptr);
          if (client >= 0) {
            FD_SET(client, &all);
            highest = std::max(highest, client);
          }
          continue;
        }
        modbus_set_socket(context_, fd);
        const int n = modbus_receive(context_, query);
        if (n > 0) {
          std::lock_guard lock(mutex_);
          modbus_reply(context_, query, n, mapping_);
        } else if (n == -1) {
          ::close(fd);
          FD_CLR(fd, &all);
        }
      }
    }
    for (int fd = 0; fd <= highest; ++fd)
      if (fd != listener_ && FD_ISSET(fd, &all)) ::close(fd);
  }

  std::mutex mutex_;
  modbus_t* context_ = nullptr;
  modbus_mapping_t* mapping_ = nullptr;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace hepek::sunspec::testing
