// Which registers a poll reads, in blocks of at most 125 (one Modbus request each): the models asked for,
// header included, contiguous models merged into one run, then cut into blocks.
//
// A block the device answers with an exception (some registers inside a model are not readable) is bisected
// until the readable parts are read and the unreadable registers are found; the plan then keeps the smaller
// blocks and skips the unreadable registers (marked unreadable in the image, so their points are null), and
// tries the original blocks again every `retry_every` polls in case the device has changed. A link failure
// (timeout, dropped connection) ends the poll at once.
//
// Contract: never throws; not thread-safe (one poller owns a plan).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model_decoder.hpp"
#include "register_image.hpp"
#include "register_source.hpp"

namespace hepek::sunspec {

struct Block {
  uint32_t address = 0;
  uint16_t count = 0;
  uint32_t end() const { return address + count; }
  bool operator==(const Block&) const = default;
};

// Blocks covering [address, end) of each model, merged where models touch, none over kMaxReadRegisters.
std::vector<Block> plan_blocks(const std::vector<ModelLocation>& models);

struct PollOutcome {
  bool link_failed = false;
  std::string error;                // the link failure
  uint32_t requests = 0;            // Modbus requests this poll made
  uint32_t registers = 0;           // registers read
  uint32_t unreadable = 0;          // registers found (or kept) unreadable
  std::vector<std::string> faults;  // the exceptions met this poll, one per block that failed
};

class ReadPlan {
 public:
  explicit ReadPlan(std::vector<Block> blocks, uint32_t retry_every = 360)
      : original_(blocks), blocks_(std::move(blocks)), retry_every_(retry_every) {}

  PollOutcome execute(RegisterSource& source, RegisterImage& image);
  const std::vector<Block>& blocks() const { return blocks_; }
  const std::vector<Block>& skipped() const { return skipped_; }

 private:
  bool read_block(RegisterSource& source, const Block& block, RegisterImage& image, PollOutcome& outcome,
                  std::vector<Block>& good, std::vector<Block>& bad);

  std::vector<Block> original_;
  std::vector<Block> blocks_;
  std::vector<Block> skipped_;
  uint32_t retry_every_;
  uint32_t polls_since_refine_ = 0;
};

}  // namespace hepek::sunspec
