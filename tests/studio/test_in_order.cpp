// The function-level `in_order` (the object a creating call makes runs its work in order)
// is reviewed where `sync` and `barrier` are: the function view and the evidence panel show
// it with its docs evidence, the editor edits it (a predicate is parsed as an in_order
// predicate; a call that creates nothing is refused), Confirm keeps it, and the exported
// spec has it.
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <catch2/catch.hpp>

#include "evidence_panel.h"
#include "function_view.h"
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

const char* kPredicate = "(flags & SAMPLE_OUT_OF_ORDER) == 0";

// The sample API plus a creating call whose docs say when its object runs in order.
spec::Spec spec_with_creator() {
  spec::Spec s = test::sample_spec();
  spec::Function create;
  create.name = "sampleCreate";
  create.ret.type = "sample_handle";
  create.ret.ann.kind = spec::Kind::Handle;
  create.ret.ann.allocates = true;
  create.confidence = 0.8;
  spec::Param flags;
  flags.name = "flags";
  flags.type = "unsigned long";
  flags.confidence = 0.9;
  create.params = {flags};
  create.in_order = kPredicate;
  spec::Evidence docs;
  docs.source = spec::EvidenceSource::Docs;
  docs.says.in_order = kPredicate;
  docs.weight = 0.8;
  docs.why =
      "\"If set, the commands in the command-queue are executed out-of-order.\": in order unless "
      "SAMPLE_OUT_OF_ORDER is set";
  create.evidence = {docs};
  s.functions.push_back(create);
  return s;
}

const spec::Function& creator(ProjectSession* s) {
  const spec::Function* f = s->function(QStringLiteral("sampleCreate"));
  REQUIRE(f);
  return *f;
}

}  // namespace

TEST_CASE(
    "in_order is shown with its evidence, edited, refused where nothing is created, and saved",
    "[studio][in-order]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString json = dir.filePath(QStringLiteral("sample.json"));
  const QString project = dir.filePath(QStringLiteral("sample.remora"));
  const QString exported = dir.filePath(QStringLiteral("reviewed.json"));
  spec::save_spec_file(spec_with_creator(), json.toStdString());
  {
    MainWindow window;
    ReviewWorkspace* ws = test::open_for_review(window, json, project, QStringLiteral("sampleCreate"), QString());
    ProjectSession* session = window.session();

    auto* details = ws->functionView()->findChild<QLabel*>(QStringLiteral("functionDetails"));
    REQUIRE(details);
    CHECK(details->text().contains(
        QStringLiteral("creates an in-order object if (flags &amp; SAMPLE_OUT_OF_ORDER) == 0")));
    const QString evidence = ws->evidencePanel()->browser()->toPlainText();
    CHECK(evidence.contains(QStringLiteral("in order if (flags & SAMPLE_OUT_OF_ORDER) == 0")));
    CHECK(evidence.contains(QStringLiteral("in_order=(flags & SAMPLE_OUT_OF_ORDER) == 0")));

    ParamEditor* editor = ws->paramEditor();
    QLineEdit* edit = editor->inOrderEdit();
    REQUIRE(edit);
    CHECK(edit->isEnabled());
    CHECK(edit->text() == QString::fromLatin1(kPredicate));

    // A predicate that is not an in_order predicate is refused with the parser's reason.
    edit->setText(QStringLiteral("flags | 1"));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(editor->message()->text().contains(QStringLiteral("Not applied — in order")));
    CHECK(creator(session).in_order == kPredicate);

    // Always in order: applied as an edit of the function.
    edit->setText(QStringLiteral("true"));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(creator(session).in_order == "true");
    CHECK(creator(session).status == spec::ReviewStatus::Edited);

    // A query creates nothing: the field is off, and a typed value is refused.
    ws->controller()->select(QStringLiteral("sampleQuery"), QString());
    QApplication::processEvents();
    CHECK_FALSE(edit->isEnabled());
    edit->setEnabled(true);
    edit->setText(QStringLiteral("true"));
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    CHECK(editor->message()->text().contains(QStringLiteral("creates no object")));
    CHECK(session->function(QStringLiteral("sampleQuery"))->in_order.empty());

    window.saveProject();
    session->flush();
    REQUIRE(window.exportSpecJson(exported));
  }
  const spec::SpecLoad load = spec::load_spec_file(exported.toStdString());
  REQUIRE(load.ok());
  CHECK(load.spec.find_function("sampleCreate")->in_order == "true");
}
