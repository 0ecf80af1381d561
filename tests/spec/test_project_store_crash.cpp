// A process killed while saving leaves the project at the previous or the
// new state, never a mixture: saves are single SQLite transactions.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <thread>

#include "remora/spec/project_store.h"
#include "rich_spec.h"

using namespace remora::spec;
namespace fs = std::filesystem;

namespace {

// Large enough that a save takes several milliseconds, so kills land inside it.
Spec big_spec(const std::string& tag) {
  Spec base = testing::rich_spec();
  Spec out = base;
  out.functions.clear();
  for (int i = 0; i < 300; ++i)
    for (Function f : base.functions) {
      f.name += "_" + std::to_string(i);
      f.doc = tag;
      out.functions.push_back(std::move(f));
    }
  out.api.name = tag;
  return out;
}

}  // namespace

TEST_CASE("killing a process mid-save keeps a consistent project") {
  fs::path path =
      fs::temp_directory_path() / ("remora-crash-" + std::to_string(::getpid()) + ".remora");
  const Spec old_spec = big_spec("old");
  const Spec new_spec = big_spec("new");
  ProjectStore::open(path.string())->save_spec(old_spec);

  std::mt19937 rng(4242);
  int saw_old = 0, saw_new = 0;
  for (int round = 0; round < 8; ++round) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        auto store = ProjectStore::open(path.string());
        for (;;) store->save_spec(new_spec);  // keep saving until killed
      } catch (...) {
      }
      ::_exit(3);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 40));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));  // still saving when killed, not failed early

    Spec loaded = ProjectStore::open(path.string())->load_spec();
    bool is_old = loaded == old_spec, is_new = loaded == new_spec;
    CHECK((is_old || is_new));
    saw_old += is_old;
    saw_new += is_new;
    // Put the old state back for the next round.
    ProjectStore::open(path.string())->save_spec(old_spec);
  }
  INFO("old " << saw_old << ", new " << saw_new);
  CHECK(saw_old + saw_new == 8);
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
}
