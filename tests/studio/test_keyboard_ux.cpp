// Keyboard and layout details a reviewer hits all day: typing in the search box
// keeps the focus there (no key lands in the editor's combo boxes), the
// "changed by trace" filter is not hidden by a stale search, and the editor's
// form starts at the top for each annotation.
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>

#include "annotation_chip.h"
#include "function_list_panel.h"
#include "function_view.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "review_controller.h"
#include "review_workspace.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

// The sample spec plus enough functions that a search narrows the list over
// several keystrokes (each one re-filters and may change the selection).
spec::Spec searchable_spec() {
  spec::Spec s = test::sample_spec();
  const spec::Function model = s.functions[0];
  for (const char* name :
       {"sampleCreate", "sampleCopy", "sampleRead", "sampleReadRect", "sampleRetain"}) {
    spec::Function f = model;
    f.name = name;
    f.params[2].confidence = 0.3;  // needs review: the list selects these first
    s.functions.push_back(f);
  }
  return s;
}

struct OpenProject {
  QTemporaryDir dir;
  MainWindow window;
  explicit OpenProject(const spec::Spec& spec) {
    const QString path = dir.filePath(QStringLiteral("keys.remora"));
    { ProjectSession::create(path, {}, spec); }
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    REQUIRE(window.openProject(path));
    REQUIRE(QTest::qWaitForWindowActive(&window));
  }
};

}  // namespace

TEST_CASE("typing fast in the search box keeps the focus there", "[studio][keys]") {
  test::ensure_app();
  OpenProject open(searchable_spec());
  ReviewWorkspace* ws = open.window.workspace();
  ParamEditor* editor = ws->paramEditor();
  // The editor shows the selected annotation exactly: no typed key changed a field.
  auto editor_matches_selection = [&] {
    const spec::Function* f = open.window.session()->function(ws->controller()->currentFunction());
    const spec::Param* p =
        f ? f->find_param(ws->controller()->currentParam().toStdString()) : nullptr;
    return p &&
           editor->directionBox()->currentData().toInt() == static_cast<int>(p->ann.direction) &&
           editor->kindBox()->currentData().toInt() == static_cast<int>(p->ann.kind);
  };

  // Ctrl+F, then a burst of keys with no event processing between them.
  QTest::keyClick(&open.window, Qt::Key_F, Qt::ControlModifier);
  QLineEdit* search = ws->functionList()->searchBox();
  REQUIRE(QApplication::focusWidget() == search);
  for (QChar c : QStringLiteral("samplereadrect")) QTest::keyClick(search, c.toLatin1());
  QApplication::processEvents();
  CHECK(search->text() == QStringLiteral("samplereadrect"));
  CHECK(QApplication::focusWidget() == search);
  CHECK(ws->functionList()->visibleFunctions() == QStringList{QStringLiteral("sampleReadRect")});
  // Letters that are single-key shortcuts elsewhere (J, K, E) are text here.
  QTest::keyClicks(search, QStringLiteral("jke"));
  CHECK(search->text() == QStringLiteral("samplereadrectjke"));
  CHECK(QApplication::focusWidget() == search);
  CHECK(ws->controller()->currentFunction() == QStringLiteral("sampleReadRect"));
  CHECK(editor_matches_selection());
  // Backspacing widens the list again; the focus stays.
  for (int i = 0; i < 8; ++i) QTest::keyClick(search, Qt::Key_Backspace);
  CHECK(search->text() == QStringLiteral("samplerea"));
  CHECK(QApplication::focusWidget() == search);
  CHECK(ws->functionList()->visibleFunctions().size() == 2);
  CHECK(editor_matches_selection());
}

TEST_CASE("after a trace the changed filter is not hidden by a stale search", "[studio][keys]") {
  test::ensure_app();
  OpenProject open(searchable_spec());
  ReviewWorkspace* ws = open.window.workspace();
  FunctionListPanel* list = ws->functionList();
  QTest::keyClicks(list->searchBox(), QStringLiteral("sampleCopy"));
  REQUIRE(list->visibleFunctions() == QStringList{QStringLiteral("sampleCopy")});

  // What a re-inference after a trace does: a new spec, some annotations changed.
  ProjectSession* session = open.window.session();
  session->replaceSpec(session->spec(),
                       {annotation_key(QStringLiteral("sampleRead"), QStringLiteral("value"))});
  list->showChangedByTrace();
  CHECK(list->searchBox()->text().isEmpty());
  CHECK(list->visibleFunctions() == QStringList{QStringLiteral("sampleRead")});
}

TEST_CASE("the editor scrolls back to the top for each parameter", "[studio][keys]") {
  test::ensure_app();
  OpenProject open(searchable_spec());
  open.window.resize(900, 420);  // a short editor pane: the form scrolls
  QApplication::processEvents();
  ReviewWorkspace* ws = open.window.workspace();
  ws->controller()->select(QStringLiteral("sampleQuery"), QStringLiteral("value"));
  QApplication::processEvents();
  QScrollBar* bar = ws->paramEditor()->scrollArea()->verticalScrollBar();
  REQUIRE(bar->maximum() > 0);
  bar->setValue(bar->maximum());
  // Move to another parameter with the keyboard: Tab to its chip, Space selects it.
  AnnotationChip* chip = ws->functionView()->chip(QStringLiteral("object"));
  REQUIRE(chip);
  chip->setFocus();
  QTest::keyClick(chip, Qt::Key_Space);
  QApplication::processEvents();
  REQUIRE(ws->controller()->currentParam() == QStringLiteral("object"));
  CHECK(bar->value() == 0);
  // J to the next annotation needing review: the form starts at the top again.
  bar->setValue(bar->maximum());
  QTest::keyClick(ws->functionList()->table(), Qt::Key_J);
  QApplication::processEvents();
  CHECK(bar->value() == 0);
}
