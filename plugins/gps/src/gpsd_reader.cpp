#include "gpsd_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>

#include <hepek/command_validation.hpp>

namespace hepek::gps {
namespace {

// gpsd's longest report (GPS_JSON_RESPONSE_MAX in gpsd.h, 10240) with room to spare; libgps truncates to it.
constexpr std::size_t kLineMax = 16384;

// The "class" of a gpsd JSON report ({"class":"TPV",...}: gpsd always writes it first); empty when absent.
std::string class_of(std::string_view line) {
  constexpr std::string_view kKey = "{\"class\":\"";
  if (line.substr(0, kKey.size()) != kKey) return {};
  line.remove_prefix(kKey.size());
  const auto end = line.find('"');
  return end == std::string_view::npos ? std::string() : std::string(line.substr(0, end));
}

std::string trimmed(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return quote_prefix(line);
}

}  // namespace

std::string ReaderSettings::describe() const {
  return "gpsd at " + host + ":" + std::to_string(port) + (device.empty() ? "" : " (device " + device + ")");
}

GpsdReader::GpsdReader(ReaderSettings settings, Callbacks callbacks)
    : settings_(std::move(settings)), callbacks_(std::move(callbacks)) {}

GpsdReader::~GpsdReader() {
  stop();
}

void GpsdReader::start() {
  thread_ = std::thread([this] { run(); });
}

void GpsdReader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  signal_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool GpsdReader::wait(int64_t ms) {
  std::unique_lock lock(mutex_);
  return !signal_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

bool GpsdReader::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void GpsdReader::run() {
  int64_t backoff = settings_.reconnect_min_ms;
  uint64_t failures = 0;
  while (!stopping()) {
    bool watched = false;
    const std::string why = session(watched);
    if (stopping()) return;
    if (watched) {  // it worked for a while: start the backoff over
      backoff = settings_.reconnect_min_ms;
      failures = 0;
    }
    callbacks_.lost(settings_.describe() + ": " + why, ++failures);
    if (!wait(backoff)) return;
    backoff = std::min(backoff * 2, settings_.reconnect_max_ms);
  }
}

std::string GpsdReader::session(bool& watched) {
  gps_data_t data{};
  const std::string port = std::to_string(settings_.port);
  errno = 0;
  if (gps_open(settings_.host.c_str(), port.c_str(), &data) != 0)
    return std::string("cannot connect: ") + gps_errstr(errno);
  const unsigned flags = WATCH_ENABLE | WATCH_JSON | (settings_.device.empty() ? 0u : WATCH_DEVICE);
  void* device = settings_.device.empty() ? nullptr : const_cast<char*>(settings_.device.c_str());
  if (gps_stream(&data, flags, device) != 0) {
    const std::string why = std::string("cannot send ?WATCH: ") + std::strerror(errno);
    gps_close(&data);
    return why;
  }
  bool sky_seen = false;
  std::string release, ended;
  char line[kLineMax];
  while (!stopping()) {
    errno = 0;
    if (!gps_waiting(&data, settings_.poll_ms * 1000)) {
      if (errno != 0 && errno != EINTR && errno != EAGAIN) {
        ended = std::string("waiting for data failed: ") + std::strerror(errno);
        break;
      }
      continue;
    }
    line[0] = '\0';
    errno = 0;
    const int read = gps_read(&data, line, sizeof line);
    if (read == -1) {
      ended = errno != 0 ? std::string("the connection failed: ") + std::strerror(errno)
                         : std::string("gpsd closed the connection");
      break;
    }
    if (read == 0) continue;  // nothing complete yet
    if (read < 0) {
      callbacks_.bad_input("libgps could not read a message (" + std::string(gps_errstr(read)) +
                           "): " + trimmed(line));
      continue;
    }
    const std::string kind = class_of(line);
    if (kind == "TPV") {
      const Fix fix = fix_of(data, sky_seen);
      if (!fix.problem.empty()) callbacks_.bad_input("gpsd reported " + fix.problem + ": " + trimmed(line));
      callbacks_.report(fix);
    } else if (kind == "SKY") {
      sky_seen = true;
    } else if (kind == "VERSION") {
      release = data.version.release;
    } else if (kind == "WATCH") {
      if (!watched) callbacks_.watching(release.empty() ? "unknown" : release);
      watched = true;
    } else if (kind == "ERROR") {
      callbacks_.bad_input("gpsd: " + trimmed(line));
    } else if (kind.empty()) {
      callbacks_.bad_input("not a gpsd report: " + trimmed(line));
    }
    // DEVICES, DEVICE, GST, ATT, TOFF, PPS, ... carry nothing the location interface needs.
  }
  gps_close(&data);
  return ended;
}

}  // namespace hepek::gps
