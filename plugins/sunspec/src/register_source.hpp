// Where holding registers come from: a Modbus link (modbus_link.hpp) or a register dump (register_dump.hpp), so
// discovery, the model walk and block reading work, and are tested, the same on both.
//
// Contract: read() reads 1..125 registers and never throws; a failure says which kind it is (the device
// answered with a Modbus exception, or the link failed: timeout, dropped connection) and its message names the
// device and the registers. Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hepek::sunspec {

// The Modbus limit for one read of holding registers (function 3).
inline constexpr uint16_t kMaxReadRegisters = 125;

struct ReadResult {
  enum class Failure { none, exception, link };
  std::vector<uint16_t> words;
  Failure failure = Failure::none;
  std::string error;
  bool ok() const { return failure == Failure::none; }
  static ReadResult success(std::vector<uint16_t> words) { return {std::move(words), Failure::none, {}}; }
  static ReadResult exception(std::string error) { return {{}, Failure::exception, std::move(error)}; }
  static ReadResult link(std::string error) { return {{}, Failure::link, std::move(error)}; }
};

class RegisterSource {
 public:
  virtual ~RegisterSource() = default;
  virtual ReadResult read(uint32_t address, uint16_t count) = 0;
  // "tcp 192.168.1.20:502 unit 1", "dump X.csv": named in every error.
  virtual std::string describe() const = 0;
  // Requests made so far (reads that reached the device or the dump), for statistics and tests.
  uint64_t requests() const { return requests_; }

 protected:
  uint64_t requests_ = 0;
};

// A source that also writes (ModbusLink; DumpSource, for tests of the controls on a dump).
class RegisterWriter : public RegisterSource {
 public:
  // Writes registers with function 16; a failure as for read().
  virtual ReadResult write(uint32_t address, std::span<const uint16_t> words) = 0;
};

}  // namespace hepek::sunspec
