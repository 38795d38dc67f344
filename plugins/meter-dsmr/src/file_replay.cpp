#include "file_replay.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace hepek::dsmr {

FileReplay FileReplay::load(const std::string& path, bool loop) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open telegram file " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << file.rdbuf();
  TelegramStreamReader reader;
  FileReplay replay;
  replay.loop_ = loop;
  replay.events_ = reader.feed(content.str());
  auto tail = reader.finish();
  replay.events_.insert(replay.events_.end(), std::make_move_iterator(tail.begin()),
                        std::make_move_iterator(tail.end()));
  if (replay.events_.empty()) throw std::runtime_error("telegram file " + path + " holds no telegram");
  return replay;
}

const StreamEvent* FileReplay::next() {
  if (position_ >= events_.size()) {
    if (!loop_) return nullptr;
    position_ = 0;
  }
  return &events_[position_++];
}

}  // namespace hepek::dsmr
