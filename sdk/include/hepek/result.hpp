// Result<T> and Status: the one error model of the C++ SDK layer (g++ 12 has no std::expected).
//
//  - Anything that can fail because of its input or the state of the hub returns a Result<T> (a value, or an
//    error) or a Status (success, or an error). The error text names the bad input and where it is wrong, e.g.
//    "\"setpoint_w\" in hepek/battery/set must be an integer, got \"high\"".
//  - A Status also carries a code from enum hepek_status (abi.h): HEPEK_OK on success; on failure
//    HEPEK_ERROR unless the failure came from the host with a more precise one (HEPEK_DENIED, HEPEK_INVALID,
//    HEPEK_UNAVAILABLE), so a caller can tell "not allowed" from "not now".
//  - Only programming errors and failures the caller cannot act on throw: a forgotten check (value() on an
//    error), a broken host, and the setup calls of Host (subscribe, every, announce), whose failure means the
//    instance cannot work at all; thrown in a constructor or start(), they refuse the instance with the message.
//  - Never an empty string, an optional or a bare int for an error: those say that it failed, not why.
//
// Contract: header-only value types; no shared state. value() on a failed Result throws std::logic_error with
// the error text (check ok() first), so a forgotten check fails loudly, never with undefined behaviour. A
// failure is never ok(): failure("") gets the text "unspecified error". Result is [[nodiscard]] (dropping a
// value-or-error is always a bug); Status is not, because many calls (publishing a state, cancelling a timer)
// are legitimately fire-and-forget: the host already logged why they failed.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "hepek/abi.h"

namespace hepek {

namespace detail {
inline std::string non_empty_error(std::string error) {
  return error.empty() ? std::string("unspecified error") : error;
}
}  // namespace detail

// The name of a hepek_status code ("ok", "error", "denied", "invalid", "unavailable"), for messages.
inline const char* status_name(int32_t code) {
  switch (code) {
    case HEPEK_OK:
      return "ok";
    case HEPEK_ERROR:
      return "error";
    case HEPEK_DENIED:
      return "denied";
    case HEPEK_INVALID:
      return "invalid";
    case HEPEK_UNAVAILABLE:
      return "unavailable";
  }
  return "unknown status";
}

template <typename T>
class [[nodiscard]] Result {
 public:
  static Result success(T value) { return Result(std::move(value), {}); }
  static Result failure(std::string error) {
    return Result(std::nullopt, detail::non_empty_error(std::move(error)));
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return checked(); }
  T& value() & { return const_cast<T&>(checked()); }
  T&& value() && { return std::move(const_cast<T&>(checked())); }
  const T* operator->() const { return &checked(); }
  const T& operator*() const { return checked(); }
  // The value, or `fallback` on an error.
  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }
  // The error text; empty when ok().
  const std::string& error() const { return error_; }

 private:
  Result(std::optional<T> value, std::string error) : value_(std::move(value)), error_(std::move(error)) {}
  const T& checked() const {
    if (!value_) throw std::logic_error("Result::value() on an error: " + error_);
    return *value_;
  }
  std::optional<T> value_;
  std::string error_;
};

// A Result without a value: success, or an error message and a hepek_status code. Default: success.
class Status {
 public:
  Status() = default;
  static Status success() { return Status(); }
  static Status failure(std::string error, int32_t code = HEPEK_ERROR) {
    return Status(detail::non_empty_error(std::move(error)), code == HEPEK_OK ? HEPEK_ERROR : code);
  }
  bool ok() const { return code_ == HEPEK_OK; }
  explicit operator bool() const { return ok(); }
  // HEPEK_OK, or the hepek_status of the failure.
  int32_t code() const { return code_; }
  // The error text; empty when ok().
  const std::string& error() const { return error_; }

  // Source compatibility with SDK 1.0, whose Host::publish returned the bare status code:
  // `host.publish(...) != HEPEK_OK` still compiles and means what it did.
  friend bool operator==(const Status& status, hepek_status code) { return status.code_ == code; }

 private:
  Status(std::string error, int32_t code) : error_(std::move(error)), code_(code) {}
  std::string error_;
  int32_t code_ = HEPEK_OK;
};

}  // namespace hepek
