#include "traced_programs.h"

#include <filesystem>
#include <fstream>

#include "remora/trace/tracer.h"

namespace remora::bench {
namespace {

bool installed(const std::string& path) {
  return std::filesystem::exists(path);
}

// A real tool's output is not the benchmark's: `sh -c "... >/dev/null"` (the
// interposer follows the shell into the tool it runs).
TracedRun quiet(std::string what, const std::string& command) {
  return {std::move(what), {"/bin/sh", "-c", command + " >/dev/null 2>&1"}};
}

// Text with repeats, so compressors have something to do.
void write_sample_file(const std::string& path, int lines) {
  std::ofstream out(path);
  for (int i = 0; i < lines; ++i)
    out << "line " << i * 7 << ": the quick brown fox jumps over the lazy dog\n";
}

}  // namespace

std::vector<TracedRun> traced_runs(const std::string& api_id, const std::string& work_dir) {
  std::vector<TracedRun> runs;
  const std::string sample = work_dir + "/sample.txt";
  if (api_id == "zlib") {
#ifdef ZLIB_USAGE
    runs.push_back(
        {"zlib_usage (streams, one-shot, gzip files, dictionaries)", {ZLIB_USAGE, work_dir}});
#endif
    if (installed("/usr/bin/git")) {
      write_sample_file(sample, 400);
      const std::string repo = work_dir + "/git-repo";
      runs.push_back(quiet("git (init, hash-object -w, cat-file, fsck)",
                           "rm -rf " + repo + " && git init -q " + repo + " && cd " + repo +
                               " && git hash-object -w " + sample +
                               " && git cat-file -p $(git hash-object " + sample +
                               ") && git fsck --no-progress"));
    }
  } else if (api_id == "bzip2") {
#ifdef BZIP2_USAGE
    runs.push_back(
        {"bzip2_usage (streams, buffers, BZFILE reads and writes)", {BZIP2_USAGE, work_dir}});
#endif
    if (installed("/usr/bin/bzip2")) {
      write_sample_file(sample, 3000);
      runs.push_back(quiet("bzip2 CLI (compress, test, decompress)",
                           "cd " + work_dir +
                               " && bzip2 -k -f -9 sample.txt && bzip2 -t sample.txt.bz2 && "
                               "bzip2 -d -k -f sample.txt.bz2 && bzip2 -k -f -1 sample.txt"));
    }
  } else if (api_id == "sqlite3") {
#ifdef SQLITE_USAGE
    runs.push_back({"sqlite_usage (prepared statements, exec, get_table, blobs, backup)",
                    {SQLITE_USAGE, work_dir}});
#endif
    if (installed("/usr/bin/sqlite3")) {
      const std::string db = work_dir + "/cli.db";
      runs.push_back(quiet(
          "sqlite3 CLI (schema, inserts, queries, dump)",
          "rm -f " + db + " && sqlite3 -batch " + db +
              " 'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);'"
              " \"INSERT INTO t(b, c) VALUES('x', 1.5), ('yy', 2.5), ('zzz', NULL);\""
              " 'SELECT a, b, c FROM t WHERE c > 1 ORDER BY b;' 'SELECT count(*), sum(c) FROM t;'"
              " .schema .dump"));
    }
  }
  return runs;
}

std::vector<std::string> record_traces(const spec::Spec& header_spec, const std::string& api_id,
                                       const std::string& work_dir, std::string& report) {
  std::vector<std::string> dbs;
  std::filesystem::create_directories(work_dir);
  int n = 0;
  for (const TracedRun& run : traced_runs(api_id, work_dir)) {
    trace::TraceOptions o;
    o.argv = run.argv;
    o.output = work_dir + "/" + api_id + "-" + std::to_string(n++) + ".db";
    // The interposer is built once per API and reused (as `remora trace` caches it).
    o.build.cache_dir = std::string(REMORA_BENCH_DIR) + "/interposer-cache";
    spec::Diagnostics diagnostics;
    trace::TraceResult r = trace::trace_program(header_spec, o, diagnostics);
    report += "  " + api_id + ": " + run.what + ": ";
    if (!r.ok) {
      report += "not traced";
      for (const auto& d : diagnostics)
        if (d.severity == spec::Diagnostic::Severity::Error) report += "; " + d.message;
      report += "\n";
      continue;
    }
    report += std::to_string(r.calls) + " calls, exit " + std::to_string(r.exit_code) + "\n";
    if (r.calls > 0) dbs.push_back(o.output);
  }
  return dbs;
}

}  // namespace remora::bench
