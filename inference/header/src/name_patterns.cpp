#include "name_patterns.h"

#include <algorithm>
#include <cctype>

#include "remora/inference/text_util.h"

namespace remora::inference::names {

namespace {

// Words that only say "this is a count/size", not what is counted.
bool is_size_word(std::string_view w) {
  static const std::string_view kWords[] = {"size", "sizes", "len", "length", "count", "num", "number",
                                            "bytes", "nbytes", "elements", "nelems", "nelements", "n",
                                            "dim", "dims", "ndim", "ndims", "nitems", "items", "cnt", "sz", "cb", "of", "in",
                                            "byte", "bytesize"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

std::string singular(std::string w) {
  if (w.size() > 4 && w.compare(w.size() - 3, 3, "ies") == 0) return w.substr(0, w.size() - 3) + "y";
  if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
  return w;
}

// "outlen" -> {"out", "len"}; any other word stays whole.
Words split_glued_size(const Words& words) {
  static const std::string_view kSuffixes[] = {"length", "len", "size", "sz"};
  Words out;
  for (const auto& w : words) {
    bool split = false;
    for (auto suffix : kSuffixes) {
      if (w.size() <= suffix.size() || w.compare(w.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      std::string head = w.substr(0, w.size() - suffix.size());
      // resize; bytesize, nsize, minlen: a unit or a bound, not what is measured (maxlen is
      // a capacity: `char *hex, size_t hex_maxlen`).
      if (head == "re" || head == "min" || head == "byte" || head == "n" || head == "num" ||
          head == "total" || !std::isalpha(static_cast<unsigned char>(head.back())))
        break;
      out.push_back(std::move(head));
      out.emplace_back(suffix);
      split = true;
      break;
    }
    if (!split) out.push_back(w);
  }
  return out;
}

}  // namespace

bool is_glued_size(const std::string& name) {
  return !is_size_like(name) && split_glued_size(identifier_words(name)).size() > identifier_words(name).size();
}

bool has_word(const Words& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

namespace {
// A verb of a function name, also with a version number glued to it (BZ2_bzWriteClose64:
// "close64"; cuMemAllocHost_v2 splits apart already).
bool has_any_verb(const Words& words, std::initializer_list<std::string_view> verbs) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    std::size_t end = w.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(w[end - 1]))) --end;
    const std::string_view stem(w.data(), end);
    return std::find(verbs.begin(), verbs.end(), stem) != verbs.end();
  });
}
}  // namespace

bool identifier_words_end_with(const std::string& identifier, std::string_view word) {
  Words w = identifier_words(identifier);
  return !w.empty() && w.back() == word;
}

bool has_any_word(const Words& words, std::initializer_list<std::string_view> candidates) {
  for (auto c : candidates)
    if (has_word(words, c)) return true;
  return false;
}

bool is_size_like(const std::string& name) {
  Words w = identifier_words(name);
  if (w.size() > 1 && w.front() == "p") w.erase(w.begin());  // pNumRootNodes
  if (w.empty()) return false;
  if (has_any_word(w, {"size", "sizes", "len", "length", "count", "nbytes", "bytes", "nelems", "nelements",
                       "nitems", "cnt", "sz", "cb", "dim", "ndim", "ndims"}))
    return true;
  if (w.front() == "num" || w.front() == "number" || w.front() == "n") return true;
  // nEntries / nElements style: "n" glued to a capitalised word.
  return name.size() > 1 && name[0] == 'n' && std::isupper(static_cast<unsigned char>(name[1]));
}

Words counted_subject(const std::string& name) {
  Words out;
  for (auto& w : split_glued_size(identifier_words(name)))
    if (!is_size_word(w) && w != "ret") out.push_back(singular(w));
  return out;
}

Words subject(const std::string& name) {
  Words out;
  for (auto& w : identifier_words(name)) out.push_back(singular(w));
  return out;
}

bool names_bytes(const std::string& name) {
  Words w = split_glued_size(identifier_words(name));
  return has_any_word(w, {"size", "bytes", "byte", "nbytes", "bytesize", "sz"});
}

bool is_ret_name(const std::string& name) {
  Words w = identifier_words(name);
  return !w.empty() && w.back() == "ret";
}

bool names_position(const std::string& name) {
  return has_any_word(identifier_words(name), {"pos", "position", "cursor"}) && !is_plural_name(name);
}

bool is_plural_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.empty()) return false;
  const std::string& last = w.back();
  // Bit masks and the like are one value despite the plural spelling.
  if (last == "flags" || last == "options" || last == "bytes" || last == "bits" || last == "props") return false;
  if (last == "list" || last == "array" || last == "arr" || last == "ptrs" || last == "status") return true;
  return last.size() > 3 && last.back() == 's' && last[last.size() - 2] != 's';
}

bool is_user_data_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.empty()) return false;
  if (has_word(w, "user") || has_word(w, "userdata") || has_word(w, "ctx") || has_word(w, "cookie")) return true;
  return (w.size() == 1 && (w[0] == "data" || w[0] == "arg" || w[0] == "args" || w[0] == "context")) ||
         (w.size() == 2 && w[0] == "p" && (w[1] == "data" || w[1] == "arg"));
}

bool is_properties_name(const std::string& name) {
  Words w = identifier_words(name);
  return has_any_word(w, {"properties", "props", "attribs", "attributes", "attrib_list", "property"});
}

bool is_blocking_name(const std::string& name) {
  Words w = identifier_words(name);
  return has_word(w, "blocking");
}

bool is_geometry_name(const std::string& name) {
  Words w = identifier_words(name);
  return has_any_word(w, {"origin", "region", "shape", "dims", "coords", "extent", "strides", "pitches"});
}

bool is_device_address_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.size() == 1) return w[0] == "dptr" || w[0] == "devptr";
  bool device = has_any_word(w, {"dev", "device", "d"}) && (w.front() == "dev" || w.front() == "device" || w.front() == "d" ||
                                                           w.front() == "p" || w.front() == "src" || w.front() == "dst");
  return device && has_any_word(w, {"ptr", "pointer", "addr", "address"});
}

bool is_source_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.size() > 1 && w.front() == "p") w.erase(w.begin());
  return !w.empty() && (w.front() == "src" || w.front() == "source");
}

bool is_destination_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.size() > 1 && w.front() == "p") w.erase(w.begin());
  return !w.empty() && (w.front() == "dst" || w.front() == "dest" || w.front() == "destination");
}

bool is_configuration_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.empty()) return false;
  const std::string& last = w.back();
  return last == "options" || last == "opts" || last == "params" || last == "config" || last == "settings";
}

bool is_code_address_name(const std::string& name) {
  Words w = identifier_words(name);
  if (w.size() > 1 && w.front() == "p") w.erase(w.begin());
  // symbolPtr, entryFuncAddr: the same with the word "pointer" or "address" after it.
  if (w.size() >= 2 && (w.back() == "ptr" || w.back() == "pointer" || w.back() == "addr" || w.back() == "address"))
    w.pop_back();
  return !w.empty() && w.size() <= 2 &&
         (w.back() == "symbol" || w.back() == "func" || w.back() == "function" || w.back() == "entry" ||
          w.back() == "fn");
}

bool creates_object(const Words& w) {
  return has_any_verb(w, {"create", "alloc", "malloc", "calloc", "new", "open", "clone", "link", "instantiate"});
}

bool reallocates_memory(const Words& w) { return has_any_verb(w, {"realloc"}); }

bool releases_object(const Words& w) {
  return has_any_verb(w, {"release", "destroy", "free", "delete", "close", "dispose", "unload"});
}

bool only_queries(const Words& w) { return has_any_word(w, {"get", "query", "info"}); }

bool waits_for_work(const Words& w) {
  if (has_any_word(w, {"finish", "synchronize"})) return true;
  // "Wait" as a verb, not the "wait list" of an enqueue.
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] == "wait" && !(i + 1 < w.size() && w[i + 1] == "list")) return true;
  return false;
}

// "Async" as the last word (cudaMemcpyAsync), not a noun (RegisterAsyncNotification).
bool enqueues_work(const Words& w) {
  return has_any_word(w, {"enqueue", "launch"}) || (!w.empty() && w.back() == "async");
}

bool maps_memory(const Words& w) { return has_word(w, "map"); }

bool unmaps_memory(const Words& w) { return has_word(w, "unmap"); }

bool names_buffer(const Words& w) { return has_any_word(w, {"buffer", "buf"}); }

}  // namespace remora::inference::names

namespace remora::inference::names {

// The call's verb is its last word (BZ2_bzWrite, gzwrite, SSL_write): what it is given
// is written somewhere else. vkWriteMicromapsPropertiesEXT writes *into* its data.
bool writes_data(const Words& w) {
  if (w.empty() || has_any_word(w, {"read", "get", "recv", "receive", "query", "fetch", "download"})) return false;
  return has_any_word({w.back()}, {"write", "send", "put", "push", "upload"});
}

bool registers_memory(const Words& w) { return has_any_word(w, {"register", "unregister", "pin", "unpin"}); }

bool exchanges_value(const Words& w) { return has_any_word(w, {"exchange", "swap"}); }

}  // namespace remora::inference::names
