// Reads tests/data/corpus/corpus.json (format: README.md beside it) for the
// corpus test (tests/inference) and the accuracy benchmark (bench/inference),
// so both iterate exactly the same APIs with the same options.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "remora/inference/pipeline.h"
#include "remora/spec/json_fragments.h"

namespace remora::corpus {

struct CorpusApi {
  std::string id;
  std::string name;
  std::vector<std::string> headers;  // absolute paths; the API's own headers
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;
  std::vector<std::string> docs;  // external documentation (files or folders)
  std::string library;
  std::string truth;  // absolute path of the truth spec, "" when none
  bool docs_in_header = false;

  // The first header that is not installed here, "" when all are.
  std::string missing_header() const {
    for (const auto& h : headers)
      if (!std::filesystem::exists(h)) return h;
    return "";
  }

  // One header of this API, with or without documentation evidence.
  inference::InferOptions options(const std::string& header, bool with_docs) const {
    inference::InferOptions o;
    o.header = header;
    o.include_dirs = include_dirs;
    o.defines = defines;
    o.api_name = name;
    o.library = library;
    o.use_docs_evidence = with_docs;
    // Documentation that is not installed (/usr/share/doc is often stripped
    // from containers) is left out rather than failing the whole API.
    if (with_docs)
      for (const auto& d : docs)
        if (std::filesystem::exists(d)) o.docs.push_back(d);
    return o;
  }
};

inline std::vector<std::string> strings(const spec::Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key))
    for (const auto& s : j.at(key)) out.push_back(s.get<std::string>());
  return out;
}

// Throws std::runtime_error naming the problem when the list is malformed.
inline std::vector<CorpusApi> load_corpus(const std::string& source_dir) {
  std::string path = source_dir + "/tests/data/corpus/corpus.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  spec::Json doc = spec::Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || doc.value("format", "") != "remora-corpus/1" || !doc.contains("apis"))
    throw std::runtime_error(path + ": not a remora-corpus/1 document");
  std::vector<CorpusApi> apis;
  for (const auto& a : doc.at("apis")) {
    CorpusApi api;
    api.id = a.at("id").get<std::string>();
    api.name = a.at("name").get<std::string>();
    api.headers = strings(a, "headers");
    api.include_dirs = strings(a, "include_dirs");
    api.defines = strings(a, "defines");
    api.docs = strings(a, "docs");
    api.library = a.value("library", "");
    api.docs_in_header = a.value("docs_in_header", false);
    if (a.contains("truth") && a.at("truth").is_string())
      api.truth = source_dir + "/" + a.at("truth").get<std::string>();
    if (api.headers.empty()) throw std::runtime_error(path + ": " + api.id + " lists no headers");
    apis.push_back(std::move(api));
  }
  return apis;
}

}  // namespace remora::corpus
