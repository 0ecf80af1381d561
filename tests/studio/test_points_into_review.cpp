// An out pointer the library sets inside another parameter's memory (`points_into`:
// SQLite's pzTail in zSql) is reviewed in the editor: it lists the call's other
// parameters, shows the spec's choice, applying edits the parameter, undo restores it,
// and the saved project has it.
#include <QApplication>
#include <QComboBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

#include "annotation_text.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "review_workspace.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {
const spec::Param& tail_param(ProjectSession* s) {
  return test::param_of(s, "sampleQuery", "value");
}
}  // namespace

TEST_CASE("points_into is shown, chosen, undone and saved", "[studio][points-into]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString json = dir.filePath(QStringLiteral("sample.json"));
  const QString project = dir.filePath(QStringLiteral("sample.remora"));
  spec::Spec s = test::sample_spec();
  spec::Param& tail = *s.functions[0].find_param("value");
  tail.type = "const char **";
  tail.ann.kind = spec::Kind::Element;
  tail.ann.size.clear();
  tail.ann.size_unit = spec::SizeUnit::Elements;
  spec::save_spec_file(s, json.toStdString());
  {
    MainWindow window;
    ReviewWorkspace* ws = test::open_for_review(
        window, json, project, QStringLiteral("sampleQuery"), QStringLiteral("value"));
    ProjectSession* session = window.session();
    ParamEditor* editor = ws->paramEditor();
    QComboBox* box = editor->pointsIntoBox();
    REQUIRE(box);
    CHECK(box->isVisibleTo(editor));
    CHECK(box->currentData().toString().isEmpty());       // its own memory
    CHECK(box->findData(QStringLiteral("object")) >= 0);  // the call's other parameters
    CHECK(box->findData(QStringLiteral("value")) < 0);    // never itself

    box->setCurrentIndex(box->findData(QStringLiteral("object")));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(tail_param(session).ann.points_into == "object");
    CHECK(tail_param(session).status == spec::ReviewStatus::Edited);
    CHECK(
        annotation_summary(tail_param(session).ann).contains(QStringLiteral("points into object")));

    session->undoStack()->undo();
    QApplication::processEvents();
    CHECK(tail_param(session).ann.points_into.empty());
    session->undoStack()->redo();
    QApplication::processEvents();
    CHECK(tail_param(session).ann.points_into == "object");
    window.saveProject();
    session->flush();
  }
  MainWindow reopened;
  REQUIRE(reopened.openProject(project));
  CHECK(tail_param(reopened.session()).ann.points_into == "object");
}
