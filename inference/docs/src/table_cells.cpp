#include "table_cells.h"

#include <cctype>

namespace remora::inference::docs {

std::string trimmed_cell(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '.'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string leading_constant(const std::string& cell) {
  std::size_t end = 0;
  while (end < cell.size() &&
         (std::isupper(static_cast<unsigned char>(cell[end])) ||
          std::isdigit(static_cast<unsigned char>(cell[end])) || cell[end] == '_'))
    ++end;
  if (end < 4 || cell.find('_') >= end || std::isdigit(static_cast<unsigned char>(cell[0])))
    return "";
  if (end < cell.size() && !std::isspace(static_cast<unsigned char>(cell[end]))) return "";
  return cell.substr(0, end);
}

std::string type_cell(const std::string& cell, bool& array) {
  std::string t = cell;
  array = false;
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
    array = true;
    t = trimmed_cell(t.substr(0, t.size() - 2));
  }
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "";
  return t;
}

}  // namespace remora::inference::docs
