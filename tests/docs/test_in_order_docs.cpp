// `in_order` from a creating call's page: a flag documented "If set, the commands ... are
// executed out-of-order. Otherwise, commands are executed in-order." gives the predicate
// under which the created object runs its work in order (inference/docs/src/in_order.cpp).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {

spec::Type alias(std::string name, std::string underlying) {
  spec::Type t;
  t.name = std::move(name);
  t.kind = spec::TypeKind::Alias;
  t.underlying = std::move(underlying);
  return t;
}

// createQueue(ctx, dev, properties) with a bit-field; createQueueWithProperties(ctx, dev,
// props, errcode) with a key/value list; getQueueInfo makes nothing.
spec::Spec queue_spec() {
  spec::Spec s;
  s.types.push_back(handle_type("ctx_t"));
  s.types.push_back(handle_type("queue_t"));
  s.types.push_back(alias("bitfield_t", "unsigned long"));
  s.types.push_back(alias("queue_flags_t", "bitfield_t"));
  s.types.push_back(alias("queue_prop_t", "bitfield_t"));
  s.functions.push_back(function("createQueue", "queue_t",
                                 {param("context", "ctx_t"), param("properties", "queue_flags_t"),
                                  param("errcode_ret", "int *")}));
  s.functions.push_back(
      function("createQueueWithProperties", "queue_t",
               {param("context", "ctx_t"), param("properties", "const queue_prop_t *"),
                param("errcode_ret", "int *")}));
  s.functions.push_back(
      function("setQueueProperty", "int",
               {param("queue", "queue_t"), param("properties", "queue_flags_t")}));
  return s;
}

// The legacy page: a bit-field parameter, its flags in a table (as clCreateCommandQueue's).
const char* kBitfieldPage =
    "To create a host command-queue on a specific device, call the function\n"
    "\n"
    "  * _context_ must be a valid context.\n"
    "  * _properties_ specifies a list of properties for the command-queue.\n"
    "    This is a bit-field and the supported properties are described in the\n"
    "    <<legacy-queue-properties-table, table>> below.\n"
    "\n"
    "[[legacy-queue-properties-table]]\n"
    ".List of supported `queue_flags_t` values by {createQueue}\n"
    "[width=\"100%\",cols=\"<50%,<50%\",options=\"header\"]\n"
    "|====\n"
    "| Command-Queue Properties | Description\n"
    "| {Q_OUT_OF_ORDER_EXEC_MODE_ENABLE}\n"
    "  | Determines whether the commands queued in the command-queue are executed\n"
    "    in-order or out-of-order.\n"
    "    If set, the commands in the command-queue are executed out-of-order.\n"
    "    Otherwise, commands are executed in-order.\n"
    "\n"
    "| {Q_PROFILING_ENABLE}\n"
    "  | Enable or disable profiling of commands in the command-queue.\n"
    "    If set, the profiling of commands is enabled.\n"
    "    Otherwise profiling of commands is disabled.\n"
    "|====\n"
    "  * _errcode_ret_ will return an appropriate error code.\n";

// The properties page: a key/value list, the flag inside the row of its key (as
// clCreateCommandQueueWithProperties's).
const char* kPropertiesPage =
    "  * _properties_ specifies a list of properties for the command-queue and their\n"
    "    corresponding values.\n"
    "    Each property name is immediately followed by the corresponding desired\n"
    "    value.\n"
    "    The list is terminated with 0.\n"
    "  * _errcode_ret_ will return an appropriate error code.\n"
    "\n"
    "[[queue-properties-table]]\n"
    "|====\n"
    "| Queue Property | Property Value | Description\n"
    "| {Q_PROPERTIES_anchor}\n"
    "\n"
    "include::{generated}/api/version-notes/Q_PROPERTIES.asciidoc[]\n"
    "  | {queue_prop_t_TYPE}\n"
    "      | This is a bitfield and can be set to a combination of the following\n"
    "        values:\n"
    "\n"
    "        {Q_OUT_OF_ORDER_EXEC_MODE_ENABLE_anchor} - Determines whether the\n"
    "        commands queued in the command-queue are executed in-order or\n"
    "        out-of-order.\n"
    "        If set, the commands in the command-queue are executed out-of-order.\n"
    "        Otherwise, commands are executed in-order.\n"
    "\n"
    "        {Q_PROFILING_ENABLE_anchor} - Enable or disable profiling of commands\n"
    "        in the command-queue.\n"
    "        If set, the profiling of commands is enabled.\n"
    "        Otherwise profiling of commands is disabled.\n"
    "| {Q_SIZE_anchor}\n"
    "  | {unsigned_int_TYPE}\n"
    "      | Specifies the size of the device queue in bytes.\n"
    "|====\n";

const spec::Evidence* in_order_claim(const spec::Spec& s, const char* fn) {
  return find_docs_evidence(s.find_function(fn)->evidence,
                            [](const auto& says) { return says.in_order.has_value(); });
}

std::string with(std::string page, const std::string& from, const std::string& to) {
  auto at = page.find(from);
  if (at == std::string::npos) throw std::runtime_error("test page lacks: " + from);
  return page.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a bit-field's out-of-order flag: in order when the flag is clear") {
  auto s = queue_spec();
  mine(s, "q.adoc", refpage("createQueue", "Create a queue", kBitfieldPage));
  const spec::Evidence* e = in_order_claim(s, "createQueue");
  REQUIRE(e);
  CHECK(*e->says.in_order == "(properties & Q_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
  CHECK(e->why.find("If set, the commands in the command-queue are executed out-of-order.") !=
        std::string::npos);
  CHECK(e->why.find("in order unless Q_OUT_OF_ORDER_EXEC_MODE_ENABLE is set") != std::string::npos);
  CHECK(e->location.find("q.adoc:") != std::string::npos);
  // One claim for the one flag (profiling says nothing about order).
  int claims = 0;
  for (const auto& ev : s.find_function("createQueue")->evidence)
    claims += ev.says.in_order.has_value();
  CHECK(claims == 1);
}

TEST_CASE("a properties table's row: the flag inside the value of its key") {
  auto s = queue_spec();
  mine(s, "q.adoc", refpage("createQueueWithProperties", "Create a queue", kPropertiesPage));
  const spec::Evidence* e = in_order_claim(s, "createQueueWithProperties");
  REQUIRE(e);
  CHECK(*e->says.in_order ==
        "(property(properties, Q_PROPERTIES) & Q_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
}

TEST_CASE(
    "a flag heading its own row after a keyed table belongs to the bit-field, not to that table") {
  auto s = queue_spec();
  // A keyed table (its last row keyed Q_SIZE, an integer) right before the flags' own table.
  std::string keyed =
      "|====\n"
      "| Queue Property | Property Value | Description\n"
      "| {Q_SIZE_anchor}\n"
      "  | {unsigned_int_TYPE}\n"
      "      | Specifies the size of the device queue in bytes.\n"
      "|====\n";
  std::string page = with(kBitfieldPage, "[[legacy-queue-properties-table]]\n", keyed);
  mine(s, "q.adoc", refpage("createQueue", "Create a queue", page));
  const spec::Evidence* e = in_order_claim(s, "createQueue");
  REQUIRE(e);
  CHECK(*e->says.in_order == "(properties & Q_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
}

TEST_CASE("wording variants: in order / out of order, execute, one sentence with otherwise") {
  auto s = queue_spec();
  std::string page =
      with(kBitfieldPage,
           "    If set, the commands in the command-queue are executed out-of-order.\n"
           "    Otherwise, commands are executed in-order.\n",
           "    If set, commands execute out of order; otherwise, commands execute in order.\n");
  mine(s, "q.adoc", refpage("createQueue", "Create a queue", page));
  const spec::Evidence* e = in_order_claim(s, "createQueue");
  REQUIRE(e);
  CHECK(*e->says.in_order == "(properties & Q_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
}

TEST_CASE("sentences that must not give in_order") {
  const std::string out_of_order =
      "    If set, the commands in the command-queue are executed out-of-order.\n";
  const std::string in_order = "    Otherwise, commands are executed in-order.\n";
  auto claimed = [](const std::string& fn, const std::string& page) {
    auto s = queue_spec();
    mine(s, "q.adoc", refpage(fn, "Create a queue", page));
    return in_order_claim(s, fn.c_str()) != nullptr;
  };
  SECTION("the default is not said") {
    CHECK_FALSE(claimed("createQueue", with(kBitfieldPage, in_order, "")));
  }
  SECTION("negated") {
    CHECK_FALSE(
        claimed("createQueue", with(kBitfieldPage, out_of_order,
                                    "    If set, the commands are not executed out-of-order.\n")));
  }
  SECTION("inverted: set means in order") {
    CHECK_FALSE(claimed(
        "createQueue",
        with(with(kBitfieldPage, out_of_order, "    If set, commands are executed in-order.\n"),
             in_order, "    Otherwise, commands are executed out-of-order.\n")));
  }
  SECTION("about something else than execution order") {
    CHECK_FALSE(claimed("createQueue",
                        with(with(kBitfieldPage, out_of_order,
                                  "    If set, the results are returned out of order.\n"),
                             in_order, "    Otherwise, the results are returned in order.\n")));
  }
  SECTION("no bit-field parameter to test the flag in") {
    CHECK_FALSE(claimed("createQueue", with(kBitfieldPage, "This is a bit-field and the", "The")));
  }
  SECTION("the page of a function that makes no handle") {
    CHECK_FALSE(claimed("setQueueProperty", kBitfieldPage));
  }
  SECTION("a keyed row but no key/value list parameter") {
    CHECK_FALSE(claimed("createQueueWithProperties",
                        with(kPropertiesPage, "    The list is terminated with 0.\n", "")));
  }
  SECTION("no constant heads the description") {
    CHECK_FALSE(claimed("createQueue", with(kBitfieldPage, "| {Q_OUT_OF_ORDER_EXEC_MODE_ENABLE}\n",
                                            "| The mode\n")));
  }
}

TEST_CASE("the OpenCL reference pages give both queue predicates") {
  if (!have_opencl_docs()) {
    WARN("skipped: OpenCL docs corpus not found at " + opencl_docs_dir() + " (REMORA_SHARED_DIR)");
    return;
  }
  spec::Spec s = opencl_spec_from_registry();
  // The header's typedefs (the registry-built spec has only the handles and a few integers).
  for (const char* t : {"cl_command_queue_properties", "cl_queue_properties"})
    s.types.push_back(alias(t, "cl_bitfield"));
  mine(s, "opencl_runtime_layer.asciidoc",
       read_text(opencl_docs_dir() + "/opencl_runtime_layer.asciidoc"));
  const spec::Evidence* legacy = in_order_claim(s, "clCreateCommandQueue");
  REQUIRE(legacy);
  CHECK(*legacy->says.in_order == "(properties & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
  const spec::Evidence* with_properties = in_order_claim(s, "clCreateCommandQueueWithProperties");
  REQUIRE(with_properties);
  CHECK(
      *with_properties->says.in_order ==
      "(property(properties, CL_QUEUE_PROPERTIES) & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0");
  // No other function of the runtime layer claims it.
  int claimed = 0;
  for (const auto& f : s.functions)
    for (const auto& e : f.evidence) claimed += e.says.in_order.has_value();
  CHECK(claimed == 2);
}
