// Register dumps: the `address,value_hex,value_u16` CSV of real devices (testdata/sunspec/devices; an empty value
// is a register the device refused to read), loaded into a RegisterImage, and served as a RegisterSource that
// answers a read touching an unreadable or absent register with an "illegal data address" exception, as a
// device does.
//
// Contract: load_register_dump() fails naming the file and line that is wrong; never throws. DumpSource is not
// thread-safe.
#pragma once

#include <string>

#include <hepek/result.hpp>

#include "register_image.hpp"
#include "register_source.hpp"

namespace hepek::sunspec {

Result<RegisterImage> parse_register_dump(const std::string& text, const std::string& name);
Result<RegisterImage> load_register_dump(const std::string& path);

class DumpSource : public RegisterWriter {
 public:
  DumpSource(RegisterImage image, std::string name) : image_(std::move(image)), name_(std::move(name)) {}
  ReadResult read(uint32_t address, uint16_t count) override;
  // Stores the words where the registers are readable; an exception (illegal data address) elsewhere.
  ReadResult write(uint32_t address, std::span<const uint16_t> words) override;
  const RegisterImage& image() const { return image_; }
  std::string describe() const override { return "dump " + name_; }

 private:
  RegisterImage image_;
  std::string name_;
};

}  // namespace hepek::sunspec
