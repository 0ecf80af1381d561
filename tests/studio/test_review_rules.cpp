// "Needs review" in the studio is remora infer's rule (below the threshold or
// conflicting, not yet confirmed); unsupported functions come first; J walks what
// needs review before what merely awaits confirmation; the bulk confirm is one
// named undo step recorded as HUMAN evidence; Ctrl+N is not ambiguous.
#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

#include "function_filter_proxy.h"
#include "function_list_model.h"
#include "main_window.h"
#include "new_project_dialog.h"
#include "project_session.h"
#include "review_controller.h"
#include "review_state.h"
#include "review_workspace.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

// sample_spec() plus a function inference could not support.
spec::Spec spec_with_unsupported() {
  spec::Spec s = test::sample_spec();
  spec::Function stub = s.functions[0];
  stub.name = "sampleVarargs";
  stub.supported = false;
  stub.unsupported_reason = "variadic";
  s.functions.push_back(stub);
  return s;
}

const spec::Param& param(ProjectSession* s, const char* f, const char* p) {
  const spec::Function* fn = s->function(QString::fromLatin1(f));
  REQUIRE(fn);
  const spec::Param* found = fn->find_param(p);
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE("needs review is remora infer's rule; above the threshold is only awaiting confirmation", "[studio]") {
  spec::Spec s = test::sample_spec();
  spec::Function& query = s.functions[0];  // object 0.95, value_size 0.9, value 0.6
  CHECK(function_badge(query) == Badge::NeedsReview);
  CHECK(param_needs_review(query, query.params[2]));
  CHECK_FALSE(param_needs_review(query, query.params[0]));
  CHECK(param_awaits_confirmation(query, query.params[0]));
  query.params[2].status = spec::ReviewStatus::Confirmed;
  CHECK(function_badge(query) == Badge::Inferred);  // the rest is above the threshold
  CHECK(progress_text(review_progress(s)).startsWith(QStringLiteral("1 need review · 1 of 4 parameters confirmed")));
  CHECK(status_label(spec::ReviewStatus::Inferred, 0.95, false) == QStringLiteral("inferred, awaiting confirmation"));
  CHECK(status_label(spec::ReviewStatus::Inferred, 0.5, false) == QStringLiteral("needs review"));
}

TEST_CASE("unsupported functions sort first in review order", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  auto session = ProjectSession::create(dir.filePath("order.remora"), {}, spec_with_unsupported());
  FunctionListModel model;
  model.setSession(session.get());
  FunctionFilterProxy proxy;
  proxy.setSourceModel(&model);
  proxy.sort(FunctionListModel::ConfidenceColumn, Qt::AscendingOrder);
  REQUIRE(proxy.rowCount() == 3);
  CHECK(proxy.index(0, 0).data(FunctionListModel::NameRole).toString() == "sampleVarargs");
  CHECK(proxy.index(0, FunctionListModel::StatusColumn).data().toString() == "unsupported");
  CHECK(proxy.index(0, FunctionListModel::ConfidenceColumn).data().toString() == QStringLiteral("—"));
  CHECK(proxy.index(1, 0).data(FunctionListModel::NameRole).toString() == "sampleRelease");  // conflict
}

TEST_CASE("J walks what needs review first; bulk confirm is one named undo step with human evidence", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString path = dir.filePath("walk.remora");
  ProjectSession::create(path, {}, test::sample_spec()).reset();
  MainWindow window;
  window.show();
  REQUIRE(window.openProject(path));
  ProjectSession* session = window.session();
  ReviewController* controller = window.workspace()->controller();

  // Below the threshold or conflicting, in list order: the conflict, then value (0.6).
  controller->select(QString(), QString());
  REQUIRE(controller->next());
  CHECK(controller->currentFunction() == "sampleRelease");
  REQUIRE(controller->next());
  CHECK(controller->currentParam() == "value");
  REQUIRE(controller->next());
  CHECK(controller->currentFunction() == "sampleRelease");  // wraps: nothing else is below the threshold

  // In sampleQuery, confirm all above the threshold: object and value_size, not value.
  controller->select("sampleQuery", "object");
  window.action("actionConfirmFunction")->trigger();
  CHECK(param(session, "sampleQuery", "object").status == spec::ReviewStatus::Confirmed);
  CHECK(param(session, "sampleQuery", "value_size").status == spec::ReviewStatus::Confirmed);
  CHECK(param(session, "sampleQuery", "value").status == spec::ReviewStatus::Inferred);
  const spec::Param& object = param(session, "sampleQuery", "object");
  CHECK(object.confidence == Approx(1.0));
  REQUIRE_FALSE(object.evidence.empty());
  CHECK(object.evidence.back().source == spec::EvidenceSource::Human);
  // Undo names what it undoes, and undoes it in one step.
  CHECK(window.action("actionUndo")->text().contains(QStringLiteral("Confirm 2 annotation(s) above the threshold")));
  window.action("actionUndo")->trigger();
  CHECK(param(session, "sampleQuery", "object").status == spec::ReviewStatus::Inferred);
  CHECK(param(session, "sampleQuery", "value_size").status == spec::ReviewStatus::Inferred);
}

TEST_CASE("Ctrl+N opens the new-project dialog from the start page, and a header pre-fills it", "[studio]") {
  test::ensure_app();
  MainWindow window;
  window.show();
  QApplication::setActiveWindow(&window);
  QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
  QApplication::processEvents();
  auto* dialog = window.findChild<NewProjectDialog*>();
  REQUIRE(dialog);
  dialog->reject();
  QApplication::processEvents();

  NewProjectDialog* prefilled = window.showNewProjectDialog(QStringLiteral("/usr/include/zlib.h"));
  CHECK(prefilled->headerEdit()->text() == QStringLiteral("/usr/include/zlib.h"));
  CHECK_FALSE(prefilled->headerEdit()->placeholderText().contains(QStringLiteral("CL/")));
  prefilled->reject();
}
