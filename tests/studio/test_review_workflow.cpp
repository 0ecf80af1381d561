// The studio's acceptance path, driven through the real widgets offscreen:
// create a project from /usr/include/CL/cl.h, confirm an annotation, try an
// invalid size expression (refused, with a visible message), apply a valid
// one, undo/redo, save, reopen: the state is as it was left.
#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTest>
#include <catch2/catch.hpp>

#include "annotation_chip.h"
#include "annotation_text.h"
#include "evidence_panel.h"
#include "function_list_panel.h"
#include "function_view.h"
#include "inference_backend.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "recent_projects.h"
#include "review_controller.h"
#include "review_state.h"
#include "review_workspace.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

const spec::Param& param_of(ProjectSession* s, const QString& f, const QString& p) {
  const spec::Function* fn = s->function(f);
  REQUIRE(fn);
  const spec::Param* param = fn->find_param(p.toStdString());
  REQUIRE(param);
  return *param;
}

// A buffer parameter with a size expression that still needs review, in a
// function other than `avoid` (so it is a second, independent annotation).
std::pair<QString, QString> sized_buffer(const spec::Spec& spec, const QString& avoid) {
  for (const auto& f : spec.functions)
    for (const auto& p : f.params)
      if (qs(f.name) != avoid && p.status == spec::ReviewStatus::Inferred && p.ann.kind == spec::Kind::Buffer &&
          !p.ann.size.empty() && f.supported)
        return {qs(f.name), qs(p.name)};
  return {};
}

void press(QWidget* target, Qt::Key key, Qt::KeyboardModifiers mods = Qt::NoModifier) {
  QTest::keyClick(target, key, mods);
  QApplication::processEvents();
}

}  // namespace

TEST_CASE("create from cl.h, confirm, edit, undo, save and reopen", "[studio][workflow]") {
  test::ensure_app();
  if (!inference_available()) {
    WARN("skipped: this build has no remora_inference, so the studio cannot infer from a header");
    return;
  }
  if (!QFileInfo::exists(QStringLiteral("/usr/include/CL/cl.h"))) {
    WARN("skipped: /usr/include/CL/cl.h not installed (scripts/setup.sh installs opencl-headers)");
    return;
  }
  QTemporaryDir dir;
  const QString project = dir.filePath(QStringLiteral("opencl.remora"));
  QString confirmed_fn, confirmed_param, edited_fn, edited_param, new_size;
  int total = 0;

  {
    MainWindow window;
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowExposed(&window));

    // New project dialog, filled in by typing.
    NewProjectDialog* dialog = window.showNewProjectDialog();
    QTest::keyClicks(dialog->headerEdit(), QStringLiteral("/usr/include/CL/cl.h"));
    QTest::keyClicks(dialog->definesEdit(), QStringLiteral("CL_TARGET_OPENCL_VERSION=300"));
    QTest::keyClicks(dialog->libraryEdit(), QStringLiteral("libOpenCL.so.1"));
    dialog->projectEdit()->clear();
    QTest::keyClicks(dialog->projectEdit(), project);
    QSignalSpy finished(&window, &MainWindow::backgroundFinished);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    REQUIRE(window.isBusy());  // inference runs in the background
    REQUIRE(test::wait_until([&] { return finished.count() > 0; }, 180000));
    INFO("last error: " << window.lastError().toStdString());
    REQUIRE(finished.front().front().toBool());

    ProjectSession* session = window.session();
    REQUIRE(session);
    // Keyboard shortcuts act in the active window (the dialog was active before).
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    REQUIRE(session->spec().functions.size() > 50);
    ReviewWorkspace* ws = window.workspace();
    QTableView* table = ws->functionList()->table();
    // One row per function, plus one per struct with pointer members (struct_rows.h).
    REQUIRE(table->model()->rowCount() == session->rowCount());
    REQUIRE(session->rowCount() >= static_cast<int>(session->spec().functions.size()));
    total = review_progress(session->spec()).total;
    REQUIRE(total > 100);
    const ReviewProgress progress = review_progress(session->spec());
    CHECK(progress.needs_review > 0);
    CHECK(ws->functionList()->progressLabel()->text() == progress_text(progress));
    CHECK(ws->functionList()->progressLabel()->text().contains(
        QStringLiteral("need review · 0 of %1 parameters confirmed").arg(total)));

    // The list puts unsupported functions first, then the least certain one needing review.
    const QStringList order = ws->functionList()->visibleFunctions();
    CHECK(function_badge(*session->function(order.front())) == Badge::Unsupported);
    double lowest = 1.0;
    for (const auto& f : session->spec().functions)
      if (function_needs_review(f)) lowest = std::min(lowest, function_certainty(f));
    QString first_to_review;
    for (const QString& name : order)
      if (function_needs_review(*session->function(name))) {
        first_to_review = name;
        break;
      }
    CHECK(function_certainty(*session->function(first_to_review)) == Approx(lowest));

    // Keyboard review: J goes to the first item needing review, Ctrl+Enter confirms it.
    table->setFocus();
    // Start on the very last item, so J has to wrap around to the first.
    const spec::Function* last = session->function(order.back());
    ws->controller()->select(order.back(), last->params.empty() ? QString() : qs(last->params.back().name));
    press(table, Qt::Key_J);
    confirmed_fn = ws->controller()->currentFunction();
    confirmed_param = ws->controller()->currentParam();
    REQUIRE(!confirmed_fn.isEmpty());
    REQUIRE(!confirmed_param.isEmpty());
    CHECK(confirmed_fn == first_to_review);
    CHECK(ws->evidencePanel()->browser()->toPlainText().contains(confirmed_param));
    press(table, Qt::Key_Return, Qt::ControlModifier);
    CHECK(param_of(session, confirmed_fn, confirmed_param).status == spec::ReviewStatus::Confirmed);
    CHECK(ws->functionList()->progressLabel()->text().contains(
        QStringLiteral("1 of %1 parameters confirmed").arg(total)));
    // Confirming moved on to the next item needing review.
    CHECK((ws->controller()->currentFunction() != confirmed_fn || ws->controller()->currentParam() != confirmed_param));

    // Select a sized buffer by clicking its chip in the function view.
    std::tie(edited_fn, edited_param) = sized_buffer(session->spec(), confirmed_fn);
    REQUIRE(!edited_fn.isEmpty());
    ws->functionList()->selectFunction(edited_fn);
    QApplication::processEvents();
    auto* chip = ws->functionView()->chip(edited_param);
    REQUIRE(chip);
    QTest::mouseClick(chip, Qt::LeftButton);
    REQUIRE(ws->controller()->currentParam() == edited_param);
    ParamEditor* editor = ws->paramEditor();
    const std::string original_size = param_of(session, edited_fn, edited_param).ann.size;
    CHECK(editor->sizeEdit()->text() == qs(original_size));

    // An invalid size expression: live message, and Apply refuses it visibly.
    editor->sizeEdit()->clear();
    QTest::keyClicks(editor->sizeEdit(), QStringLiteral("min(") + qs(original_size));
    CHECK(editor->sizeMessage()->isVisible());
    CHECK(editor->sizeMessage()->text().contains(QStringLiteral("Invalid size")));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(editor->message()->isVisible());
    CHECK(editor->message()->text().contains(QStringLiteral("Not applied")));
    CHECK(param_of(session, edited_fn, edited_param).ann.size == original_size);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Inferred);

    // A name that is not a parameter is refused too.
    editor->sizeEdit()->clear();
    QTest::keyClicks(editor->sizeEdit(), QStringLiteral("no_such_param * 2"));
    CHECK(editor->sizeMessage()->text().contains(QStringLiteral("no_such_param")));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Inferred);

    // A valid edit is applied.
    new_size = QStringLiteral("max(%1, 1)").arg(qs(original_size));
    editor->sizeEdit()->clear();
    QTest::keyClicks(editor->sizeEdit(), new_size);
    CHECK_FALSE(editor->sizeMessage()->isVisible());
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Edited);
    CHECK(qs(param_of(session, edited_fn, edited_param).ann.size) == new_size);

    // Undo restores the inferred annotation (and the editor shows it); redo re-applies.
    press(table, Qt::Key_Z, Qt::ControlModifier);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Inferred);
    CHECK(param_of(session, edited_fn, edited_param).ann.size == original_size);
    CHECK(editor->sizeEdit()->text() == qs(original_size));
    press(table, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    CHECK(qs(param_of(session, edited_fn, edited_param).ann.size) == new_size);

    // Revert to inferred (Ctrl+R) brings back the inferred size; undoing the revert re-applies the edit.
    press(table, Qt::Key_R, Qt::ControlModifier);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Inferred);
    CHECK(param_of(session, edited_fn, edited_param).ann.size == original_size);
    press(table, Qt::Key_Z, Qt::ControlModifier);
    CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Edited);
    CHECK(qs(param_of(session, edited_fn, edited_param).ann.size) == new_size);

    // Every change is in the review history.
    const auto history = session->reviewHistory(edited_fn);
    QStringList actions;
    for (const auto& e : history) actions << qs(e.action);
    CHECK(actions.join(' ').toStdString() == "edit revert edit revert revert");
    const auto confirms = session->reviewHistory(confirmed_fn);
    REQUIRE_FALSE(confirms.empty());
    CHECK(confirms.front().action == "confirm");

    press(table, Qt::Key_S, Qt::ControlModifier);
    session->flush();
    CHECK_FALSE(session->isDirty());
  }

  // Reopen: the state is as it was left.
  MainWindow reopened;
  reopened.show();
  REQUIRE(reopened.openProject(project));
  ProjectSession* session = reopened.session();
  CHECK(param_of(session, confirmed_fn, confirmed_param).status == spec::ReviewStatus::Confirmed);
  CHECK(param_of(session, edited_fn, edited_param).status == spec::ReviewStatus::Edited);
  CHECK(qs(param_of(session, edited_fn, edited_param).ann.size) == new_size);
  CHECK(reopened.workspace()->functionList()->progressLabel()->text().contains(
      QStringLiteral("2 of %1 parameters confirmed").arg(total)));
  CHECK(session->settings().defines == std::vector<std::string>{"CL_TARGET_OPENCL_VERSION=300"});
  CHECK(recent_projects().contains(QFileInfo(project).absoluteFilePath()));
}
