// A picture of a device's holding registers: words by Modbus address, each known (read) or not (never read, or
// the read failed). Filled from Modbus reads (model_reader.cpp) or a register dump (register_dump.cpp), read by
// the decoder. A plain value type; not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hepek::sunspec {

class RegisterImage {
 public:
  RegisterImage() = default;
  explicit RegisterImage(uint32_t start) : start_(start) {}

  // Stores `words` from `address` on, marking them readable (grows the image as needed).
  void put(uint32_t address, std::span<const uint16_t> words) {
    reserve(address, words.size());
    for (size_t i = 0; i < words.size(); ++i) {
      words_[address - start_ + i] = words[i];
      readable_[address - start_ + i] = true;
    }
  }
  // Marks `count` registers from `address` as unreadable (a failed read).
  void mark_unreadable(uint32_t address, uint32_t count) {
    reserve(address, count);
    for (uint32_t i = 0; i < count; ++i) readable_[address - start_ + i] = false;
  }
  bool readable(uint32_t address) const {
    return address >= start_ && address - start_ < readable_.size() && readable_[address - start_];
  }
  bool readable(uint32_t address, uint32_t count) const {
    for (uint32_t i = 0; i < count; ++i)
      if (!readable(address + i)) return false;
    return true;
  }
  // The word at `address`; 0 when it is not readable.
  uint16_t at(uint32_t address) const { return readable(address) ? words_[address - start_] : 0; }
  uint32_t start() const { return start_; }
  uint32_t end() const { return start_ + static_cast<uint32_t>(words_.size()); }
  bool empty() const { return words_.empty(); }

 private:
  void reserve(uint32_t address, size_t count) {
    if (words_.empty()) start_ = address;
    if (address < start_) {
      const size_t grow = start_ - address;
      words_.insert(words_.begin(), grow, 0);
      readable_.insert(readable_.begin(), grow, false);
      start_ = address;
    }
    const size_t needed = address - start_ + count;
    if (needed > words_.size()) {
      words_.resize(needed, 0);
      readable_.resize(needed, false);
    }
  }

  uint32_t start_ = 0;
  std::vector<uint16_t> words_;
  std::vector<bool> readable_;
};

}  // namespace hepek::sunspec
