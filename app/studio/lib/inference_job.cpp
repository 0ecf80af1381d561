#include "inference_job.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <chrono>
#include <string>

namespace remora::studio {

InferenceJob::InferenceJob(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::finished, this, &InferenceJob::finished);
}

InferenceJob::~InferenceJob() {
  cancel();
  watcher_.waitForFinished();
}

void InferenceJob::start(const spec::ProjectSettings& settings, const QString& api_name,
                         std::function<void(InferOutcome&)> then) {
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  auto cancel = cancel_;
  QPointer<InferenceJob> self(this);
  watcher_.setFuture(QtConcurrent::run([settings, api_name, cancel, self, then] {
    auto last_post = std::chrono::steady_clock::time_point{};
    std::string last_stage;
    auto report = [&](std::string_view stage, long long done, long long total) {
      // Throttled: a per-function callback must not flood the UI event queue.
      const auto now = std::chrono::steady_clock::now();
      const bool final_step = total > 0 && done >= total;
      if (stage == last_stage && !final_step && now - last_post < std::chrono::milliseconds(40))
        return !cancel->load();
      last_post = now;
      last_stage = std::string(stage);
      const QString name = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
      // Queued to the UI thread; the worker never touches widgets.
      QMetaObject::invokeMethod(self.data(), [self, name, done, total] {
        if (self) emit self->progress(name, done, total);
      }, Qt::QueuedConnection);
      return !cancel->load();
    };
    auto outcome = std::make_shared<InferOutcome>(run_inference(settings, api_name, report));
    if (outcome->ok && then) {
      try {
        then(*outcome);
      } catch (const std::exception& e) {
        outcome->ok = false;
        outcome->error = QString::fromUtf8(e.what());
      }
    }
    return outcome;
  }));
}

void InferenceJob::cancel() {
  if (cancel_) cancel_->store(true);
}

bool InferenceJob::isRunning() const { return watcher_.isRunning(); }

InferOutcome InferenceJob::takeOutcome() {
  auto result = watcher_.future().isFinished() && watcher_.future().resultCount() > 0 ? watcher_.future().result()
                                                                                      : nullptr;
  if (!result) {
    InferOutcome none;
    none.error = QStringLiteral("Inference produced no result.");
    return none;
  }
  return std::move(*result);
}

}  // namespace remora::studio
