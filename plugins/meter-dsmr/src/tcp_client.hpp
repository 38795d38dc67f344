// The P1 port through the network: a raw TCP stream as ser2net, ESP-based P1 dongles (port 23 or 8088) and
// similar bridges serve it. Read only; the caller reconnects (SourceWorker).
// Contract: as ByteSource. connect_timeout bounds open().
#pragma once

#include <string>

#include "byte_source.hpp"
#include "file_descriptor.hpp"

namespace hepek::dsmr {

class TcpClient : public ByteSource {
 public:
  TcpClient(std::string host, int port, std::chrono::milliseconds connect_timeout = std::chrono::seconds(10));
  void open() override;
  std::string read_some(std::chrono::milliseconds timeout) override;
  void close() override { fd_.reset(); }
  std::string describe() const override;

 private:
  std::string host_;
  int port_;
  std::chrono::milliseconds connect_timeout_;
  FileDescriptor fd_;
};

}  // namespace hepek::dsmr
