// Shared helpers for the studio tests: one offscreen QApplication, waiting on
// the event loop, and a small hand-made spec for unit tests.
#pragma once

#include <QString>
#include <catch2/catch.hpp>
#include <functional>

#include "remora/spec/model.h"

namespace remora::studio {
class MainWindow;
class ProjectSession;
class ReviewWorkspace;
}

namespace remora::studio::test {

// Creates the QApplication (offscreen, isolated QSettings) on first use.
void ensure_app();
// Processes events until `done` or the timeout; returns done().
bool wait_until(const std::function<bool()>& done, int timeout_ms);
// A small two-function spec (no API knowledge): one function with a size-bearing
// buffer, one with a conflict.
spec::Spec sample_spec();
// A parameter of a function of the session's project (the test fails if either is missing).
const spec::Param& param_of(ProjectSession* session, const char* function, const char* param);
// Shows `window`, imports the spec file `json` into a new project at `project` and selects
// `function` (and `param`, or the function level when empty) for review.
ReviewWorkspace* open_for_review(MainWindow& window, const QString& json, const QString& project,
                                 const QString& function, const QString& param);

}  // namespace remora::studio::test

namespace Catch {
template <>
struct StringMaker<QString> {
  static std::string convert(const QString& s) { return '"' + s.toStdString() + '"'; }
};
}  // namespace Catch
