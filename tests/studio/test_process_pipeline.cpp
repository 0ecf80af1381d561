// External steps (remora generate, cmake, samples, remora trace) run through
// QProcess with streamed output, clear failures, and cancel.
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>

#include "generate_dialog.h"
#include "process_pipeline.h"
#include "project_session.h"
#include "studio_test_support.h"
#include "trace_dialog.h"

using namespace remora::studio;

namespace {
ProcessStep shell(const QString& title, const QString& script) {
  ProcessStep step;
  step.title = title;
  step.program = QStringLiteral("/bin/sh");
  step.arguments = {QStringLiteral("-c"), script};
  return step;
}

struct Run {
  QString output;
  bool done = false, ok = false;
  QString message;
  void attach(ProcessPipeline& p) {
    QObject::connect(&p, &ProcessPipeline::output, [this](const QString& t) { output += t; });
    QObject::connect(&p, &ProcessPipeline::finished, [this](bool good, const QString& m) {
      done = true;
      ok = good;
      message = m;
    });
  }
};
}  // namespace

TEST_CASE("process pipeline: steps run in order and stop at the first failure", "[studio]") {
  test::ensure_app();
  ProcessPipeline pipeline;
  Run run;
  run.attach(pipeline);
  pipeline.start({shell("first", "echo one"), shell("second", "echo two >&2; exit 3"), shell("third", "echo three")});
  REQUIRE(test::wait_until([&] { return run.done; }, 20000));
  CHECK_FALSE(run.ok);
  CHECK(run.output.contains("one"));
  CHECK(run.output.contains("two"));  // stderr is shown too
  CHECK_FALSE(run.output.contains("three"));
  CHECK(run.message.contains("second failed with exit code 3"));
}

TEST_CASE("process pipeline: the log shows paths under the step's folder relative to it", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  ProcessPipeline pipeline;
  Run run;
  run.attach(pipeline);
  ProcessStep step = shell("where", "echo \"wrote $PWD/out/run.db and /etc/hosts\"");
  step.arguments << QStringLiteral("sh") << dir.filePath(QStringLiteral("in.json"));
  step.workingDirectory = dir.path();
  pipeline.start({step});
  REQUIRE(test::wait_until([&] { return run.done; }, 20000));
  CHECK(run.ok);
  // The echoed command names the program, not its path, and the argument relative to the folder.
  INFO(run.output.toStdString());
  CHECK(run.output.startsWith(QStringLiteral("$ sh -c")));
  CHECK(run.output.contains(QStringLiteral("sh in.json\n")));
  CHECK(run.output.contains(QStringLiteral("wrote out/run.db and /etc/hosts")));
  CHECK_FALSE(run.output.contains(dir.path()));
}

TEST_CASE("process pipeline: a missing program and a cancel are reported", "[studio]") {
  test::ensure_app();
  ProcessPipeline pipeline;
  Run missing;
  missing.attach(pipeline);
  ProcessStep step;
  step.title = "ghost";
  step.program = "/nonexistent/remora-ghost";
  pipeline.start({step});
  REQUIRE(test::wait_until([&] { return missing.done; }, 20000));
  CHECK(missing.message.contains("Could not start /nonexistent/remora-ghost"));

  ProcessPipeline slow;
  Run cancelled;
  cancelled.attach(slow);
  QElapsedTimer clock;
  clock.start();
  slow.start({shell("sleeping", "sleep 30")});
  test::wait_until([] { return false; }, 200);
  slow.cancel();
  REQUIRE(test::wait_until([&] { return cancelled.done; }, 20000));
  CHECK(cancelled.message.contains("Cancelled"));
  CHECK(clock.elapsed() < 20000);
}

TEST_CASE("trace and generate say clearly when the remora CLI is missing", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  auto session = ProjectSession::create(dir.filePath("cli.remora"), {}, test::sample_spec());
  qputenv("REMORA_CLI", "/nonexistent/remora");
  TraceDialog trace(session.get());
  trace.programEdit()->setText("/bin/true");
  QTest::mouseClick(trace.runButton(), Qt::LeftButton);
  CHECK(trace.statusLabel()->text().contains("was not found"));
  GenerateDialog generate(session.get());
  QTest::mouseClick(generate.runButton(), Qt::LeftButton);
  CHECK(generate.statusLabel()->text().contains("was not found"));
  qunsetenv("REMORA_CLI");
}
