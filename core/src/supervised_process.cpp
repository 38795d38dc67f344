#include "supervised_process.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "log.hpp"

namespace hepek::core {

SupervisedProcess::SupervisedProcess(std::string name, std::vector<std::string> argv, std::string log_file,
                                     std::function<bool()> ready)
    : name_(std::move(name)),
      argv_(std::move(argv)),
      log_file_(std::move(log_file)),
      ready_(std::move(ready)) {}

SupervisedProcess::~SupervisedProcess() {
  stop();
}

std::string SupervisedProcess::log_tail(int count) const {
  std::ifstream in(log_file_);
  std::vector<std::string> lines;
  std::string line, tail;
  while (std::getline(in, line)) lines.push_back(line);
  const std::size_t from = lines.size() > static_cast<std::size_t>(count) ? lines.size() - count : 0;
  for (std::size_t i = from; i < lines.size(); ++i) tail += "\n  " + lines[i];
  return tail;
}

bool SupervisedProcess::wait_until_ready(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (child_.exited()) return false;
    if (ready_()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void SupervisedProcess::start(int ready_timeout_ms) {
  stopping_ = false;
  child_.start(argv_, log_file_);
  if (!wait_until_ready(ready_timeout_ms)) {
    child_.stop(500);
    throw std::runtime_error(
        fmt::format("{} did not start; its log ({}) says:{}", name_, log_file_, log_tail()));
  }
  alive_ = true;
  supervisor_ = std::thread([this] { supervise(); });
}

void SupervisedProcess::supervise() {
  int backoff_ms = 200;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (stopping_) break;
    std::string how;
    if (!child_.exited(&how)) {
      backoff_ms = 200;
      continue;
    }
    alive_ = false;
    log_warning(name_, fmt::format("{} {}; restarting it in {} ms", name_, how, backoff_ms));
    wake_.wait_for(lock, std::chrono::milliseconds(backoff_ms));
    if (stopping_) break;
    backoff_ms = std::min(backoff_ms * 2, 5000);
    try {
      child_.start(argv_, log_file_);
      if (wait_until_ready(10000)) {
        alive_ = true;
        ++restarts_;
        log_info(name_, fmt::format("{} is back", name_));
      }
    } catch (const std::exception& e) {
      log_error(name_, fmt::format("cannot restart {}: {}", name_, e.what()));
    }
  }
}

void SupervisedProcess::stop() {
  stopping_ = true;
  wake_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  child_.stop(3000);
  alive_ = false;
}

}  // namespace hepek::core
