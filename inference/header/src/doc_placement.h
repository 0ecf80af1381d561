// Which declaration a comment block documents. Most headers put the comment
// above a declaration (Doxygen), some put it right after the prototype (zlib.h:
// `int compress(...);` then `/* Compresses the source buffer ... */`), and
// `/**<` or a comment on the prototype's own line always points back. Reading
// only the block above each declaration gives zlib's comments to the next
// function; this decides per block, and per file when a block is ambiguous.
#pragma once

#include <string>
#include <vector>

namespace remora::inference {

struct CommentBlock {
  int first_line = 0;  // 1-based
  int last_line = 0;
  std::string text;          // as written, markers included
  bool trailing = false;     // code precedes it on its first line
  bool points_back = false;  // "/**<", "///<", "/*!<", "//!<"
};

// Every comment block of a file; runs of `//` lines form one block.
std::vector<CommentBlock> comment_blocks(const std::vector<std::string>& lines);

// The lines a top-level declaration occupies (last: the line of its ';').
struct DeclSpan {
  int first_line = 0;
  int last_line = 0;
};

class CommentOwnership {
 public:
  // `decls`: every top-level declaration of the file, in any order.
  CommentOwnership(const std::vector<std::string>& lines, std::vector<DeclSpan> decls);

  // The block that documents the declaration starting at `first_line`, or nullptr.
  const CommentBlock* doc_of(int first_line) const;

  // For an undocumented declaration in a run of adjacent ones (only preprocessor lines
  // between: `sqlite3_sql(...);` `sqlite3_expanded_sql(...);` `#ifdef ...`): the block above
  // the run, when it names `name` (one comment documenting them all). Else nullptr.
  const CommentBlock* shared_doc_of(int first_line, const std::string& name) const;

  // The file's habit: comments follow their declaration (zlib.h style).
  bool comments_follow() const { return comments_follow_; }

 private:
  bool preprocessor_only(int from_line, int to_line, bool blanks_allowed) const;
  int decl_at(int first_line) const;  // index into decls_, -1 none

  const std::vector<std::string>& lines_;
  std::vector<DeclSpan> decls_;  // sorted, overlaps merged
  std::vector<CommentBlock> blocks_;
  std::vector<int> owner_;  // per block: index into decls_, -1 none
  std::vector<int> doc_;    // per declaration: index into blocks_, -1 none
  bool comments_follow_ = false;
};

}  // namespace remora::inference
