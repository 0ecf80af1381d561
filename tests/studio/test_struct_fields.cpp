// Struct-field annotations are reviewed like parameters: a struct with pointer
// members is a "struct T" row in the function list, its members are chips,
// the parameter editor edits them (sizes over sibling members), undo works,
// J/F8 and the footer count them, and the edit is saved into the project's
// types[] (reopened and exported).
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>

#include "annotation_chip.h"
#include "function_list_model.h"
#include "function_list_panel.h"
#include "function_view.h"
#include "inference_backend.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "review_controller.h"
#include "review_state.h"
#include "review_workspace.h"
#include "struct_rows.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

const char* kHeader = R"(#include <stddef.h>
/* A made-up API: one struct with pointer members, passed by pointer. */
typedef struct demo_desc {
  const float *samples;
  size_t sample_count;
  unsigned int flags;
  const char *label;
} demo_desc;
typedef struct demo_ctx_s *demo_ctx;
int demo_submit(demo_ctx ctx, const demo_desc *desc);
int demo_version(int *major, int *minor);
)";

const spec::StructField* field_of(const spec::Spec& s, const char* type, const char* field) {
  const spec::Type* t = s.find_type(type);
  return t ? t->find_field(field) : nullptr;
}

}  // namespace

TEST_CASE("struct fields are reviewed and edited like parameters, and saved into types[]",
          "[studio][struct]") {
  test::ensure_app();
  if (!inference_available()) {
    WARN("skipped: this build has no remora_inference");
    return;
  }
  QTemporaryDir dir;
  const QString header = dir.filePath(QStringLiteral("demo.h"));
  {
    QFile file(header);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(kHeader);
  }
  const QString project = dir.filePath(QStringLiteral("demo.remora"));
  const QString row = QStringLiteral("struct demo_desc");
  {
    MainWindow window;
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    NewProjectDialog* dialog = window.showNewProjectDialog(header);
    QTest::keyClicks(dialog->libraryEdit(), QStringLiteral("libdemo.so.1"));
    dialog->projectEdit()->setText(project);
    QSignalSpy finished(&window, &MainWindow::backgroundFinished);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    REQUIRE(test::wait_until([&] { return finished.count() > 0; }, 120000));
    INFO("last error: " << window.lastError().toStdString());
    REQUIRE(finished.front().front().toBool());
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    ProjectSession* session = window.session();
    ReviewWorkspace* ws = window.workspace();
    REQUIRE(window.exportSpecJson(
        dir.filePath(QStringLiteral("inferred.json"))));  // for remora diff below

    // The struct is a row; its pointer members are its "parameters", value members are not.
    const spec::Function* members = session->function(row);
    REQUIRE(members);
    CHECK(members->find_param("samples"));
    CHECK(members->find_param("label"));
    CHECK_FALSE(members->find_param("flags"));
    CHECK(ws->functionList()->model()->rowCount() ==
          static_cast<int>(session->spec().functions.size()) + 1);
    // The footer counts them.
    const ReviewProgress progress = review_progress(session->spec());
    CHECK(progress.fields == 2);
    CHECK(ws->functionList()->progressLabel()->text().contains(
        QStringLiteral("0 of 2 struct fields confirmed")));

    // The walk reaches the members like parameters: Ctrl+Enter confirms and moves
    // on (first what needs review, then what awaits confirmation).
    bool reached = false;
    for (int i = 0; i < 10 && !reached; ++i) {
      reached = ws->controller()->currentFunction() == row;
      if (!reached)
        QTest::keyClick(ws->functionList()->table(), Qt::Key_Return, Qt::ControlModifier);
    }
    CHECK(reached);
    CHECK(review_progress(session->spec()).needs_review == 0);

    // Select the member's chip and edit its size in the same editor.
    ws->functionList()->selectFunction(row);
    QApplication::processEvents();
    AnnotationChip* chip = ws->functionView()->chip(QStringLiteral("samples"));
    REQUIRE(chip);
    QTest::mouseClick(chip, Qt::LeftButton);
    REQUIRE(ws->controller()->currentParam() == QStringLiteral("samples"));
    ParamEditor* editor = ws->paramEditor();
    CHECK(editor->sizeEdit()->isEnabled());
    // A size may name sibling members (flags is a value member, still a sibling), not parameters.
    editor->sizeEdit()->clear();
    QTest::keyClicks(editor->sizeEdit(), QStringLiteral("ctx * 2"));
    CHECK(editor->sizeMessage()->isVisible());
    editor->sizeEdit()->clear();
    QTest::keyClicks(editor->sizeEdit(), QStringLiteral("sample_count * 2"));
    CHECK_FALSE(editor->sizeMessage()->isVisible());
    editor->kindBox()->setCurrentIndex(editor->kindBox()->findText(QStringLiteral("buffer")));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    const spec::StructField* samples = field_of(session->spec(), "demo_desc", "samples");
    REQUIRE(samples);
    CHECK(samples->ann.size == "sample_count * 2");
    CHECK(samples->status == spec::ReviewStatus::Edited);
    CHECK(samples->confidence == 1.0);
    CHECK(samples->evidence.back().source == spec::EvidenceSource::Human);
    CHECK(ws->functionList()->progressLabel()->text().contains(
        QStringLiteral("1 of 2 struct fields confirmed")));

    // Undo names the member and restores it; redo re-applies.
    CHECK(window.action(QStringLiteral("actionUndo"))
              ->text()
              .contains(QStringLiteral("struct demo_desc.samples")));
    QTest::keyClick(ws->functionList()->table(), Qt::Key_Z, Qt::ControlModifier);
    CHECK(field_of(session->spec(), "demo_desc", "samples")->status ==
          spec::ReviewStatus::Inferred);
    CHECK(field_of(session->spec(), "demo_desc", "samples")->ann.size != "sample_count * 2");
    QTest::keyClick(ws->functionList()->table(), Qt::Key_Z,
                    Qt::ControlModifier | Qt::ShiftModifier);
    CHECK(field_of(session->spec(), "demo_desc", "samples")->ann.size == "sample_count * 2");

    // Confirm the other member with the keyboard.
    ws->controller()->select(row, QStringLiteral("label"));
    QTest::keyClick(ws->functionList()->table(), Qt::Key_Return, Qt::ControlModifier);
    CHECK(field_of(session->spec(), "demo_desc", "label")->status == spec::ReviewStatus::Confirmed);
    QTest::keyClick(ws->functionList()->table(), Qt::Key_S, Qt::ControlModifier);
    session->flush();
    CHECK(window.exportSpecJson(dir.filePath(QStringLiteral("reviewed.json"))));
  }

  // Reopened: the project has it in types[], as does the exported spec.
  MainWindow reopened;
  REQUIRE(reopened.openProject(project));
  const spec::StructField* samples = field_of(reopened.session()->spec(), "demo_desc", "samples");
  REQUIRE(samples);
  CHECK(samples->ann.size == "sample_count * 2");
  CHECK(samples->status == spec::ReviewStatus::Edited);
  CHECK(field_of(reopened.session()->spec(), "demo_desc", "label")->status ==
        spec::ReviewStatus::Confirmed);
  CHECK(reopened.workspace()->functionList()->progressLabel()->text().contains(
      QStringLiteral("2 of 2 struct fields confirmed")));
  const spec::SpecLoad load =
      spec::load_spec_file(dir.filePath(QStringLiteral("reviewed.json")).toStdString());
  REQUIRE(load.ok());
  const spec::Spec& exported = load.spec;
  CHECK(field_of(exported, "demo_desc", "samples")->ann.size == "sample_count * 2");
  // No "struct T" row leaks into the functions.
  CHECK_FALSE(exported.find_function("struct demo_desc"));

  // `remora diff` reads the project and counts the member edit like a parameter edit.
  const QString cli = QStringLiteral(REMORA_BINARY_DIR "/app/cli/remora");
  if (!QFileInfo(cli).isExecutable()) {
    WARN("remora diff not checked: build the `remora` target");
    return;
  }
  QProcess diff;
  diff.start(cli, {QStringLiteral("diff"), dir.filePath(QStringLiteral("inferred.json")), project});
  REQUIRE(diff.waitForFinished(60000));
  const QString out = QString::fromUtf8(diff.readAllStandardOutput());
  INFO(out.toStdString());
  CHECK(out.contains(QStringLiteral("demo_desc")));
  CHECK(out.contains(QStringLiteral("samples")));
  CHECK(out.contains(QStringLiteral("sample_count * 2")));
}

TEST_CASE("a callback type's annotated arguments are a 'callback T' row, reviewed as a struct's members",
          "[studio][struct-fields]") {
  spec::Spec s;
  spec::Type cb;
  cb.name = "demo_text_fn";
  cb.kind = spec::TypeKind::Callback;
  cb.signature = "void (void *, const char *, int)";
  spec::StructField text("s", "const char *");
  text.ann.kind = spec::Kind::Buffer;
  text.ann.size = "len";
  spec::Evidence why;
  why.source = spec::EvidenceSource::Header;
  why.why = "char array with a length beside it";
  text.evidence.push_back(why);
  cb.fields = {spec::StructField("userData", "void *"), text, spec::StructField("len", "int")};
  s.types.push_back(cb);
  const auto rows = struct_rows(s);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].name == "callback demo_text_fn");
  CHECK(rows[0].ret.type == "callback");
  REQUIRE(rows[0].params.size() == 1);  // the argument with evidence; the plain ones have nothing to decide
  CHECK(rows[0].params[0].ann.size == "len");
  CHECK(struct_type_name(QString::fromStdString(rows[0].name)) == QStringLiteral("demo_text_fn"));
}
