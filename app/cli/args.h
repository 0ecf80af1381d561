// A small, strict command-line parser shared by the subcommands.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace remora::cli {

struct OptionSpec {
  std::string long_name;   // "--output"
  std::string short_name;  // "-o" or ""
  bool takes_value = true;
  bool repeatable = false;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> values;  // keyed by long name
  std::vector<std::string> positional;
  std::vector<std::string> after_dashdash;  // everything after "--"
  std::string error;                        // non-empty: usage error to print

  bool has(const std::string& long_name) const { return values.count(long_name) > 0; }
  std::string get(const std::string& long_name, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& long_name) const;
};

// Accepts "--name VALUE", "--name=VALUE", "-o VALUE", "-IDIR"/"-DNAME" glued short forms.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec);

bool wants_help(const std::vector<std::string>& args);

}  // namespace remora::cli
