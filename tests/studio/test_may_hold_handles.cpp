// The `may_hold_handles` field (raw bytes in which a program may put handles among plain
// data; the stack translates handle values it finds there) is reviewed like the other
// boolean fields: the editor shows it, toggling it and applying records a human evidence
// that says it, undo restores it, and the saved project and the exported spec have it.
#include <QApplication>
#include <QCheckBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUndoStack>
#include <catch2/catch.hpp>

#include "evidence_panel.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "review_controller.h"
#include "review_workspace.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {
const spec::Param& value_param(ProjectSession* s) { return test::param_of(s, "sampleQuery", "value"); }
}  // namespace

TEST_CASE("may_hold_handles is shown, toggled with evidence, undone and saved", "[studio][may-hold-handles]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString json = dir.filePath(QStringLiteral("sample.json"));
  const QString project = dir.filePath(QStringLiteral("sample.remora"));
  const QString exported = dir.filePath(QStringLiteral("reviewed.json"));
  spec::save_spec_file(test::sample_spec(), json.toStdString());
  REQUIRE_FALSE(test::sample_spec().find_function("sampleQuery")->find_param("value")->ann.may_hold_handles);
  {
    MainWindow window;
    ReviewWorkspace* ws = test::open_for_review(window, json, project, QStringLiteral("sampleQuery"), QStringLiteral("value"));
    ProjectSession* session = window.session();
    ParamEditor* editor = ws->paramEditor();
    QCheckBox* box = editor->mayHoldHandlesBox();
    REQUIRE(box);
    CHECK(box->isVisibleTo(editor));
    CHECK_FALSE(box->isChecked());  // shows the spec's value

    QTest::mouseClick(box, Qt::LeftButton);
    REQUIRE(box->isChecked());
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    const spec::Param& edited = value_param(session);
    CHECK(edited.ann.may_hold_handles);
    CHECK(edited.status == spec::ReviewStatus::Edited);
    REQUIRE_FALSE(edited.evidence.empty());
    const spec::Evidence& human = edited.evidence.back();
    CHECK(human.source == spec::EvidenceSource::Human);
    REQUIRE(human.says.may_hold_handles.has_value());
    CHECK(*human.says.may_hold_handles);
    CHECK(ws->evidencePanel()->browser()->toPlainText().contains(QStringLiteral("may hold handles=yes")));

    // Undo brings back the spec's "no" (and the editor shows it); redo re-applies.
    session->undoStack()->undo();
    QApplication::processEvents();
    CHECK_FALSE(value_param(session).ann.may_hold_handles);
    CHECK_FALSE(box->isChecked());
    session->undoStack()->redo();
    QApplication::processEvents();
    CHECK(value_param(session).ann.may_hold_handles);
    CHECK(box->isChecked());

    window.saveProject();
    session->flush();
    REQUIRE(window.exportSpecJson(exported));
  }
  MainWindow reopened;
  REQUIRE(reopened.openProject(project));
  CHECK(value_param(reopened.session()).ann.may_hold_handles);
  const spec::SpecLoad load = spec::load_spec_file(exported.toStdString());
  REQUIRE(load.ok());
  const spec::Param* saved = load.spec.find_function("sampleQuery")->find_param("value");
  REQUIRE(saved);
  CHECK(saved->ann.may_hold_handles);
  CHECK(saved->status == spec::ReviewStatus::Edited);
}
