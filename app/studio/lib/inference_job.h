// Runs the inference pipeline on a worker thread with progress and cancel, so
// the UI stays responsive while a header is parsed and docs are mined.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>

#include "inference_backend.h"

namespace remora::studio {

class InferenceJob : public QObject {
  Q_OBJECT

 public:
  explicit InferenceJob(QObject* parent = nullptr);
  ~InferenceJob() override;

  // `then` runs on the worker after a successful inference (e.g. writing the
  // new project store), so slow I/O stays off the UI thread too.
  void start(const spec::ProjectSettings& settings, const QString& api_name,
             std::function<void(InferOutcome&)> then = {});
  void cancel();
  bool isRunning() const;
  // Valid after finished(): the outcome, moved out once.
  InferOutcome takeOutcome();

 signals:
  void progress(const QString& stage, qint64 done, qint64 total);
  void finished();

 private:
  std::shared_ptr<std::atomic<bool>> cancel_;
  QFutureWatcher<std::shared_ptr<InferOutcome>> watcher_;
};

}  // namespace remora::studio
