// Size companions: which integer parameter gives the length of which pointer
// parameter (param_value_size -> param_value, num_entries -> platforms).
#include <algorithm>
#include <cctype>
#include <optional>

#include "function_words.h"
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

// A struct with function-pointer members (VkAllocationCallbacks, lzma_allocator).
bool callback_table(const ParsedHeader& header, const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  if (!pointee || pointee->shape != TypeShape::Record) return false;
  std::string tag = pointee->record_name;
  if (tag.rfind("struct ", 0) == 0) tag = tag.substr(7);
  const ParsedType* t = header.find_type(tag);
  if (!t && !pointee->typedef_name.empty()) t = header.find_type(pointee->typedef_name);
  if (!t) return false;
  for (const auto& f : t->field_info)
    if (f.type.is_function_pointer()) return true;
  return false;
}

bool is_size_param(const ParsedParam& p) {
  if (p.type.shape != TypeShape::Integer) return false;
  // Unnamed (`magic_buffer(magic_t, const void *, size_t)`), its type is its only name.
  if (p.unnamed) return p.type.typedef_name == "size_t";
  return names::is_size_like(p.name) || names::is_glued_size(p.name);
}

// The bytes of untyped or character data (void, char, unsigned char, uint8_t).
bool byte_data(const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  const spec::CType* to = spec::pointee_of(p.ctype);
  return pointee && (pointee->shape == TypeShape::Void || pointee->shape == TypeShape::Char ||
                     (to && spec::is_byte_integer(*to)));
}

// (in, inlen), (key, keylen): a glued length only measures bytes (void, char, 1-byte
// integers), the C idiom it is spelled for; a typed array or a struct beside one is left
// to the other rules (`size_t cpusetsize, cpu_set_t *mask` counts bytes of one struct).
bool glued_size_fits(const ParsedParam& size, const ParsedParam& pointer) {
  if (names::is_size_like(size.name) || !names::is_glued_size(size.name)) return true;
  return byte_data(pointer);
}

bool subset_of(const names::Words& part, const names::Words& whole) {
  if (part.empty()) return false;
  for (const auto& w : part)
    if (!names::has_word(whole, w)) return false;
  return true;
}

// One word abbreviates or equals the other ("dict" / "dictionary", "src" / "src").
bool same_word(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return shorter.size() >= 3 && longer.rfind(shorter, 0) == 0;
}

// A length naming something else (good_length, sourceLen, stream_size) does not size
// a struct (deflateTune(z_streamp strm, int good_length, ...)) or a string
// (`const char *version, int stream_size`) it merely follows. A count (num*, *Count,
// batchSize of `int *info`) may still count what a differently named array of structs
// holds per item (numDependencies for edgeData), and plain numeric arrays follow their
// count; text does not.
bool refuses_size(const ParsedParam& p, const std::string& size_name) {
  const TypeInfo* pointee = p.type.pointee.get();
  // WidthInBytes, height: one dimension of a 2D/3D extent, never the length of a
  // differently named array (cuMemAllocPitch(CUdeviceptr *dptr, size_t *pPitch, size_t WidthInBytes, ...)).
  if (names::has_any_word(names::counted_subject(size_name), {"width", "height", "depth"}))
    return names_something_else(size_name, p.name);
  if (!pointee || (pointee->shape != TypeShape::Record && pointee->shape != TypeShape::Char)) return false;
  names::Words w = identifier_words(size_name);
  // Text is counted by its characters: a count of something else only follows it
  // (`const char *zFunctionName, int nArg`: the SQL function's argument count).
  if (names::has_any_word(w, {"count", "num", "number", "n", "cnt", "nitems"}) ||
      (size_name.size() > 1 && size_name[0] == 'n' && std::isupper(static_cast<unsigned char>(size_name[1]))))
    return pointee->shape == TypeShape::Char && names_something_else(size_name, p.name);
  // A bare byte size after one struct (`const ze_device_mem_alloc_desc_t *device_desc,
  // size_t size`): structs are counted, not measured in bytes; the size is the call's own
  // (the allocation's).
  if (pointee->shape == TypeShape::Record && names::names_bytes(size_name) &&
      names::counted_subject(size_name).empty() && !names::is_plural_name(p.name))
    return true;
  return names_something_else(size_name, p.name);
}

// Pointers whose pointee is itself an object reference (void **, handle *):
// their size is never the size of a neighbouring byte count.
bool points_to_reference(const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  return pointee && (pointee->is_handle || pointee->shape == TypeShape::Pointer);
}

// Two-call enumeration: `uint32_t *pCount, T *pItems` (or `void *data, unsigned
// *dataLength`). With no count passed by value, the integer behind the pointer is
// the array's capacity on the way in and the number written on the way out.
// `*_ret` counts are excluded: they only report a size another parameter bounds.
void link_counts_through_pointers(const std::vector<ParsedParam>& params, const std::set<std::size_t>& count_outputs,
                                  std::map<std::size_t, SizeLink>& links) {
  // An array the API fills element by element: not a pointer to a pointer it
  // hands back (`void **cubinOut`, `const T **deps_out`), unless the elements are handles.
  auto free_array = [&](std::size_t j) {
    if (j >= params.size() || links.count(j) || count_outputs.count(j) || !is_data_pointer(params[j])) return false;
    const TypeInfo* pointee = params[j].type.pointee.get();
    return pointee && pointee->shape != TypeShape::Function &&
           (pointee->shape != TypeShape::Pointer || pointee->is_handle);
  };
  // Bytes the call writes: `void *data, unsigned *dataLength`.
  auto byte_output = [&](std::size_t j) {
    const TypeInfo* pointee = params[j].type.pointee.get();
    return pointee && !pointee->is_const && byte_data(params[j]);
  };
  // "dict" names "dictionary": a counted word that abbreviates a word of the array's name.
  // The count names the whole array (pPhysicalDeviceCount -> pPhysicalDevices), not
  // just its first word (paramSize vs paramOffset: two scalar outputs), unless the
  // array's name is plural.
  auto names_array = [](const names::Words& counted, const std::string& array_name) {
    if (counted.empty()) return false;
    auto same = [](const std::string& w, const std::string& s) {
      return s == w || (w.size() >= 3 && s.size() > w.size() && s.rfind(w, 0) == 0);
    };
    names::Words subject = names::subject(array_name);
    for (const auto& w : counted)
      if (std::none_of(subject.begin(), subject.end(), [&](const std::string& s) { return same(w, s); })) return false;
    if (names::is_plural_name(array_name)) return true;
    for (const auto& s : subject)
      if (s != "p" && std::none_of(counted.begin(), counted.end(), [&](const std::string& w) { return same(w, s); }))
        return false;
    return true;
  };
  for (std::size_t c : count_outputs) {
    const std::string& count_name = params[c].name;
    if (names::is_ret_name(count_name)) continue;
    names::Words counted;
    for (auto& w : names::counted_subject(count_name))
      if (w != "p" && w != "out" && w != "ptr") counted.push_back(w);  // pCount, sizeOut: no subject
    std::optional<std::size_t> target;
    double weight = 0;
    std::string why;
    for (std::size_t j = 0; j < params.size() && !target; ++j)
      if (j != c && free_array(j) && names_array(counted, params[j].name)) {
        target = j;
        weight = 0.75;
        why = "'" + count_name + "' names what it counts ('" + params[j].name + "') and is passed by pointer";
      }
    // `int *n, int *inembed` (dimensions) looks like a count before an array of counts:
    // by position alone, only output arrays of something other than integers, or the
    // bytes of a text or blob the call writes after a size that names nothing else
    // (`size_t *pSize, char *pBuildLog`; not `int seqLengthArray[], void *paddingFill`).
    if (!target && free_array(c + 1) && !params[c + 1].type.pointee->is_const &&
        (!params[c + 1].type.pointee->is_integer_like() || (counted.empty() && byte_output(c + 1)))) {
      target = c + 1;
      weight = 0.6;
      why = "count pointer '" + count_name + "' directly precedes array '" + params[c + 1].name + "'";
    }
    if (!target && c > 0 && free_array(c - 1) && byte_output(c - 1)) {
      target = c - 1;
      weight = 0.55;
      why = "length pointer '" + count_name + "' directly follows data '" + params[c - 1].name + "'";
    }
    if (!target) continue;
    links[*target] = SizeLink{c, weight,
                              why + ": no count is passed by value, so *" + count_name +
                                  " is the capacity going in and the number written coming out (two-call idiom)",
                              true, "", std::nullopt};
  }
}

// Whether a struct field's type is an integer. Struct fields are recorded as C
// spellings (spec::StructField); a typedef the header declares is looked through,
// builtin and <stdint.h> spellings are recognised by their words.
bool integer_field(const ParsedHeader& header, const std::string& type) {
  if (type.find('*') != std::string::npos || type.find('[') != std::string::npos) return false;
  if (const ParsedType* t = header.find_type(type); t && t->form == ParsedType::Form::Typedef)
    return t->underlying.shape == TypeShape::Integer;
  names::Words w = identifier_words(type);
  return names::has_any_word(w, {"int", "unsigned", "long", "short", "size", "uint", "uint8", "uint16", "uint32",
                                 "uint64", "int32", "int64", "int16", "int8"});
}

// Counts held in another parameter's struct: `vkAllocateCommandBuffers(device,
// const VkCommandBufferAllocateInfo *pAllocateInfo, VkCommandBuffer *pCommandBuffers)`
// where the input struct's `commandBufferCount` field names what the array holds.
void link_counts_in_structs(const ParsedHeader& header, const std::vector<ParsedParam>& params,
                            const std::set<std::size_t>& count_outputs, std::map<std::size_t, SizeLink>& links) {
  for (std::size_t j = 0; j < params.size(); ++j) {
    if (links.count(j) || count_outputs.count(j) || !is_data_pointer(params[j])) continue;
    names::Words wanted = names::subject(params[j].name);
    for (std::size_t q = 0; q < params.size(); ++q) {
      const TypeInfo* record = params[q].type.pointee.get();
      if (q == j || !params[q].type.is_pointer() || !record || record->shape != TypeShape::Record ||
          !record->is_const || !record->record_complete)
        continue;
      const ParsedType* t = struct_named_by(header, *record);
      if (!t) continue;
      for (const auto& field : t->fields) {
        if (!names::is_size_like(field.name) || !integer_field(header, field.type)) continue;
        names::Words counted = names::counted_subject(field.name);
        if (!subset_of(counted, wanted)) continue;
        // poolSizeCount counts pool sizes, not the one pool pDescriptorPool receives:
        // a singular array must be named whole by the count.
        if (!names::is_plural_name(params[j].name) &&
            !std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
              return w == "p" || w == "pp" || names::has_word(counted, w);
            }))
          continue;
        links[j] = SizeLink{q, 0.7,
                            "field '" + field.name + "' of the input struct '" + params[q].name + "' names what it counts ('" +
                                params[j].name + "')",
                            false, field.name, std::nullopt};
        break;
      }
      if (links.count(j)) break;
    }
  }
}

}  // namespace

// A size that names what it counts, and names something other than this pointer
// (`deflateTune(strm, int good_length, ...)`, `cuMemAllocPitch(..., size_t *pPitch,
// size_t WidthInBytes, ...)`): it is not this pointer's length, wherever it stands.
bool names_something_else(const std::string& size_name, const std::string& pointer_name) {
  names::Words counted;
  for (auto& w : names::counted_subject(size_name))
    if (!names::has_any_word({w}, {"p", "out", "ptr", "in", "max", "total", "entry", "element", "elem", "item", "value",
                                 "buf", "buffer", "data", "array", "list", "char", "chars", "character",
                                 "characters"}))
      counted.push_back(w);  // num_entries, max_buf_sz: whatever the array holds
  if (counted.empty()) return false;
  names::Words subject = names::subject(pointer_name);
  for (const auto& w : counted)
    for (const auto& s : subject)
      if (same_word(w, s)) return false;
  return true;
}

const ParsedType* struct_named_by(const ParsedHeader& header, const TypeInfo& record) {
  std::string tag = record.record_name;
  if (tag.rfind("struct ", 0) == 0) tag = tag.substr(7);
  const ParsedType* t = header.find_type(tag);
  return t && t->form == ParsedType::Form::Struct ? t : nullptr;
}

bool is_count_output(const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  // Declared with array syntax (`int seqLengthArray[]`): an array of lengths, not one count.
  return p.type.is_pointer() && p.type.shape != TypeShape::Array && pointee && !pointee->is_const &&
         pointee->shape == TypeShape::Integer && names::is_size_like(p.name);
}

namespace {

// What parameter i is a position in (params.size(): none).
std::size_t cursor_target(const std::vector<ParsedParam>& params, std::size_t i) {
  const ParsedParam& p = params[i];
  const TypeInfo* pointee = p.type.pointee.get();
  if (!p.type.is_pointer() || p.type.shape == TypeShape::Array || !pointee || pointee->is_const ||
      pointee->shape != TypeShape::Integer || !names::names_position(p.name))
    return params.size();
  names::Words in;  // what it is a position in: its words but the position's
  for (const auto& w : names::subject(p.name))
    if (!names::has_any_word({w}, {"pos", "position", "cursor", "p"})) in.push_back(w);
  if (in.empty()) return params.size();
  for (std::size_t j = 0; j < params.size(); ++j)
    if (j != i && names::subject(params[j].name) == in) return j;
  return params.size();
}

}  // namespace

std::vector<std::size_t> cursor_targets(const std::vector<ParsedParam>& params) {
  std::vector<std::size_t> targets(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) targets[i] = cursor_target(params, i);
  return targets;
}

// A copy's source or destination by name: src/source (dst/dest/destination), also glued to
// what it is (`srcptr`, `dstptr`), after an optional `p`.
static bool copy_end(const std::string& name, std::string_view which) {
  if (which == "src" ? names::is_source_name(name) : names::is_destination_name(name)) return true;
  names::Words w = identifier_words(name);
  if (w.size() > 1 && w.front() == "p") w.erase(w.begin());
  return !w.empty() && w.front().rfind(which, 0) == 0;
}

bool is_data_pointer(const ParsedParam& p) {
  if (!p.type.is_pointer() || p.type.is_handle || p.type.is_function_pointer()) return false;
  // A struct the header never defines has no size: no array of it, nothing to count.
  if (p.type.pointee && p.type.pointee->shape == TypeShape::Record && !p.type.pointee->record_complete) return false;
  if (names::is_ret_name(p.name) || is_count_output(p)) return false;
  // An untyped pointer named for the user (`user_data`, `pUserData`, a cookie) is handed to
  // callbacks, never data a size beside it counts (amd_comgr_disassemble_instruction's
  // `void *user_data, uint64_t *size`: the size is the instruction's).
  if (p.type.pointee && p.type.pointee->shape == TypeShape::Void &&
      names::has_any_word(identifier_words(p.name), {"user", "userdata", "cookie"}))
    return false;
  return true;
}

// cuMemcpyDtoH(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount): the call's
// only untyped data pointer and its only byte count belong together even apart.
template <typename Eligible>
void link_lone_byte_count(const std::vector<ParsedParam>& params, std::map<std::size_t, SizeLink>& links,
                          Eligible eligible) {
  std::optional<std::size_t> data, bytes;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const TypeInfo* pointee = params[i].type.pointee.get();
    if (eligible(i) && pointee && pointee->shape == TypeShape::Void) {
      if (data) return;
      data = i;
    } else if (is_size_param(params[i]) && names::names_bytes(params[i].name)) {
      if (bytes) return;
      bytes = i;
    }
  }
  if (!data || !bytes || links.count(*data)) return;
  for (const auto& [target, l] : links)
    if (l.size_param == *bytes) return;
  links[*data] = SizeLink{*bytes, 0.45,
                          "'" + params[*bytes].name + "' is the call's only byte count and '" + params[*data].name +
                              "' its only untyped data pointer",
                          false, "", std::nullopt};
}

// CLBlastSgemmBatched(..., const float *alphas, ..., const size_t *a_offsets, ...,
// const size_t batch_count, ...): two or more input lists (const, plural names) that no
// size names, precedes or follows, in a call with exactly one count (a count word:
// count, num, number) that sizes nothing else, hold one item per count: parallel lists,
// one entry per item of the batch. A lone list beside an unrelated count (`const float
// *weights, int retry_count`) may end otherwise, so it stays unsized (refused), as do
// property lists (0-terminated). Only inputs: a plural output beside a lone count is as
// often a count itself (`unsigned *nbGroups, ..., minCount`) or a unit (`size_t
// *maxWidthInElements, ..., numChannels`).
template <typename Eligible>
void link_lone_count_to_lists(const std::vector<ParsedParam>& params, std::map<std::size_t, SizeLink>& links,
                              Eligible eligible) {
  std::optional<std::size_t> count;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (!is_size_param(params[i]) || names::names_bytes(params[i].name) ||
        !names::has_any_word(identifier_words(params[i].name), {"count", "num", "number"}))
      continue;
    if (count) return;
    count = i;
  }
  if (!count) return;
  auto input_list = [&](std::size_t i) {
    const TypeInfo* pointee = params[i].type.pointee.get();
    return pointee && pointee->is_const && names::is_plural_name(params[i].name);
  };
  for (const auto& [target, l] : links)
    // The count sizes something already, or a list is sized by another size: the lists
    // of one call share one count, and which it is is not clear (CLBlastSaxpyBatched's
    // `n, const float *alphas` by position, its offsets by `batch_count`): left unsized.
    if (l.size_param == *count || input_list(target)) return;
  std::vector<std::size_t> lists;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (eligible(i) && !links.count(i) && input_list(i) && !points_to_reference(params[i]) &&
        !names::is_properties_name(params[i].name))
      lists.push_back(i);
  if (lists.size() < 2) return;
  for (std::size_t i : lists)
    links[i] = SizeLink{*count, 0.45,
                        "'" + params[*count].name + "' is the call's only count and sizes nothing else; '" +
                            params[i].name + "' is one of " + std::to_string(lists.size()) +
                            " parallel lists (plural names) with no size of their own",
                        false, "", std::nullopt};
}

std::map<std::size_t, SizeLink> find_size_companions(const ParsedHeader& header, const ParsedFunction& f,
                                                     const std::set<std::size_t>& count_outputs,
                                                     const std::vector<std::size_t>& cursor_of) {
  std::map<std::size_t, SizeLink> links;
  const auto& params = f.params;
  auto is_cursor = [&](std::size_t i) { return cursor_of[i] != params.size(); };
  auto link = [&](std::size_t target, std::size_t size_param, double weight, std::string why) {
    if (!glued_size_fits(params[size_param], params[target])) return;
    auto it = links.find(target);
    if (it != links.end() && it->second.weight >= weight) return;
    links[target] = SizeLink{size_param, weight, std::move(why), false, "", std::nullopt};
  };
  auto eligible = [&](std::size_t i) { return is_data_pointer(params[i]) && !count_outputs.count(i); };
  // After a sized array, the following const or plural arrays usually share
  // the count (strings + lengths; device_list + binaries + binary_status).
  auto extend_run = [&](std::size_t from, std::size_t s) {
    for (std::size_t j = from; j < params.size() && eligible(j); ++j) {
      const ParsedParam& p = params[j];
      bool const_pointee = p.type.pointee && p.type.pointee->is_const;
      // A lone string is one string (options, kernel_names), not an array.
      if (p.type.pointee && p.type.pointee->shape == TypeShape::Char) break;
      if (!(const_pointee || names::is_plural_name(p.name))) break;
      // A table of callbacks in the run (pAllocator between pCreateInfos and
      // pPipelines) is one object, not part of it; the arrays after it still are.
      if (!names::is_plural_name(p.name) && callback_table(header, p)) continue;
      link(j, s, 0.45,
           "'" + p.name + "' is an array right after another array counted by '" + params[s].name +
               "'; parallel arrays share one count");
    }
  };

  for (std::size_t s = 0; s < params.size(); ++s) {
    if (!is_size_param(params[s])) continue;
    const std::string& size_name = params[s].name;
    names::Words counted = names::counted_subject(size_name);

    // 1. The size names what it counts: num_devices -> devices. A count naming all
    // of the array's words (bufferMemoryBarrierCount for pBufferMemoryBarriers) beats
    // one naming part of them (memoryBarrierCount).
    std::size_t last_match = params.size();
    for (std::size_t j = 0; j < params.size(); ++j) {
      if (j == s || !eligible(j) || is_cursor(j)) continue;  // out_pos for out_size: a place in out
      names::Words subject = names::subject(params[j].name);
      if (subset_of(counted, subject)) {
        bool whole = std::all_of(subject.begin(), subject.end(), [&](const std::string& w) {
          return w == "p" || w == "pp" || names::has_word(counted, w);
        });
        link(j, s, whole ? 0.8 : 0.75, "'" + size_name + "' names what it counts: '" + params[j].name + "'");
        last_match = j;
      }
    }
    if (last_match != params.size()) {
      extend_run(last_match + 1, s);
      continue;
    }
    // A byte size or length right after untyped or character data is that data's
    // (`const char *zSql, int nByte, sqlite3_stmt **ppStmt`; `void *data, size_t
    // size, const char *name`): C writes (buf, len) far more than (len, buf).
    // (A cursor between them is passed over: `const uint8_t *in, size_t *in_pos, size_t in_size`.)
    const std::size_t before = s >= 2 && is_cursor(s - 1) ? s - 2 : s - 1;
    bool data_before = s > 0 && eligible(before) && byte_data(params[before]) &&
                       (names::names_bytes(size_name) ||
                        names::has_any_word(identifier_words(size_name), {"len", "length"}) ||
                        names::is_glued_size(size_name)) &&
                       !names_something_else(size_name, params[before].name);
    // 2. A count directly before an array: (num_entries, platforms). Never an array of
    // handles or pointers with a singular name (ppStmt is one statement).
    // A glued length before bytes sizes only an output (`int keylen, unsigned char *out`),
    // not a string the call reads (`int maxlen, const char *prompt`).
    const bool glued_before_input = names::is_glued_size(size_name) && s + 1 < params.size() &&
                                    (!params[s + 1].type.pointee || params[s + 1].type.pointee->is_const);
    if (!data_before && !glued_before_input && s + 1 < params.size() && eligible(s + 1) && !is_cursor(s + 1) &&
        (!points_to_reference(params[s + 1]) || names::is_plural_name(params[s + 1].name))) {
      link(s + 1, s, 0.65,
           "integer '" + size_name + "' (a size/count name) directly precedes pointer '" + params[s + 1].name + "'");
      extend_run(s + 2, s);
      continue;
    }
    // 3. A size directly after the data: (const void *src, size_t count). A cursor
    // between them (`const uint8_t *in, size_t *in_pos, size_t in_size`) is passed over:
    // the data right before it is the size's, and nothing further back (the triple
    // stands alone: `lzma_vli *vli, size_t *vli_pos` before it are one value each).
    bool over_cursor = false;
    for (std::size_t j = s; j-- > 0;) {
      if (is_cursor(j) && !over_cursor && j + 1 == s) {
        over_cursor = true;
        continue;
      }
      const bool adjacent = j + 1 == s || (over_cursor && j + 2 == s);
      if (!eligible(j) || is_cursor(j) || points_to_reference(params[j]) ||
          refuses_size(params[j], size_name))
        break;
      if (!adjacent && names::is_glued_size(size_name)) break;  // (buf, buflen): the data right before it
      // Only the data right before the size; further back, a struct (the call's
      // state or object, `z_streamp strm`) is not part of a run of arrays.
      const TypeInfo* pointee = params[j].type.pointee.get();
      if (!adjacent && pointee && pointee->shape == TypeShape::Record) break;
      // Further back, untyped output bytes with a singular name share the input's size only
      // where the two are a copy's ends (memcpy's dst and src): `gcry_md_hash_buffer(algo,
      // void *digest, const void *buffer, size_t length)` writes a digest of its own size,
      // and a wrong guess there would overfill the program's buffer (left unsized, the call
      // is refused instead). Parallel arrays (`unsigned int *capabilities, const
      // CUatomicOperation *operations, unsigned int count`) still share their count.
      const ParsedParam& nearest = params[s - 1 - (over_cursor ? 1 : 0)];
      const bool untyped_output = pointee && !pointee->is_const && pointee->shape == TypeShape::Void;
      const bool nearest_input = nearest.type.pointee && nearest.type.pointee->is_const;
      if (!adjacent && untyped_output && nearest_input && !names::is_plural_name(params[j].name) &&
          !copy_end(nearest.name, "src") && !copy_end(params[j].name, "dst"))
        break;
      double weight = adjacent ? 0.55 : 0.4;
      link(j, s, weight,
           "integer '" + size_name + "' (a size/count name) follows pointer '" + params[j].name + "'" +
               (over_cursor ? " (past the position '" + params[s - 1].name + "' in it)" : ""));
      // fread(ptr, size, nitems, stream): an element size followed by a plain count.
      if (j + 1 == s && s + 1 < params.size() && is_size_param(params[s + 1]) && names::names_bytes(size_name) &&
          names::counted_subject(size_name).empty() && !names::names_bytes(params[s + 1].name) &&
          names::counted_subject(params[s + 1].name).empty() && links.count(j) && links[j].size_param == s) {
        links[j].times_param = s + 1;
        links[j].why += "; '" + params[s + 1].name + "' right after it counts items of that size (fread's idiom)";
      }
      if (over_cursor) break;
    }
  }
  // `const uint8_t input_buffer[input_size]`, `uint8_t out[*encoded_size]` (C99 array
  // parameters): the declaration says the count; through the pointer when it is one.
  for (std::size_t j = 0; j < params.size(); ++j) {
    if (params[j].array_extent_param.empty()) continue;
    for (std::size_t s = 0; s < params.size(); ++s) {
      if (s == j || params[s].name != params[j].array_extent_param) continue;
      const bool through = params[s].type.is_pointer();
      links[j] = SizeLink{s, 0.9,
                          "declared as an array of " + std::string(through ? "*" : "") + params[s].name +
                              " elements (a C99 array parameter)",
                          through, "", std::nullopt};
    }
  }
  link_lone_byte_count(params, links, eligible);
  link_lone_count_to_lists(params, links, eligible);
  link_counts_through_pointers(params, count_outputs, links);
  return links;
}

FunctionContext make_context(const ParsedHeader& header, const ParsedFunction& f) {
  FunctionContext context{header, f, function_words(header, f.name), {}, {}, {}, false};
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (is_count_output(f.params[i])) context.count_outputs.insert(i);
    if (f.params[i].type.is_function_pointer()) context.has_callback = true;
    const TypeInfo* pointee = f.params[i].type.pointee.get();
    if (f.params[i].type.is_pointer() && pointee && pointee->is_handle && !pointee->is_const)
      context.produces_handle = true;
  }
  context.cursor_of = cursor_targets(f.params);
  context.sizes = find_size_companions(header, f, context.count_outputs, context.cursor_of);
  link_counts_in_structs(header, f.params, context.count_outputs, context.sizes);
  return context;
}

int FunctionContext::state_struct_uses(const TypeInfo& record) const {
  if (record.record_name.empty()) return 0;
  // State points somewhere (z_stream's next_in, a pNext chain); a plain value
  // struct (cuComplex, a memory location) is written, not kept.
  const ParsedType* t = struct_named_by(header, record);
  if (!t || std::none_of(t->fields.begin(), t->fields.end(),
                         [](const spec::StructField& f) { return f.type.find('*') != std::string::npos; }))
    return 0;
  int uses = 0;
  for (const ParsedFunction& f : header.functions)
    for (const ParsedParam& p : f.params) {
      const TypeInfo* pointee = p.type.pointee.get();
      if (p.type.shape == TypeShape::Pointer && pointee && !pointee->is_const &&
          pointee->record_name == record.record_name) {
        ++uses;
        break;
      }
    }
  return uses;
}

bool FunctionContext::returns_computed_value() const {
  const TypeInfo& ret = parsed.ret;
  if (ret.is_handle || (ret.shape != TypeShape::Integer && ret.shape != TypeShape::Floating)) return false;
  // The API's usual return type (its status) is not a finding, nor is a plain int: C
  // libraries return their status, booleans and counts as int.
  if (ret.spelling == "int") return false;
  std::map<std::string, int> counts;
  for (const ParsedFunction& f : header.functions) ++counts[f.ret.spelling];
  std::string common;
  int best = 0;
  for (const auto& [spelling, n] : counts)
    if (n > best) best = n, common = spelling;
  return ret.spelling != common;
}

spec::Evidence header_evidence(spec::AnnotationPatch says, double weight, std::string why, std::string location) {
  spec::Evidence e;
  e.source = spec::EvidenceSource::Header;
  e.says = std::move(says);
  e.weight = weight;
  e.why = std::move(why);
  e.location = std::move(location);
  return e;
}

}  // namespace remora::inference
