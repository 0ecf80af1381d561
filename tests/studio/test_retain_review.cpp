// How long the library keeps a buffer's memory (`retain`: only during the call, until
// the object the call creates is released, until the command the call queues completes)
// is reviewed in the editor: it shows the spec's value, choosing another and applying
// edits the parameter, undo restores it, and the saved project has it.
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
#include "review_controller.h"
#include "review_workspace.h"
#include "remora/spec/json_io.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {
const spec::Param& value_param(ProjectSession* s) { return test::param_of(s, "sampleQuery", "value"); }
}  // namespace

TEST_CASE("retain is shown, chosen, undone and saved", "[studio][retain]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString json = dir.filePath(QStringLiteral("sample.json"));
  const QString project = dir.filePath(QStringLiteral("sample.remora"));
  spec::Spec s = test::sample_spec();
  s.functions[0].find_param("value")->ann.retain = "object";
  spec::save_spec_file(s, json.toStdString());
  {
    MainWindow window;
    ReviewWorkspace* ws = test::open_for_review(window, json, project, QStringLiteral("sampleQuery"), QStringLiteral("value"));
    ProjectSession* session = window.session();
    ParamEditor* editor = ws->paramEditor();
    QComboBox* box = editor->retainBox();
    REQUIRE(box);
    CHECK(box->isVisibleTo(editor));
    CHECK(box->currentData().toString() == QStringLiteral("object"));  // the spec's value
    CHECK(annotation_summary(value_param(session).ann).contains(QStringLiteral("kept by its object")));

    box->setCurrentIndex(box->findData(QStringLiteral("command")));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(value_param(session).ann.retain == "command");
    CHECK(value_param(session).status == spec::ReviewStatus::Edited);
    CHECK(annotation_summary(value_param(session).ann).contains(QStringLiteral("kept until its command completes")));

    session->undoStack()->undo();
    QApplication::processEvents();
    CHECK(value_param(session).ann.retain == "object");
    CHECK(box->currentData().toString() == QStringLiteral("object"));
    session->undoStack()->redo();
    QApplication::processEvents();
    CHECK(value_param(session).ann.retain == "command");

    box->setCurrentIndex(box->findData(QString()));  // "only during the call"
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(value_param(session).ann.retain.empty());
    session->undoStack()->undo();
    QApplication::processEvents();
    window.saveProject();
    session->flush();
  }
  MainWindow reopened;
  REQUIRE(reopened.openProject(project));
  CHECK(value_param(reopened.session()).ann.retain == "command");
}
