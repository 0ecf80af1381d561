// Badges, certainty, progress count and the list order, on a hand-made spec.
#include <QTemporaryDir>
#include <catch2/catch.hpp>

#include "function_filter_proxy.h"
#include "function_list_model.h"
#include "project_session.h"
#include "review_state.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

TEST_CASE("review state: badges, certainty and progress", "[studio]") {
  spec::Spec s = test::sample_spec();
  const spec::Function& query = s.functions[0];
  const spec::Function& release = s.functions[1];
  CHECK(function_badge(query) == Badge::NeedsReview);
  CHECK(function_badge(release) == Badge::Conflict);
  CHECK(function_certainty(query) == Approx(0.6));
  CHECK(progress_text(review_progress(s)) == QStringLiteral("2 need review · 0 of 4 parameters confirmed"));

  for (auto& p : s.functions[0].params) p.status = spec::ReviewStatus::Confirmed;
  CHECK(function_badge(s.functions[0]) == Badge::Confirmed);
  s.functions[0].params[2].status = spec::ReviewStatus::Edited;
  CHECK(function_badge(s.functions[0]) == Badge::Edited);
  CHECK(progress_text(review_progress(s)) == QStringLiteral("1 need review · 3 of 4 parameters confirmed"));

  s.functions[1].supported = false;
  CHECK(function_badge(s.functions[1]) == Badge::Unsupported);
  CHECK_FALSE(function_needs_review(s.functions[1]));
  CHECK(review_progress(s).total == 3);  // unsupported functions are not reviewed
}

TEST_CASE("function list: least certain first, filters and search", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  spec::Spec s = test::sample_spec();
  spec::Function confirmed = s.functions[0];
  confirmed.name = "sampleDone";
  for (auto& p : confirmed.params) p.status = spec::ReviewStatus::Confirmed;
  s.functions.insert(s.functions.begin(), confirmed);
  auto session = ProjectSession::create(dir.filePath("list.remora"), {}, s);

  FunctionListModel model;
  model.setSession(session.get());
  FunctionFilterProxy proxy;
  proxy.setSourceModel(&model);
  proxy.sort(FunctionListModel::ConfidenceColumn, Qt::AscendingOrder);
  auto name_at = [&](int row) { return proxy.index(row, 0).data(FunctionListModel::NameRole).toString(); };
  REQUIRE(proxy.rowCount() == 3);
  CHECK(name_at(0) == "sampleRelease");  // 0.4, conflict
  CHECK(name_at(1) == "sampleQuery");    // 0.6
  CHECK(name_at(2) == "sampleDone");     // nothing to review
  CHECK(proxy.index(0, FunctionListModel::StatusColumn).data().toString() == "conflict");

  proxy.setFilter(FunctionFilterProxy::Filter::Confirmed);
  REQUIRE(proxy.rowCount() == 1);
  CHECK(name_at(0) == "sampleDone");
  proxy.setFilter(FunctionFilterProxy::Filter::All);
  proxy.setSearchText("value_size");  // parameter names match too
  REQUIRE(proxy.rowCount() == 2);
  proxy.setSearchText("RELEASE");
  REQUIRE(proxy.rowCount() == 1);
  CHECK(name_at(0) == "sampleRelease");
}
