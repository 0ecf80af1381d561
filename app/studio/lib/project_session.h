// One open project: the spec under review, its .remora store, undo history and
// autosave. The store is the source of truth; writes go to a single background
// writer thread so saving never blocks the UI, and each save is one store
// transaction, so a crash mid-save leaves the previous state intact.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUndoStack>
#include <memory>
#include <optional>
#include <vector>

#include "remora/spec/model.h"
#include "remora/spec/project_store.h"

class QThreadPool;

namespace remora::studio {

// "clGetDeviceInfo.param_value", or "clFinish" for a function-level annotation.
QString annotation_key(const QString& function, const QString& param = {});

class ProjectSession : public QObject {
  Q_OBJECT

 public:
  // Opens an existing project. Throws std::runtime_error naming the file and what to do.
  static std::unique_ptr<ProjectSession> open(const QString& path);
  // Creates (or overwrites the spec of) a project and saves it before returning.
  static std::unique_ptr<ProjectSession> create(const QString& path, const spec::ProjectSettings& settings,
                                                spec::Spec spec);
  // Takes over a store that already holds `spec` and `settings` (written by a
  // worker thread), so the UI thread does no I/O.
  static std::unique_ptr<ProjectSession> adopt(const QString& path, std::shared_ptr<spec::ProjectStore> store,
                                               const spec::ProjectSettings& settings, spec::Spec spec);
  ~ProjectSession() override;

  QString path() const { return path_; }
  const spec::Spec& spec() const { return spec_; }
  const spec::ProjectSettings& settings() const { return settings_; }
  // What the review walks: the functions, then one row per struct with members
  // to review ("struct T", see struct_rows.h). function() finds either.
  const spec::Function* function(const QString& name) const;
  int rowCount() const;
  const spec::Function& row(int i) const;
  int rowOf(const QString& name) const;  // -1 when unknown
  // The struct a "struct T" row stands for (nullptr for a function).
  const spec::Type* structOf(const QString& row_name) const;
  QUndoStack* undoStack() { return &undo_; }

  // Replace one function or struct row (an edit or its undo). Schedules an autosave.
  void replaceFunction(const spec::Function& f);
  // Replace the whole spec (re-inference after a trace); `changed` are the
  // annotation keys the new evidence changed, highlighted in the list.
  void replaceSpec(spec::Spec spec, QSet<QString> changed);
  const QSet<QString>& changedAnnotations() const { return changed_; }
  void setSettings(const spec::ProjectSettings& settings);

  // The annotation as inference last produced it (for "revert to inferred").
  std::optional<spec::Param> inferredParam(const QString& function, const QString& param) const;

  void appendReview(spec::ReviewEvent event);
  std::vector<spec::ReviewEvent> reviewHistory(const QString& function = {});

  void save();   // queue a save now
  void flush();  // wait until every queued write reached the store
  bool isDirty() const { return dirty_; }
  QString lastSaveError() const { return last_error_; }
  void setAutosaveDelay(int ms) { autosave_.setInterval(ms); }

 signals:
  void functionChanged(const QString& name);
  void specReset();
  void saved(bool ok, const QString& message);
  void dirtyChanged(bool dirty);

 private:
  ProjectSession(const QString& path, std::shared_ptr<spec::ProjectStore> store);
  void reindex();
  void captureInferredBaseline();
  void markDirty();
  void enqueueWrite(std::function<void(spec::ProjectStore&)> write, bool isSave);

  QString path_;
  std::shared_ptr<spec::ProjectStore> store_;
  spec::Spec spec_;
  spec::ProjectSettings settings_;
  std::vector<spec::Function> struct_rows_;  // built from spec_.types, written back on each change
  QHash<QString, int> index_;  // row name -> row (functions first, then struct rows)
  QHash<QString, spec::Param> inferred_;  // annotation_key -> param as inferred
  QSet<QString> changed_;
  QUndoStack undo_;
  QTimer autosave_;
  std::unique_ptr<QThreadPool> writer_;  // one thread: writes stay in order
  bool dirty_ = false;
  QString last_error_;
};

}  // namespace remora::studio
