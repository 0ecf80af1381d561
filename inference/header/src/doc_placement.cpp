#include "doc_placement.h"

#include <algorithm>
#include <cctype>

namespace remora::inference {

namespace {

bool blank(const std::string& line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

bool preprocessor_line(const std::string& line) {
  for (char c : line) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    return c == '#';
  }
  return false;
}

bool only_spaces_before(const std::string& line, std::size_t pos) {
  for (std::size_t i = 0; i < pos; ++i)
    if (!std::isspace(static_cast<unsigned char>(line[i]))) return false;
  return true;
}

bool opener_points_back(const std::string& line, std::size_t pos) {
  // "/**<" "/*!<" "///<" "//!<"
  return pos + 3 < line.size() &&
         (line[pos + 2] == '*' || line[pos + 2] == '!' || line[pos + 2] == '/') &&
         line[pos + 3] == '<';
}

}  // namespace

std::vector<CommentBlock> comment_blocks(const std::vector<std::string>& lines) {
  std::vector<CommentBlock> blocks;
  bool in_block = false;
  CommentBlock current;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    int number = static_cast<int>(i) + 1;
    std::size_t pos = 0;
    char quote = 0;
    while (pos < line.size()) {
      if (in_block) {
        std::size_t close = line.find("*/", pos);
        if (close == std::string::npos) {
          current.text += line.substr(pos) + "\n";
          pos = line.size();
          break;
        }
        current.text += line.substr(pos, close + 2 - pos);
        current.last_line = number;
        blocks.push_back(current);
        in_block = false;
        pos = close + 2;
        continue;
      }
      char c = line[pos];
      if (quote) {
        if (c == '\\')
          ++pos;
        else if (c == quote)
          quote = 0;
        ++pos;
        continue;
      }
      if (c == '"' || c == '\'') {
        quote = c;
        ++pos;
        continue;
      }
      if (c == '/' && pos + 1 < line.size() && (line[pos + 1] == '*' || line[pos + 1] == '/')) {
        CommentBlock block;
        block.first_line = number;
        block.trailing = !only_spaces_before(line, pos);
        block.points_back = opener_points_back(line, pos);
        if (line[pos + 1] == '/') {
          block.last_line = number;
          block.text = line.substr(pos) + "\n";
          // A run of whole-line `//` comments is one block.
          CommentBlock* previous = blocks.empty() ? nullptr : &blocks.back();
          bool continues = previous && !block.trailing && !previous->trailing &&
                           previous->last_line == number - 1 &&
                           previous->text.rfind("//", 0) == 0 && !block.points_back;
          if (continues) {
            previous->text += block.text;
            previous->last_line = number;
          } else {
            blocks.push_back(block);
          }
          pos = line.size();
          break;
        }
        current = block;
        current.text.clear();
        in_block = true;
        std::size_t close = line.find("*/", pos + 2);
        if (close == std::string::npos) {
          current.text = line.substr(pos) + "\n";
          pos = line.size();
          break;
        }
        current.text = line.substr(pos, close + 2 - pos);
        current.last_line = number;
        blocks.push_back(current);
        in_block = false;
        pos = close + 2;
        continue;
      }
      ++pos;
    }
  }
  return blocks;
}

CommentOwnership::CommentOwnership(const std::vector<std::string>& lines,
                                   std::vector<DeclSpan> decls)
    : lines_(lines), blocks_(comment_blocks(lines)) {
  std::sort(decls.begin(), decls.end(),
            [](const DeclSpan& a, const DeclSpan& b) { return a.first_line < b.first_line; });
  for (const DeclSpan& d : decls) {
    // `typedef struct {...} name;` is two cursors over the same lines: one span.
    if (!decls_.empty() && d.first_line <= decls_.back().last_line) {
      decls_.back().last_line = std::max(decls_.back().last_line, d.last_line);
      continue;
    }
    decls_.push_back(d);
  }

  // Each block: the declaration before and after it, and whether it touches them.
  struct Neighbours {
    int prev = -1, next = -1;
    bool touches_prev = false, touches_next = false, near_next = false;
  };
  std::vector<Neighbours> around(blocks_.size());
  std::vector<bool> inside(blocks_.size(), false);
  int follow_votes = 0, precede_votes = 0;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const CommentBlock& block = blocks_[b];
    auto after = std::upper_bound(decls_.begin(), decls_.end(), block.first_line,
                                  [](int line, const DeclSpan& d) { return line < d.first_line; });
    Neighbours& n = around[b];
    if (after != decls_.begin()) {
      const DeclSpan& before = *(after - 1);
      bool on_last_line = block.trailing && block.first_line == before.last_line;
      if (block.first_line <= before.last_line && !on_last_line) {
        inside[b] = true;  // a comment between parameters or struct fields
        continue;
      }
      n.prev = static_cast<int>(after - decls_.begin()) - 1;
      n.touches_prev = on_last_line || block.first_line == before.last_line + 1;
    }
    auto next = std::upper_bound(decls_.begin(), decls_.end(), block.last_line,
                                 [](int line, const DeclSpan& d) { return line < d.first_line; });
    if (next != decls_.end()) {
      n.next = static_cast<int>(next - decls_.begin());
      n.touches_next = preprocessor_only(block.last_line + 1, next->first_line - 1, false);
      n.near_next = preprocessor_only(block.last_line + 1, next->first_line - 1, true);
    }
    if (!block.trailing && !block.points_back) {
      if (n.touches_prev && !n.touches_next) ++follow_votes;
      if (n.touches_next && !n.touches_prev) ++precede_votes;
    }
  }
  comments_follow_ = follow_votes > precede_votes;

  owner_.assign(blocks_.size(), -1);
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    if (inside[b]) continue;
    const CommentBlock& block = blocks_[b];
    const Neighbours& n = around[b];
    int owner = -1;
    if (n.prev >= 0 && ((block.trailing && n.touches_prev) || block.points_back))
      owner = n.prev;
    else if (block.trailing)
      owner = -1;  // after code that is not a declaration
    else if (n.touches_prev && !n.touches_next)
      owner = n.prev;
    else if (n.touches_next && !n.touches_prev)
      owner = n.next;
    else if (n.touches_prev && n.touches_next)
      owner = comments_follow_ ? n.prev : n.next;
    else if (!comments_follow_ && n.near_next)
      owner = n.next;  // blank lines between a doc and its declaration
    owner_[b] = owner;
  }

  // Per declaration: the nearest block above it, else the first one below it.
  doc_.assign(decls_.size(), -1);
  std::vector<bool> above(decls_.size(), false);
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    if (owner_[b] < 0) continue;
    std::size_t d = static_cast<std::size_t>(owner_[b]);
    const CommentBlock& block = blocks_[b];
    if (block.last_line < decls_[d].first_line) {
      // Separator banners ("/* Platform API */") are section titles, not docs.
      bool doxygen = block.text.rfind("/**", 0) == 0 || block.text.rfind("/*!", 0) == 0 ||
                     block.text.rfind("///", 0) == 0 || block.text.rfind("//!", 0) == 0;
      bool banner = block.first_line == block.last_line && block.text.size() < 48 && !doxygen;
      if (banner) continue;
      doc_[d] = static_cast<int>(b);
      above[d] = true;
    } else if (!above[d] && doc_[d] < 0) {
      doc_[d] = static_cast<int>(b);
    }
  }
  // zlib.h: `gzclose_r(...);` `gzclose_w(...);` on adjacent lines, then one
  // comment for both.
  if (comments_follow_) {
    for (std::size_t d = decls_.size(); d-- > 1;) {
      int shared = doc_[d];
      bool adjacent = decls_[d].first_line == decls_[d - 1].last_line + 1;
      if (doc_[d - 1] >= 0 || shared < 0 || !adjacent) continue;
      if (blocks_[static_cast<std::size_t>(shared)].first_line >= decls_[d].last_line)
        doc_[d - 1] = shared;
    }
  }
}

bool CommentOwnership::preprocessor_only(int from_line, int to_line, bool blanks_allowed) const {
  for (int line = from_line; line <= to_line; ++line) {
    if (line < 1 || line > static_cast<int>(lines_.size())) return false;
    const std::string& text = lines_[static_cast<std::size_t>(line - 1)];
    if (preprocessor_line(text)) continue;
    if (blanks_allowed && blank(text)) continue;
    return false;
  }
  return true;
}

int CommentOwnership::decl_at(int first_line) const {
  auto it = std::upper_bound(decls_.begin(), decls_.end(), first_line,
                             [](int line, const DeclSpan& d) { return line < d.first_line; });
  if (it == decls_.begin()) return -1;
  const int index = static_cast<int>(it - decls_.begin()) - 1;
  return decls_[static_cast<std::size_t>(index)].last_line < first_line ? -1 : index;
}

const CommentBlock* CommentOwnership::doc_of(int first_line) const {
  const int index = decl_at(first_line);
  if (index < 0) return nullptr;
  const int block = doc_[static_cast<std::size_t>(index)];
  return block >= 0 ? &blocks_[static_cast<std::size_t>(block)] : nullptr;
}

const CommentBlock* CommentOwnership::shared_doc_of(int first_line, const std::string& name) const {
  int d = decl_at(first_line);
  if (d < 0 || doc_[static_cast<std::size_t>(d)] >= 0 || comments_follow_ || name.empty()) return nullptr;
  for (; d > 0; --d) {
    const DeclSpan& here = decls_[static_cast<std::size_t>(d)];
    const DeclSpan& before = decls_[static_cast<std::size_t>(d - 1)];
    if (!preprocessor_only(before.last_line + 1, here.first_line - 1, false)) return nullptr;
    const int block = doc_[static_cast<std::size_t>(d - 1)];
    if (block < 0) continue;
    const CommentBlock& b = blocks_[static_cast<std::size_t>(block)];
    if (b.last_line >= before.first_line) return nullptr;  // a comment after its declaration
    // The name as a word of the comment (not inside a longer identifier).
    for (std::size_t at = b.text.find(name); at != std::string::npos; at = b.text.find(name, at + 1)) {
      auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
      const bool starts = at == 0 || !ident(b.text[at - 1]);
      const bool ends = at + name.size() >= b.text.size() || !ident(b.text[at + name.size()]);
      if (starts && ends) return &b;
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace remora::inference
