// Evidence locations open a read-only source pane at that line: the header by
// the name inference stores ("sample.h:12"), a docs file by its path; a file
// that is not there is said so in the pane.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <catch2/catch.hpp>

#include "evidence_panel.h"
#include "main_window.h"
#include "project_session.h"
#include "remora/spec/project_store.h"
#include "review_controller.h"
#include "review_workspace.h"
#include "source_locator.h"
#include "source_view.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

void write_lines(const QString& path, const QString& stem, int lines) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::WriteOnly));
  for (int i = 1; i <= lines; ++i)
    file.write(QStringLiteral("%1 line %2\n").arg(stem).arg(i).toUtf8());
}

// Activates the evidence panel's n-th location link the way a keyboard user
// does: Tab moves through the links of a QTextBrowser, Enter follows one.
void activate_link(QTextBrowser* browser, int n) {
  browser->setFocus();
  QTextCursor start(browser->document());
  browser->setTextCursor(start);
  for (int i = 0; i <= n; ++i) QTest::keyClick(browser, Qt::Key_Tab);
  QTest::keyClick(browser, Qt::Key_Return);
  QApplication::processEvents();
}

}  // namespace

TEST_CASE("source view: an evidence location opens the file at that line", "[studio][source]") {
  test::ensure_app();
  QTemporaryDir dir;
  // The header lives in its own folder (as /usr/include/CL/cl.h does); evidence
  // names it by file name only, docs by a path under the docs folder.
  REQUIRE(QDir(dir.path()).mkpath(QStringLiteral("include")));
  REQUIRE(QDir(dir.path()).mkpath(QStringLiteral("docs")));
  write_lines(dir.filePath(QStringLiteral("include/sample.h")), QStringLiteral("header"), 60);
  write_lines(dir.filePath(QStringLiteral("docs/sampleQuery.txt")), QStringLiteral("docs"), 30);

  spec::Spec spec = test::sample_spec();
  spec::Param& value = spec.functions[0].params[2];
  value.evidence[0].location = "sample.h:42";
  value.evidence[1].location = dir.filePath(QStringLiteral("docs/sampleQuery.txt:7")).toStdString();
  value.evidence.push_back(value.evidence[0]);
  value.evidence.back().weight = 0.1;  // listed last
  value.evidence.back().location = "gone.h:3";
  spec::ProjectSettings settings;
  settings.header = dir.filePath(QStringLiteral("include/sample.h")).toStdString();
  settings.docs = {dir.filePath(QStringLiteral("docs")).toStdString()};
  const QString project = dir.filePath(QStringLiteral("sample.remora"));
  { ProjectSession::create(project, settings, spec); }

  MainWindow window;
  window.show();
  REQUIRE(window.openProject(project));
  ReviewWorkspace* ws = window.workspace();
  ws->controller()->select(QStringLiteral("sampleQuery"), QStringLiteral("value"));
  EvidencePanel* evidence = ws->evidencePanel();
  // Strongest first: docs (0.8), header (0.6), the missing file (0.1).
  REQUIRE(evidence->locations().size() == 3);
  CHECK(evidence->locations()[0].endsWith(QStringLiteral("sampleQuery.txt:7")));
  // Locations are shown without machine paths: relative to the project.
  CHECK(evidence->browser()->toPlainText().contains(QStringLiteral("docs/sampleQuery.txt:7")));
  CHECK_FALSE(evidence->browser()->toPlainText().contains(dir.path()));

  SourceView* source = ws->sourceView();
  CHECK_FALSE(source->isVisible());
  activate_link(evidence->browser(), 1);  // the header's location
  REQUIRE(source->isVisible());
  CHECK(QFileInfo(source->currentFile()).fileName() == QStringLiteral("sample.h"));
  CHECK(source->editor()->isReadOnly());
  CHECK(source->currentLine() == 42);
  CHECK(source->editor()->textCursor().block().text() == QStringLiteral("header line 42"));
  CHECK(source->editor()->extraSelections().size() == 1);  // the line is highlighted
  QApplication::processEvents();  // and in view, away from the pane's edges
  const QRect line = source->editor()->cursorRect();
  CHECK(source->editor()->viewport()->rect().contains(line));
  CHECK(line.top() > source->editor()->fontMetrics().height());
  CHECK(source->titleLabel()->text().contains(QStringLiteral("include/sample.h")));
  CHECK_FALSE(source->titleLabel()->text().contains(dir.path()));

  activate_link(evidence->browser(), 0);  // the docs file
  CHECK(QFileInfo(source->currentFile()).fileName() == QStringLiteral("sampleQuery.txt"));
  CHECK(source->currentLine() == 7);
  CHECK(source->editor()->textCursor().block().text() == QStringLiteral("docs line 7"));

  // A location whose file is not there: the pane says so, nothing crashes.
  activate_link(evidence->browser(), 2);
  CHECK(source->isVisible());
  CHECK(source->currentFile().isEmpty());
  CHECK(source->editor()->toPlainText().contains(QStringLiteral("gone.h was not found")));
  CHECK(source->titleLabel()->text().contains(QStringLiteral("not found")));
}

TEST_CASE("source locations resolve beside the project, the header and the docs",
          "[studio][source]") {
  test::ensure_app();
  QTemporaryDir dir;
  REQUIRE(QDir(dir.path()).mkpath(QStringLiteral("inc/sub")));
  write_lines(dir.filePath(QStringLiteral("inc/api.h")), QStringLiteral("h"), 3);
  write_lines(dir.filePath(QStringLiteral("inc/sub/part.h")), QStringLiteral("p"), 3);
  spec::ProjectSettings settings;
  settings.header = dir.filePath(QStringLiteral("inc/api.h")).toStdString();
  const QString project = dir.filePath(QStringLiteral("p.remora"));
  CHECK(parse_location(QStringLiteral("api.h:12")).line == 12);
  CHECK(parse_location(QStringLiteral("api.h")).line == 0);
  CHECK(resolve_source(QStringLiteral("api.h"), project, settings) ==
        dir.filePath(QStringLiteral("inc/api.h")));
  CHECK(resolve_source(QStringLiteral("sub/part.h"), project, settings) ==
        dir.filePath(QStringLiteral("inc/sub/part.h")));
  CHECK(resolve_source(QStringLiteral("inc/api.h"), project, settings) ==
        dir.filePath(QStringLiteral("inc/api.h")));
  QStringList searched;
  CHECK(resolve_source(QStringLiteral("nowhere.h"), project, settings, &searched).isEmpty());
  CHECK(searched.contains(QStringLiteral("inc")));
  CHECK(display_path(dir.filePath(QStringLiteral("inc/api.h")), project) ==
        QStringLiteral("inc/api.h"));
  CHECK(display_path(QStringLiteral("/elsewhere/else.h"), project) == QStringLiteral("else.h"));
}
