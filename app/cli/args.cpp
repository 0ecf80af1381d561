#include "args.h"

namespace remora::cli {

std::string ParsedArgs::get(const std::string& long_name, const std::string& fallback) const {
  auto it = values.find(long_name);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& ParsedArgs::all(const std::string& long_name) const {
  static const std::vector<std::string> empty;
  auto it = values.find(long_name);
  return it == values.end() ? empty : it->second;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec) {
  ParsedArgs out;
  auto find_long = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& o : spec)
      if (o.long_name == name) return &o;
    return nullptr;
  };
  auto find_short = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& o : spec)
      if (!o.short_name.empty() && o.short_name == name) return &o;
    return nullptr;
  };
  auto store = [&](const OptionSpec& o, std::string value) {
    auto& slot = out.values[o.long_name];
    if (!o.repeatable && !slot.empty() && out.error.empty())
      out.error = "option " + o.long_name + " given more than once";
    slot.push_back(std::move(value));
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.after_dashdash.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool has_inline_value = false;
    const OptionSpec* o = nullptr;
    if (a.rfind("--", 0) == 0) {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_inline_value = true;
      }
      o = find_long(name);
    } else {
      o = find_short(a.substr(0, 2));
      if (o && a.size() > 2) {  // glued: -Iinclude, -DFOO=1
        value = a.substr(2);
        has_inline_value = true;
      }
    }
    if (!o) {
      if (out.error.empty()) out.error = "unknown option '" + a + "'";
      continue;
    }
    if (!o->takes_value) {
      store(*o, "1");
      continue;
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        if (out.error.empty()) out.error = "option " + o->long_name + " needs a value";
        continue;
      }
      value = args[++i];
    }
    store(*o, value);
  }
  return out;
}

}  // namespace remora::cli
