#include "studio_test_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>

#include <QTest>

#include "main_window.h"
#include "project_session.h"
#include "review_controller.h"
#include "review_workspace.h"

namespace remora::studio::test {

void ensure_app() {
  if (QApplication::instance()) return;
  qputenv("QT_QPA_PLATFORM", "offscreen");
  // Test mode keeps QSettings (recent projects) away from the user's.
  QStandardPaths::setTestModeEnabled(true);
  static int argc = 1;
  static char name[] = "studio_tests";
  static char* argv[] = {name, nullptr};
  // Deliberately never destroyed: a static QApplication would be torn down
  // after Qt's own global statics at exit and crash the test process.
  new QApplication(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("RemoraTests"));
  QApplication::setApplicationName(QStringLiteral("Remora Studio Tests"));
}

bool wait_until(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeout_ms) return done();
    QApplication::processEvents(QEventLoop::AllEvents, 10);
  }
  return true;
}

const spec::Param& param_of(ProjectSession* session, const char* function, const char* param) {
  REQUIRE(session);
  const spec::Function* f = session->function(QString::fromUtf8(function));
  REQUIRE(f);
  const spec::Param* p = f->find_param(param);
  REQUIRE(p);
  return *p;
}

ReviewWorkspace* open_for_review(MainWindow& window, const QString& json, const QString& project,
                                 const QString& function, const QString& param) {
  window.show();
  REQUIRE(QTest::qWaitForWindowExposed(&window));
  REQUIRE(window.importSpecJson(json, project));
  REQUIRE(window.session());
  ReviewWorkspace* ws = window.workspace();
  ws->controller()->select(function, param);
  QApplication::processEvents();
  return ws;
}

spec::Spec sample_spec() {
  spec::Spec s;
  s.api.name = "Sample";
  s.api.headers = {"sample.h"};
  s.api.library = "libsample.so.1";

  spec::Function query;
  query.name = "sampleQuery";
  query.ret.type = "int";
  query.confidence = 0.9;
  spec::Param handle;
  handle.name = "object";
  handle.type = "sample_handle";
  handle.ann.kind = spec::Kind::Handle;
  handle.confidence = 0.95;
  spec::Param size;
  size.name = "value_size";
  size.type = "size_t";
  size.confidence = 0.9;
  spec::Param value;
  value.name = "value";
  value.type = "void *";
  value.ann.direction = spec::Direction::Out;
  value.ann.kind = spec::Kind::Buffer;
  value.ann.size = "value_size";
  value.ann.size_unit = spec::SizeUnit::Bytes;
  value.ann.nullable = true;
  value.confidence = 0.6;
  spec::Evidence header;
  header.source = spec::EvidenceSource::Header;
  header.says.direction = spec::Direction::Out;
  header.weight = 0.6;
  header.why = "non-const void* followed by size_t value_size";
  spec::Evidence docs;
  docs.source = spec::EvidenceSource::Docs;
  docs.says.size = "value_size";
  docs.weight = 0.8;
  docs.why = "\"value is a pointer to memory where the result is returned\"";
  value.evidence = {header, docs};
  query.params = {handle, size, value};

  spec::Function release;
  release.name = "sampleRelease";
  release.ret.type = "int";
  spec::Param target;
  target.name = "target";
  target.type = "sample_handle";
  target.ann.kind = spec::Kind::Handle;
  target.ann.deallocates = true;
  target.confidence = 0.4;
  target.conflicts = {"docs say it releases the object; the trace saw it used afterwards"};
  release.params = {target};

  s.functions = {query, release};
  return s;
}

}  // namespace remora::studio::test
