// Remora runtime, server side: which objects may still have work queued that reads a
// released object's kept memory (remora_retained.h), whatever the spec says of the calls
// that queued it.
//
// A call the spec marks sync can still leave work queued in the library: an inferred spec
// that does not know clEnqueueCopyBuffer is asynchronous, another API's launch. Such a call
// holds no inputs (it is not `Held`), so only the object it was queued on remembers it: the
// call's first handle argument, the queue or stream, as pending outputs use. While an
// object that keeps memory exists, every successful call records that object here (busy
// since its last barrier). When the kept object is released, every busy object shares its
// memory; a barrier naming one retires that object's share, and the memory is freed when
// the last share goes (or at the worker's end). Work queued before the kept object existed
// cannot use it, so calls are recorded only while one exists: nothing for other programs.
//
// A barrier naming an event does not retire the queue the event came from: on an
// out-of-order queue, the other commands queued there may still run. A busy object whose
// handle goes (a queue released while busy) can no longer be named by a barrier: its shares
// wait for a barrier naming no object, or the worker's end. Bounded: the memory stays
// counted against RetainedMemory::kMaxBytes until freed; records are one per live handle.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "remora_retained.h"

namespace remora::server {

class QueuedWork {
 public:
  using KeptPtr = std::shared_ptr<RetainedMemory::Kept>;

  // A call queued on `object` (0: a NULL handle, the default stream).
  void note(std::uint64_t object) { busy_.try_emplace(object); }
  // A call with no handle argument: any barrier retires it.
  void note_unowned() { unowned_busy_ = true; }
  // A released object's memory: kept by every object that may still use it.
  void share(const KeptPtr& kept) {
    if (!kept) return;
    for (auto& [object, shares] : busy_) shares.push_back(kept);
    if (unowned_busy_) unowned_.push_back(kept);
  }
  // A barrier named `object`: its work so far is complete.
  void retire(std::uint64_t object) { busy_.erase(object); }
  // A barrier that names no object (cudaDeviceSynchronize): everything is complete. Any
  // barrier also retires work queued with no object (as for pending outputs).
  void retire_all() {
    busy_.clear();
    orphaned_.clear();
    retire_unowned();
  }
  void retire_unowned() {
    unowned_busy_ = false;
    unowned_.clear();
  }
  // `object`'s handle is gone: no barrier can name it any more, but its work may still run.
  void forget(std::uint64_t object) {
    auto it = busy_.find(object);
    if (it == busy_.end()) return;
    for (auto& kept : it->second)
      if (orphaned_.empty() || orphaned_.back() != kept) orphaned_.push_back(std::move(kept));
    busy_.erase(it);
  }
  bool busy(std::uint64_t object) const { return busy_.count(object) != 0; }
  std::size_t busy_count() const { return busy_.size() + (unowned_busy_ ? 1 : 0); }

 private:
  std::unordered_map<std::uint64_t, std::vector<KeptPtr>> busy_;
  bool unowned_busy_ = false;
  std::vector<KeptPtr> unowned_;
  std::vector<KeptPtr> orphaned_;  // shares of objects whose handles went
};

}  // namespace remora::server
