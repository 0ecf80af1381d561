// Box<T>: a copyable owning pointer, so model structs can nest (an
// annotation's element annotation, a C type's pointee).
#pragma once

#include <memory>
#include <utility>

namespace remora::spec {

// Copyable owning pointer, so Annotation can nest (element of element).
template <class T>
class Box {
 public:
  Box() = default;
  explicit Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}
  Box(const Box& other) : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  explicit operator bool() const { return ptr_ != nullptr; }
  T* get() const { return ptr_.get(); }
  T& operator*() const { return *ptr_; }
  T* operator->() const { return ptr_.get(); }
  void reset() { ptr_.reset(); }
  bool operator==(const Box& other) const {
    if (!ptr_ || !other.ptr_) return ptr_ == other.ptr_;
    return *ptr_ == *other.ptr_;
  }

 private:
  std::unique_ptr<T> ptr_;
};

}  // namespace remora::spec
