// add_docs_evidence: read every document, match sections to functions, run
// the extractors, and append the claims as Docs evidence.
#include "remora/inference/docs_evidence.h"

#include <deque>
#include <unordered_map>

#include "claim_helpers.h"
#include "in_order.h"
#include "null_handle_types.h"
#include "rect_extent.h"
#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/document_loader.h"
#include "remora/inference/docs/section_matcher.h"
#include "remora/inference/docs/text_util.h"
#include "changing_answers.h"
#include "selector_types.h"

namespace remora::inference {
namespace {

using namespace docs;

constexpr std::size_t kMaxQuoteBytes = 240;

std::string quote(const Sentence& s) {
  return "\"" + shorten_utf8(s.text, kMaxQuoteBytes) + "\"";
}

std::string sentence_location(const Sentence& s) { return s.file + ":" + std::to_string(s.line); }

// "The library keeps using P's memory after the call": retain is set on the parameter
// (fusion keeps it only on an `in` buffer), with the sentence as its evidence. Kept for
// the object outlasts kept for a command: "object" is never narrowed to "command".
void apply_retain(spec::Function& fn, const Claim& c) {
  spec::Param* p = fn.find_param(c.param);
  if (!p || (p->ann.retain == "object" && c.retain != "object")) return;  // the longer keep wins
  std::string location = sentence_location(*c.sentence);
  for (const auto& e : p->evidence)
    if (e.source == spec::EvidenceSource::Docs && e.location == location && e.says.empty()) return;
  p->ann.retain = c.retain;
  spec::Evidence e;
  e.source = spec::EvidenceSource::Docs;
  e.weight = c.weight;
  // The note says what the quote means; both fit the usual bound on a why.
  std::string note = ": kept after the call (retain: " + c.retain + ")";
  e.why = "\"" + shorten_utf8(c.sentence->text, kMaxQuoteBytes - note.size()) + "\"" + note;
  e.location = std::move(location);
  p->evidence.push_back(std::move(e));
}

// "*pzTail is made to point to the first byte past the end of the first SQL statement in
// zSql": the out pointer is an address inside another parameter's memory, not a string of
// its own (fusion keeps it only on an out element that points to a pointer).
void apply_points_into(spec::Function& fn, const Claim& c) {
  spec::Param* p = fn.find_param(c.param);
  if (!p || !fn.find_param(c.points_into)) return;
  p->ann.points_into = c.points_into;
  spec::Evidence e;
  e.source = spec::EvidenceSource::Docs;
  e.weight = c.weight;
  e.says.element_kind = spec::Kind::Opaque;  // an address, not text of its own
  std::string note = ": points into " + c.points_into;
  e.why = "\"" + shorten_utf8(c.sentence->text, kMaxQuoteBytes - note.size()) + "\"" + note;
  e.location = sentence_location(*c.sentence);
  p->evidence.push_back(std::move(e));
}

void apply_claims(spec::Function& fn, const Claims& claims) {
  for (const Claim& c : claims) {
    if (!c.retain.empty() && c.sentence) apply_retain(fn, c);
    if (!c.points_into.empty() && c.sentence) apply_points_into(fn, c);
    if (c.says.empty() || !c.sentence) continue;
    spec::Evidence e;
    e.source = spec::EvidenceSource::Docs;
    e.says = c.says;
    e.weight = c.weight;
    e.why = quote(*c.sentence);
    e.location = sentence_location(*c.sentence);
    if (c.param.empty()) {
      add_evidence(fn.evidence, std::move(e));
    } else if (spec::Param* p = fn.find_param(c.param)) {
      add_evidence(p->evidence, std::move(e));
    }
  }
}

// "pfn_notify and user_data are described in clCreateContext": borrow that page's
// sentences about the same parameters.
void resolve_cross_references(std::vector<DocumentRead>& documents) {
  std::unordered_map<std::string, const DocSection*> by_function;
  for (const auto& doc : documents)
    for (const auto& section : doc.sections)
      for (const auto& f : section.functions) by_function.emplace(f, &section);
  std::vector<std::pair<ParamDoc*, std::vector<Sentence>>> borrowed;
  for (auto& doc : documents)
    for (auto& section : doc.sections)
      for (auto& item : section.params)
        for (const auto& s : item.sentences) {
          std::string lower = to_lower(s.text);
          std::size_t at = find_phrase(lower, "described in");
          if (at == std::string::npos) at = find_phrase(lower, "same as for");
          if (at == std::string::npos) continue;
          for (const auto& m : s.mentions) {
            if (m.begin < at) continue;
            auto it = by_function.find(m.name);
            if (it == by_function.end() || it->second == &section) continue;
            for (const auto& other : it->second->params)
              if (other.name == item.name) borrowed.push_back({&item, other.sentences});
            break;
          }
        }
  for (auto& [item, sentences] : borrowed)
    item->sentences.insert(item->sentences.end(), sentences.begin(), sentences.end());
}

}  // namespace

std::vector<MemberClaim> add_docs_evidence(spec::Spec& spec, const std::vector<std::string>& paths,
                                           spec::Diagnostics& diagnostics,
                                           const spec::Progress& progress) {
  std::vector<MemberClaim> members;
  if (paths.empty()) return members;
  std::vector<DocumentFile> files = collect_document_files(paths, diagnostics);

  std::unordered_map<std::string, std::size_t> function_index;
  for (std::size_t i = 0; i < spec.functions.size(); ++i)
    function_index.emplace(spec.functions[i].name, i);
  FunctionNamePredicate is_function;
  if (!function_index.empty())
    is_function = [&](std::string_view name) {
      return function_index.count(std::string(name)) > 0;
    };

  // Read everything first: registry typedefs tell the extractors which types are handles.
  std::vector<DocumentRead> documents;
  std::set<std::string> registry_handles;
  long long total = static_cast<long long>(files.size()) * 2;
  long long done = 0;
  for (const auto& file : files) {
    if (progress && !progress("docs: reading", done, total)) return members;
    DocumentRead doc = load_document(file, is_function, diagnostics);
    ++done;
    if (!doc.ok) continue;
    registry_handles.insert(doc.handle_types.begin(), doc.handle_types.end());
    documents.push_back(std::move(doc));
  }

  resolve_cross_references(documents);
  TypeOracle types(spec, registry_handles);
  std::unordered_map<std::size_t, FunctionFacts> facts;
  auto facts_for = [&](std::size_t index) -> const FunctionFacts& {
    auto it = facts.find(index);
    if (it == facts.end()) it = facts.emplace(index, types.describe(spec.functions[index])).first;
    return it->second;
  };

  std::size_t matched_sections = 0, read_sections = 0;
  for (const auto& doc : documents) {
    if (progress && !progress("docs: extracting", done, total)) return members;
    for (const auto& section : doc.sections) {
      ++read_sections;
      bool matched = false;
      for (const auto& name : section.functions) {
        auto it = function_index.find(name);
        if (it == function_index.end()) continue;
        matched = true;
        Claims claims;
        SectionMatch(section, facts_for(it->second)).extract(claims);
        spec::Function& fn = spec.functions[it->second];
        apply_claims(fn, claims);
        add_selector_whens(section, types, fn);
        add_changing_answer_claims(section, types, fn);
        add_rect_extents(section, facts_for(it->second), fn);
        add_in_order_claims(section, types, facts_for(it->second), fn);
        if (fn.doc.empty() && !section.body.empty()) fn.doc = section.body.front().text;
      }
      matched_sections += matched;
    }
    bool marks_arrays = false;
    for (const auto& cmd : doc.commands)
      for (const auto& rp : cmd.params) marks_arrays = marks_arrays || !rp.len.empty();
    for (const auto& cmd : doc.commands) {
      auto it = function_index.find(cmd.name);
      if (it == function_index.end()) continue;
      Claims claims;
      std::deque<Sentence> storage;
      extract_registry(cmd, facts_for(it->second), claims, storage, marks_arrays);
      apply_claims(spec.functions[it->second], claims);
    }
    for (const auto& s : doc.structs) {
      std::vector<MemberClaim> claims = member_claims(s);
      members.insert(members.end(), claims.begin(), claims.end());
    }
    ++done;
  }
  std::vector<const DocSection*> all_sections;
  for (const auto& doc : documents)
    for (const auto& section : doc.sections) all_sections.push_back(&section);
  add_null_handle_type_evidence(spec, all_sections);
  if (progress) progress("docs", total, total);
  if (!files.empty() && read_sections > 0 && matched_sections == 0 && !spec.functions.empty())
    diagnostics.push_back(
        {spec::Diagnostic::Severity::Warning, "", 0,
         "documentation was read (" + std::to_string(read_sections) +
             " sections) but none names a function of the header; check that --docs belongs "
             "to this API"});
  return members;
}

}  // namespace remora::inference

namespace remora::inference {

void add_section_evidence(spec::Spec& spec, const std::vector<docs::DocSection>& sections) {
  if (sections.empty()) return;
  std::set<std::string> no_registry;
  docs::TypeOracle types(spec, no_registry);
  for (const auto& section : sections)
    for (const auto& name : section.functions) {
      spec::Function* fn = spec.find_function(name);
      if (!fn) continue;
      docs::FunctionFacts facts = types.describe(*fn);
      docs::Claims claims;
      docs::SectionMatch(section, facts).extract(claims);
      apply_claims(*fn, claims);
    }
  std::vector<const docs::DocSection*> all;
  for (const auto& section : sections) all.push_back(&section);
  docs::add_null_handle_type_evidence(spec, all);
}

}  // namespace remora::inference
