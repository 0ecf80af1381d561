// Shared helpers for the studio tests: one offscreen QApplication, waiting on
// the event loop, and a small hand-made spec for unit tests.
#pragma once

#include <QString>
#include <catch2/catch.hpp>
#include <functional>

#include "remora/spec/model.h"

namespace remora::studio::test {

// Creates the QApplication (offscreen, isolated QSettings) on first use.
void ensure_app();
// Processes events until `done` or the timeout; returns done().
bool wait_until(const std::function<bool()>& done, int timeout_ms);
// A small two-function spec (no API knowledge): one function with a size-bearing
// buffer, one with a conflict.
spec::Spec sample_spec();

}  // namespace remora::studio::test

namespace Catch {
template <>
struct StringMaker<QString> {
  static std::string convert(const QString& s) { return '"' + s.toStdString() + '"'; }
};
}  // namespace Catch
