// Live size-expression validation and parameter-name completion in the editor.
#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QTest>
#include <catch2/catch.hpp>

#include "size_validation.h"
#include "studio_test_support.h"
#include "word_completer.h"

using namespace remora;
using namespace remora::studio;

TEST_CASE("size expressions are validated against the function", "[studio]") {
  const spec::Function f = test::sample_spec().functions[0];
  CHECK(size_expression_error("", f).isEmpty());
  CHECK(size_expression_error("value_size", f).isEmpty());
  CHECK(size_expression_error("value_size / sizeof(int) + 1", f).isEmpty());
  const QString unbalanced = size_expression_error("min(value_size, ", f);
  CHECK(unbalanced.startsWith("column "));
  const QString unknown = size_expression_error("count * 4", f);
  CHECK(unknown.contains("'count'"));
  CHECK(unknown.contains("value_size"));  // lists the parameters that do exist
}

TEST_CASE("the size field completes the parameter name under the cursor", "[studio]") {
  test::ensure_app();
  QLineEdit edit;
  WordCompleter completer(&edit);
  completer.setWords({"object", "value_size", "value"});
  edit.show();
  QTest::keyClicks(&edit, "2 * val");
  QCompleter* c = completer.completer();
  CHECK(c->completionPrefix() == "val");
  CHECK(c->completionCount() == 2);
  emit c->activated(QStringLiteral("value_size"));
  CHECK(edit.text() == "2 * value_size");
  CHECK(edit.cursorPosition() == edit.text().size());
}
