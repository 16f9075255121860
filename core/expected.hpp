#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "core/ec.hpp"

namespace gw {

/// A value or the failure that prevented it (what the store's repositories
/// return). C++17 has no std::expected; this is the small part we need.
template <class T>
class expected {
public:
  expected(T value) : v_(std::move(value)) {}
  expected(failure f) : v_(std::move(f)) {}

  explicit operator bool() const {
    return v_.index() == 0;
  }

  T& operator*() {
    return std::get<0>(v_);
  }
  const T& operator*() const {
    return std::get<0>(v_);
  }
  T* operator->() {
    return &std::get<0>(v_);
  }
  const T* operator->() const {
    return &std::get<0>(v_);
  }

  /// The failure (only when there is no value).
  const failure& error() const {
    return std::get<1>(v_);
  }

  /// The value, or `fallback` on failure.
  T value_or(T fallback) const {
    return *this ? **this : std::move(fallback);
  }

private:
  std::variant<T, failure> v_;
};

/// Success, or the failure that prevented it.
template <>
class expected<void> {
public:
  expected() = default;
  expected(failure f) : err_(std::move(f)) {}

  explicit operator bool() const {
    return !err_;
  }

  const failure& error() const {
    return *err_;
  }

private:
  std::optional<failure> err_;
};

} // namespace gw
