// A value or an error message naming the bad input: the recorder's internal result type (g++ 12 has no
// std::expected). Errors are for bad input at the edges (requests, metadata, states); I/O failures throw.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace hepek::recorder {

template <typename T>
class Result {
 public:
  static Result success(T value) { return Result(std::move(value), {}); }
  static Result failure(std::string error) { return Result(std::nullopt, std::move(error)); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  const std::string& error() const { return error_; }

 private:
  Result(std::optional<T> value, std::string error) : value_(std::move(value)), error_(std::move(error)) {}
  std::optional<T> value_;
  std::string error_;
};

}  // namespace hepek::recorder
