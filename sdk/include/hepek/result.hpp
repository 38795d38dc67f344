// Result<T>: a value, or an error message that names the bad input and where it is wrong. The one error model of
// the C++ SDK layer (g++ 12 has no std::expected): parsing and validation return a Result; only programming errors
// and failures the caller cannot act on (out of memory, a broken host) throw.
//
// Contract: header-only, a value type; no shared state. value() on a failed result throws std::logic_error
// with the error text (a programming error: check ok() first), so a forgotten check fails loudly, never with UB.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace hepek {

template <typename T>
class [[nodiscard]] Result {
 public:
  static Result success(T value) { return Result(std::move(value), {}); }
  static Result failure(std::string error) { return Result(std::nullopt, std::move(error)); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return checked(); }
  T& value() & { return const_cast<T&>(checked()); }
  T&& value() && { return std::move(const_cast<T&>(checked())); }
  const T* operator->() const { return &checked(); }
  const T& operator*() const { return checked(); }
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

// A Result without a value: success, or an error message.
class [[nodiscard]] Status {
 public:
  static Status success() { return Status({}); }
  static Status failure(std::string error) { return Status(std::move(error)); }
  bool ok() const { return error_.empty(); }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }

 private:
  explicit Status(std::string error) : error_(std::move(error)) {}
  std::string error_;
};

}  // namespace hepek
