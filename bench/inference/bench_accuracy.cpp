// Inference accuracy per API of the corpus (tests/data/corpus/corpus.json)
// against the hand-labelled truth (tests/data/truth/<id>.truth.json), with
// evidence from the header alone and with the docs (doc comments in the header
// and the API's documentation files). Prints a table; asserts nothing.
//
//   kind+dir = pointer-like parameters whose kind AND direction are right,
//              over those the truth labels (remora score's kind_direction recall)
//   size     = size expressions equal in meaning, over the labelled sizes
//              (remora score's size recall)
// A second table gives the other fields the truth labels (nullable, sync, allocates,
// deallocates, element kind), right / labelled, with the docs.
// A function the inferred spec lacks counts as wrong for all its labels.
// "+ docs + traces" adds traces of programs that use the library (traced_programs.h)
// for the APIs that have some; --no-traces leaves the column out.
// usage: bench_accuracy [--disagreements] [--dump DIR] [--no-traces] [ID...]
//   --dump DIR: also writes every installed corpus API's inferred annotations (truth or
//   not) as one line per parameter (an element size in brackets after elem=) to
//   DIR/<id>.<header|docs>.txt, so a rule change can be
//   checked on the APIs without a truth: `diff -r before/ after/`.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "corpus_list.h"
#include "remora/spec/spec_score.h"
#include "traced_programs.h"

using namespace remora;

namespace {

// The fields of the second table, in its order.
const std::vector<std::string> kOtherFields{"nullable", "sync", "allocates", "deallocates", "element_kind"};

struct Column {
  spec::FieldScore kind_direction, size;
  std::map<std::string, spec::FieldScore> others;  // kOtherFields
  long long missing = 0;
  double seconds = 0;
  bool ran = false;
};

struct Row {
  std::string name;
  long long functions = 0;
  Column header, docs, traces;
};

// "0.588 of 17": the ratio and its denominator (some APIs label few sizes).
std::string ratio(const spec::FieldScore& s) {
  if (s.labelled == 0) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f of %lld",
                static_cast<double>(s.correct) / static_cast<double>(s.labelled), s.labelled);
  return buf;
}

void add(spec::FieldScore& into, const spec::FieldScore& s) {
  into.labelled += s.labelled;
  into.predicted += s.predicted;
  into.correct += s.correct;
}

// All headers of one API inferred into one spec (functions of later headers
// that an earlier one already declared are skipped).
spec::Spec infer_api(const corpus::CorpusApi& api, bool with_docs, double& seconds,
                     const std::vector<std::string>& traces = {}) {
  spec::Spec merged;
  auto start = std::chrono::steady_clock::now();
  for (const auto& header : api.headers) {
    inference::InferOptions options = api.options(header, with_docs);
    options.traces = traces;
    inference::InferResult r = inference::infer_spec(options);
    if (merged.functions.empty() && merged.types.empty()) {
      merged = std::move(r.spec);
      continue;
    }
    for (auto& f : r.spec.functions)
      if (!merged.find_function(f.name)) merged.functions.push_back(std::move(f));
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return merged;
}

Column score(const corpus::CorpusApi& api, const spec::Truth& truth, bool with_docs, bool show,
             Row& row, const std::vector<std::string>& traces = {}) {
  Column c;
  spec::Spec inferred = infer_api(api, with_docs, c.seconds, traces);
  spec::ScoreReport r = spec::score_spec(inferred, truth);
  c.ran = true;
  c.kind_direction = r.kind_direction;
  for (const auto& f : r.fields) {
    if (f.field == "size") c.size = f;
    for (const auto& other : kOtherFields)
      if (f.field == other) c.others[other] = f;
  }
  c.missing = static_cast<long long>(r.missing_functions.size());
  row.functions = r.functions_scored;
  if (show) {
    std::printf("\n--- %s, %s: missing functions:", api.name.c_str(),
                !traces.empty() ? "+docs+traces" : with_docs ? "+docs" : "header");
    for (const auto& m : r.missing_functions) std::printf(" %s", m.c_str());
    std::printf("\n");
    for (const auto& d : r.disagreements)
      if (d.field == "kind" || d.field == "direction" || d.field == "size" || d.field == "param" ||
          d.field == "nullable" || d.field == "sync" || d.field == "allocates" || d.field == "deallocates")
        std::printf("  %s.%s %s: inferred %s, truth %s\n", d.function.c_str(), d.param.c_str(),
                    d.field.c_str(), d.inferred.c_str(), d.truth.c_str());
  }
  return c;
}

// One line per parameter: what a reviewer would check, in a stable order.
void dump_spec(const spec::Spec& s, const std::string& path) {
  std::ofstream out(path);
  for (const auto& f : s.functions) {
    out << f.name << (f.supported ? "" : " UNSUPPORTED") << " " << spec::describe(f.sync)
        << (f.barrier ? " barrier" : "")
        << (f.cacheable.empty() ? "" : " cacheable=" + f.cacheable)
        << (f.in_order.empty() ? "" : " in_order=" + f.in_order)
        << (f.chunk ? " chunk=" + f.chunk->buffer + "/" + f.chunk->size + "/" + f.chunk->offset
                    : "")
        << "\n";
    for (const auto& p : f.params) {
      const spec::Annotation& a = p.ann;
      out << "  " << f.name << "." << p.name << ": " << spec::to_string(a.direction) << " "
          << spec::to_string(a.kind);
      if (!a.size.empty()) out << " size=" << a.size << " " << spec::to_string(a.size_unit);
      if (a.element) out << " elem=" << spec::to_string(a.element->kind);
      if (a.element &&
          !a.element->size.empty())  // each element's own size (lengths[i], strlen(p[i]) + 1)
        out << "[" << a.element->size << " " << spec::to_string(a.element->size_unit) << "]";
      if (a.nullable) out << " nullable";
      if (a.allocates) out << " allocates";
      if (a.deallocates) out << " deallocates";
      if (!a.retain.empty()) out << " retain=" << a.retain;
      out << "\n";
    }
  }
}

void dump_api(const corpus::CorpusApi& api, const std::string& dir) {
  for (bool with_docs : {false, true}) {
    double seconds = 0;
    spec::Spec s = infer_api(api, with_docs, seconds);
    dump_spec(s, dir + "/" + api.id + (with_docs ? ".docs.txt" : ".header.txt"));
  }
}

void print_other_fields(const std::vector<Row>& rows, const Row& total) {
  std::printf("\nOther fields, with the docs (right / labelled; '-' where the truth labels none):\n");
  std::printf("%-16s", "API");
  for (const auto& f : kOtherFields) std::printf(" | %-13s", f.c_str());
  std::printf("\n");
  auto line = [](const Row& r) {
    const Column& c = r.docs.ran ? r.docs : r.header;
    std::printf("%-16s", r.name.c_str());
    for (const auto& f : kOtherFields) {
      auto it = c.others.find(f);
      std::printf(" | %-13s", it == c.others.end() ? "-" : ratio(it->second).c_str());
    }
    std::printf("\n");
  };
  for (const auto& r : rows) line(r);
  if (rows.size() > 1) line(total);
}

std::string cell(const Column& c, const spec::FieldScore Column::*field) {
  return c.ran ? ratio(c.*field) : "-";
}

void print_row(const Row& r) {
  std::printf("%-16s %4lld | %-12s %-12s %4s | %-12s %-12s %4s | %-12s %-12s\n", r.name.c_str(), r.functions,
              cell(r.header, &Column::kind_direction).c_str(),
              cell(r.header, &Column::size).c_str(),
              r.header.ran ? std::to_string(r.header.missing).c_str() : "-",
              cell(r.docs, &Column::kind_direction).c_str(), cell(r.docs, &Column::size).c_str(),
              r.docs.ran ? std::to_string(r.docs.missing).c_str() : "-",
              cell(r.traces, &Column::kind_direction).c_str(), cell(r.traces, &Column::size).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  bool show = false, with_traces = true;
  std::string dump_dir;
  std::set<std::string> only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--disagreements") == 0)
      show = true;
    else if (std::strcmp(argv[i], "--no-traces") == 0)
      with_traces = false;
    else if (std::strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
      dump_dir = argv[++i];
    else
      only.insert(argv[i]);
  }
  std::vector<corpus::CorpusApi> apis;
  try {
    apis = corpus::load_corpus(REMORA_SOURCE_DIR);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_accuracy: %s\n", e.what());
    return 1;
  }
  // OpenCL, the API the rules were first written for, as the reference row.
  corpus::CorpusApi opencl;
  opencl.id = "opencl";
  opencl.name = "OpenCL";
  opencl.headers = {"/usr/include/CL/cl.h"};
  opencl.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  opencl.library = "libOpenCL.so.1";
  opencl.truth = std::string(REMORA_SOURCE_DIR) + "/tests/data/truth/opencl.truth.json";
  const char* shared = std::getenv("REMORA_SHARED");
  std::string docs = std::string(shared ? shared : REMORA_SHARED_DIR) + "/corpus/opencl-docs";
  if (std::filesystem::exists(docs)) opencl.docs = {docs};
  apis.insert(apis.begin(), opencl);

  if (!dump_dir.empty()) {
    std::filesystem::create_directories(dump_dir);
    for (const auto& api : apis)
      if ((only.empty() || only.count(api.id)) && api.missing_header().empty()) dump_api(api, dump_dir);
  }

  const std::string trace_dir = std::string(REMORA_BENCH_DIR) + "/traces";
  std::vector<Row> rows;
  Row total{"all but OpenCL", 0, {}, {}, {}};
  total.header.ran = total.docs.ran = true;
  Column traced_total;  // the APIs that have traces, their +docs figures: the baseline of the column
  traced_total.ran = true;
  long long traced_functions = 0;
  std::string trace_report;
  for (const auto& api : apis) {
    if (api.truth.empty() || (!only.empty() && !only.count(api.id))) continue;
    if (std::string missing = api.missing_header(); !missing.empty()) {
      std::printf("%-18s skipped: %s is not installed\n", api.name.c_str(), missing.c_str());
      continue;
    }
    std::ifstream in(api.truth);
    spec::Json doc = spec::Json::parse(in, nullptr, false);
    spec::SpecIssues issues;
    spec::Truth truth = spec::truth_from_json(doc, issues);
    if (doc.is_discarded() || !issues.errors.empty()) {
      std::printf("%-18s skipped: %s does not load\n", api.name.c_str(), api.truth.c_str());
      continue;
    }
    Row row{api.id == "opencl" ? api.name + " (ref.)" : api.name, 0, {}, {}, {}};
    row.header = score(api, truth, false, show, row);
    if (api.docs_in_header || !api.docs.empty()) row.docs = score(api, truth, true, show, row);
    std::vector<std::string> traces;
    if (with_traces && !bench::traced_runs(api.id, trace_dir).empty()) {
      double seconds = 0;
      traces = bench::record_traces(infer_api(api, false, seconds), api.id, trace_dir, trace_report);
    }
    if (!traces.empty()) row.traces = score(api, truth, true, show, row, traces);
    if (api.id != "opencl") {
      total.functions += row.functions;
      add(total.header.kind_direction, row.header.kind_direction);
      add(total.header.size, row.header.size);
      total.header.missing += row.header.missing;
      // An API without docs keeps its header-only figures in the +docs total.
      const Column& d = row.docs.ran ? row.docs : row.header;
      for (const auto& [field, value] : d.others) add(total.docs.others[field], value);
      add(total.docs.kind_direction, d.kind_direction);
      add(total.docs.size, d.size);
      total.docs.missing += d.missing;
      if (row.traces.ran) {
        add(total.traces.kind_direction, row.traces.kind_direction);
        add(total.traces.size, row.traces.size);
        add(traced_total.kind_direction, d.kind_direction);
        add(traced_total.size, d.size);
        traced_functions += row.functions;
        total.traces.ran = true;
      }
    }
    rows.push_back(row);
  }
  std::printf(
      "\nInference accuracy against the hand-labelled truth (tests/data/truth, "
      "docs/accuracy.md)\n");
  std::printf(
      "kind+dir: pointer-like params (pointers and handles) with kind and direction right / "
      "labelled;\n"
      "size: size expressions right / labelled; miss: truth functions absent from the inferred "
      "spec\n\n");
  std::printf("%-16s %4s | %-30s | %-30s | %-25s\n", "", "", "header only", "+ docs", "+ docs + traces");
  std::printf("%-16s %4s | %-12s %-12s %4s | %-12s %-12s %4s | %-12s %-12s\n", "API", "fns", "kind+dir", "size",
              "miss", "kind+dir", "size", "miss", "kind+dir", "size");
  for (const auto& r : rows) print_row(r);
  if (rows.size() > 1) print_row(total);
  if (total.traces.ran) {
    // The traced APIs alone, with and without their traces: the ratio the column is about.
    Row traced{"traced APIs", traced_functions, {}, traced_total, total.traces};
    print_row(traced);
  }
  print_other_fields(rows, total);
  if (!trace_report.empty()) std::printf("\nTraced programs (remora trace, header-only spec):\n%s", trace_report.c_str());
  std::printf(
      "\n(+docs: doc comments in the header and the corpus entry's docs; '-' where the API has "
      "none."
      " The total's +docs uses header-only figures for those; its + docs + traces covers the traced APIs,"
      " compared with their + docs figures in the 'traced APIs' row.)\n");
  return 0;
}
