#include "project_session.h"

#include <QDateTime>
#include <QMetaObject>
#include <QThreadPool>
#include <stdexcept>

#include "annotation_text.h"
#include "struct_rows.h"

namespace remora::studio {

QString annotation_key(const QString& function, const QString& param) {
  return param.isEmpty() ? function : function + QLatin1Char('.') + param;
}

ProjectSession::ProjectSession(const QString& path, std::shared_ptr<spec::ProjectStore> store)
    : path_(path), store_(std::move(store)), writer_(std::make_unique<QThreadPool>()) {
  writer_->setMaxThreadCount(1);
  autosave_.setSingleShot(true);
  autosave_.setInterval(1500);
  connect(&autosave_, &QTimer::timeout, this, &ProjectSession::save);
}

ProjectSession::~ProjectSession() {
  if (dirty_) save();
  flush();
}

std::unique_ptr<ProjectSession> ProjectSession::open(const QString& path) {
  std::shared_ptr<spec::ProjectStore> store = spec::ProjectStore::open(path.toStdString());
  std::unique_ptr<ProjectSession> session(new ProjectSession(path, store));
  session->spec_ = store->load_spec();
  session->settings_ = store->load_settings();
  session->reindex();
  session->captureInferredBaseline();
  return session;
}

std::unique_ptr<ProjectSession> ProjectSession::create(const QString& path, const spec::ProjectSettings& settings,
                                                       spec::Spec spec) {
  std::shared_ptr<spec::ProjectStore> store = spec::ProjectStore::open(path.toStdString());
  store->save_settings(settings);
  store->save_spec(spec);
  return adopt(path, std::move(store), settings, std::move(spec));
}

std::unique_ptr<ProjectSession> ProjectSession::adopt(const QString& path, std::shared_ptr<spec::ProjectStore> store,
                                                      const spec::ProjectSettings& settings, spec::Spec spec) {
  std::unique_ptr<ProjectSession> session(new ProjectSession(path, std::move(store)));
  session->spec_ = std::move(spec);
  session->settings_ = settings;
  session->reindex();
  session->captureInferredBaseline();
  return session;
}

void ProjectSession::reindex() {
  index_.clear();
  struct_rows_ = struct_rows(spec_);
  for (int i = 0; i < static_cast<int>(spec_.functions.size()); ++i) index_.insert(qs(spec_.functions[i].name), i);
  const int functions = static_cast<int>(spec_.functions.size());
  for (int i = 0; i < static_cast<int>(struct_rows_.size()); ++i) index_.insert(qs(struct_rows_[i].name), functions + i);
}

void ProjectSession::captureInferredBaseline() {
  for (int i = 0; i < rowCount(); ++i) {
    const spec::Function& f = row(i);
    for (const auto& p : f.params)
      if (p.status == spec::ReviewStatus::Inferred) inferred_.insert(annotation_key(qs(f.name), qs(p.name)), p);
  }
}

int ProjectSession::rowCount() const { return static_cast<int>(spec_.functions.size() + struct_rows_.size()); }

const spec::Function& ProjectSession::row(int i) const {
  const auto functions = spec_.functions.size();
  const auto at = static_cast<size_t>(i);
  return at < functions ? spec_.functions[at] : struct_rows_[at - functions];
}

int ProjectSession::rowOf(const QString& name) const { return index_.value(name, -1); }

const spec::Function* ProjectSession::function(const QString& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &row(*it);
}

const spec::Type* ProjectSession::structOf(const QString& row_name) const {
  return is_struct_row(row_name) ? spec_.find_type(struct_type_name(row_name).toStdString()) : nullptr;
}

void ProjectSession::replaceFunction(const spec::Function& f) {
  const QString name = qs(f.name);
  auto it = index_.find(name);
  if (it == index_.end()) return;
  const auto at = static_cast<size_t>(*it);
  if (at < spec_.functions.size()) {
    spec_.functions[at] = f;
  } else {
    // A struct row: its members go back into types[], which is what is saved.
    struct_rows_[at - spec_.functions.size()] = f;
    if (spec::Type* type = spec_.find_type(struct_type_name(name).toStdString())) apply_struct_row(f, *type);
  }
  markDirty();
  emit functionChanged(name);
}

void ProjectSession::replaceSpec(spec::Spec spec, QSet<QString> changed) {
  spec_ = std::move(spec);
  changed_ = std::move(changed);
  reindex();
  captureInferredBaseline();
  undo_.clear();  // commands hold function snapshots of the old spec
  markDirty();
  emit specReset();
}

void ProjectSession::setSettings(const spec::ProjectSettings& settings) {
  settings_ = settings;
  enqueueWrite([settings](spec::ProjectStore& store) { store.save_settings(settings); }, false);
}

std::optional<spec::Param> ProjectSession::inferredParam(const QString& function, const QString& param) const {
  auto it = inferred_.find(annotation_key(function, param));
  if (it == inferred_.end()) return std::nullopt;
  return *it;
}

void ProjectSession::appendReview(spec::ReviewEvent event) {
  if (event.timestamp.empty())
    event.timestamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
  enqueueWrite([event](spec::ProjectStore& store) { store.append_review(event); }, false);
}

std::vector<spec::ReviewEvent> ProjectSession::reviewHistory(const QString& function) {
  flush();
  return store_->review_history(function.toStdString());
}

void ProjectSession::markDirty() {
  if (!dirty_) {
    dirty_ = true;
    emit dirtyChanged(true);
  }
  autosave_.start();
}

void ProjectSession::save() {
  autosave_.stop();
  // The copy is the snapshot this save writes; edits made meanwhile go in the next one.
  auto snapshot = std::make_shared<spec::Spec>(spec_);
  dirty_ = false;
  emit dirtyChanged(false);
  enqueueWrite([snapshot](spec::ProjectStore& store) { store.save_spec(*snapshot); }, true);
}

void ProjectSession::flush() { writer_->waitForDone(); }

void ProjectSession::enqueueWrite(std::function<void(spec::ProjectStore&)> write, bool isSave) {
  auto store = store_;
  writer_->start([this, store, write = std::move(write), isSave] {
    QString error;
    try {
      write(*store);
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    if (!isSave && error.isEmpty()) return;
    // Report back on the UI thread; dropped if the session is gone.
    QMetaObject::invokeMethod(this, [this, error] {
      last_error_ = error;
      if (!error.isEmpty()) {
        dirty_ = true;
        emit dirtyChanged(true);
      }
      emit saved(error.isEmpty(), error.isEmpty() ? QStringLiteral("Saved") : error);
    }, Qt::QueuedConnection);
  });
}

}  // namespace remora::studio
