// Parser of the size-expression language (grammar in size_expr.h).
//
// Recursive descent over a tiny hand-written lexer. Every error carries the
// 0-based offset of the offending token so the studio and `remora infer` can
// point at it. Input length and nesting depth are bounded so hostile or
// corrupted specs cannot exhaust the stack.
#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include "remora/spec/c_names.h"
#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

constexpr std::size_t kMaxSourceLength = 4096;
constexpr int kMaxNesting = 200;

struct Token {
  // clang-format off
  enum class Type {
    End, Int, Ident, Plus, Minus, Star, Slash, LParen, RParen, Comma, Arrow, LBracket, RBracket,
    Compare, AndAnd, OrOr, Bang, Amp,  // predicates, and the condition of a size's `c ? a : b`
    Question, Colon                    // sizes only: `c ? a : b`
  };
  // clang-format on
  Type type = Type::End;
  std::size_t pos = 0;
  std::string_view text;
};

std::string describe(const Token& t) {
  if (t.type == Token::Type::End) return "end of expression";
  return "'" + std::string(t.text) + "'";
}

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Thrown inside the parser only; parse_size_expr turns it into a SizeExprError.
struct ParseFailure {
  SizeExprError error;
};

[[noreturn]] void fail(std::size_t pos, std::string message) {
  throw ParseFailure{SizeExprError{pos, std::move(message)}};
}

class Lexer {
 public:
  // `sizes`: '?' and ':' are tokens (c ? a : b); a predicate has no use for them.
  Lexer(std::string_view src, bool sizes) : src_(src), sizes_(sizes) {}

  Token next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    Token t;
    t.pos = pos_;
    if (pos_ >= src_.size()) return t;
    char c = src_[pos_];
    auto single = [&](Token::Type type) {
      t.type = type;
      t.text = src_.substr(pos_, 1);
      ++pos_;
      return t;
    };
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t end = pos_;
      while (end < src_.size() && is_ident_char(src_[end])) ++end;
      t.type = Token::Type::Int;
      t.text = src_.substr(pos_, end - pos_);
      pos_ = end;
      return t;
    }
    if (is_ident_start(c)) {
      std::size_t end = pos_;
      while (end < src_.size() && is_ident_char(src_[end])) ++end;
      t.type = Token::Type::Ident;
      t.text = src_.substr(pos_, end - pos_);
      pos_ = end;
      return t;
    }
    switch (c) {
      case '+':
        return single(Token::Type::Plus);
      case '*':
        return single(Token::Type::Star);
      case '/':
        return single(Token::Type::Slash);
      case '(':
        return single(Token::Type::LParen);
      case ')':
        return single(Token::Type::RParen);
      case ',':
        return single(Token::Type::Comma);
      case '[':
        return single(Token::Type::LBracket);
      case ']':
        return single(Token::Type::RBracket);
      case '?':
        if (sizes_) return single(Token::Type::Question);
        break;
      case ':':
        if (sizes_) return single(Token::Type::Colon);
        break;
      case '=':
      case '!':
      case '<':
      case '>':
      case '&':
      case '|':
        return predicate_operator(t);
      case '-':
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '>') {
          t.type = Token::Type::Arrow;
          t.text = src_.substr(pos_, 2);
          pos_ += 2;
          return t;
        }
        return single(Token::Type::Minus);
      default:
        break;
    }
    if (c == '.')
      fail(pos_, "'.' is not supported: write p->field for a member of a pointed-to struct");
    if (std::isprint(static_cast<unsigned char>(c)))
      fail(pos_, std::string("unexpected character '") + c + "'");
    fail(pos_, "unexpected byte " + std::to_string(static_cast<unsigned char>(c)) +
                   " (size expressions are plain ASCII)");
  }

 private:
  // == != < <= > >= && || ! &: two-character forms first; a lone '=' (assignment) is
  // refused so a predicate cannot change anything, and so is a lone '|' (a flag test
  // needs only &: `(flags & F) != 0`).
  Token predicate_operator(Token t) {
    char c = src_[pos_];
    char d = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    std::size_t len = 1;
    if ((c == '&' || c == '|') && d == c) {
      t.type = c == '&' ? Token::Type::AndAnd : Token::Type::OrOr;
      len = 2;
    } else if (c == '&') {
      t.type = Token::Type::Amp;
    } else if (c == '|') {
      fail(pos_,
           "bitwise '|' is not supported: write || for a logical operator, or test each flag "
           "with & (`(p & F) != 0 || (p & G) != 0`)");
    } else if (d == '=') {
      t.type = Token::Type::Compare;
      len = 2;
    } else if (c == '=') {
      fail(pos_, "'=' is not supported: write == to compare");
    } else {
      t.type = c == '!' ? Token::Type::Bang : Token::Type::Compare;
    }
    t.text = src_.substr(pos_, len);
    pos_ += len;
    return t;
  }

  std::string_view src_;
  bool sizes_ = true;
  std::size_t pos_ = 0;
};

SizeExprPtr make(SizeExpr::Op op, SizeExprPtr a = nullptr, SizeExprPtr b = nullptr) {
  auto e = std::make_shared<SizeExpr>();
  e->op = op;
  e->a = std::move(a);
  e->b = std::move(b);
  return e;
}

SizeExprPtr make_named(SizeExpr::Op op, std::string name, SizeExprPtr a = nullptr,
                       SizeExprPtr b = nullptr) {
  auto e = std::make_shared<SizeExpr>();
  e->op = op;
  e->name = std::move(name);
  e->a = std::move(a);
  e->b = std::move(b);
  return e;
}

// What is being parsed: a size, a predicate, or the predicate of `in_order` (which may
// also read a key/value list with property(), being evaluated after the call).
enum class Mode { Size, Predicate, Creation };

class Parser {
 public:
  Parser(std::string_view src, Mode mode)
      : lexer_(src, mode == Mode::Size), predicate_(mode != Mode::Size), mode_(mode) {
    advance();
  }

  SizeExprPtr parse_all() {
    if (tok_.type == Token::Type::End)
      fail(0, predicate_ ? "empty predicate" : "empty size expression");
    SizeExprPtr e = predicate_ ? disjunction() : value();
    if (tok_.type == Token::Type::RParen) fail(tok_.pos, "unmatched ')'");
    if (tok_.type != Token::Type::End)
      fail(tok_.pos, "unexpected " + describe(tok_) + " after a complete expression " +
                         "(missing operator?)");
    return e;
  }

 private:
  void advance() { tok_ = lexer_.next(); }

  bool accept(Token::Type type) {
    if (tok_.type != type) return false;
    advance();
    return true;
  }

  void expect(Token::Type type, const std::string& what) {
    if (tok_.type != type) fail(tok_.pos, "expected " + what + ", found " + describe(tok_));
    advance();
  }

  // Guards recursion so "((((...)))" cannot overflow the stack.
  struct Nest {
    Parser& p;
    Nest(Parser& parser, std::size_t pos) : p(parser) {
      if (++p.depth_ > kMaxNesting)
        fail(pos,
             "expression nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
    }
    ~Nest() { --p.depth_; }
  };

  // A size: an arithmetic expression, or `c ? a : b` whose condition c is a
  // predicate (comparisons, && || !) and whose arms are sizes (right-associative,
  // as in C). Anywhere else a comparison is refused: a size is a number.
  SizeExprPtr value() {
    std::size_t start = tok_.pos;
    SizeExprPtr e = conditional();
    if (logic_outside_conditions(*e))
      fail(start, "comparisons and logical operators belong in predicates (when.if, async_if) " +
                      std::string("or in the condition of `c ? a : b`, not in a size"));
    if (bitand_outside_conditions(*e))
      fail(start, "'&' belongs in predicates (when.if, async_if, cacheable, in_order) " +
                      std::string("or in the condition of `c ? a : b`, not in a size"));
    return e;
  }

  // `c ? a : b`, or what may become its condition: a parenthesised comparison is
  // returned as is (value() refuses it unless a '?' follows further up).
  SizeExprPtr conditional() {
    Nest guard(*this, tok_.pos);
    std::size_t start = tok_.pos;
    SizeExprPtr e = disjunction();
    if (tok_.type != Token::Type::Question) return e;
    if (!is_logic(*e))
      fail(start, "the condition of `c ? a : b` must be a comparison or a logical operator " +
                      std::string("(write n != 0 ? a : b)"));
    advance();
    SizeExprPtr then = value();
    expect(Token::Type::Colon, "':' of `c ? a : b`");
    SizeExprPtr otherwise = value();
    return make(SizeExpr::Op::Cond, e, make(SizeExpr::Op::Choice, then, otherwise));
  }

  static bool is_logic(const SizeExpr& e) {
    using Op = SizeExpr::Op;
    return e.op == Op::Compare || e.op == Op::Logical || e.op == Op::Not;
  }

  // A comparison or logical operator used as a number (not as a condition).
  static bool logic_outside_conditions(const SizeExpr& e) {
    if (is_logic(e)) return true;
    if (e.op == SizeExpr::Op::Cond) return e.b && logic_outside_conditions(*e.b);
    return (e.a && logic_outside_conditions(*e.a)) || (e.b && logic_outside_conditions(*e.b));
  }

  // a & b used as a size (not inside a condition): a size counts, it is no bit pattern.
  static bool bitand_outside_conditions(const SizeExpr& e) {
    if (e.op == SizeExpr::Op::BitAnd) return true;
    if (e.op == SizeExpr::Op::Cond) return e.b && bitand_outside_conditions(*e.b);
    return (e.a && bitand_outside_conditions(*e.a)) || (e.b && bitand_outside_conditions(*e.b));
  }

  // Predicates: || over && over one comparison (or a bare operand, true when not 0).
  SizeExprPtr disjunction() {
    SizeExprPtr left = conjunction();
    while (tok_.type == Token::Type::OrOr) {
      advance();
      left = make_named(SizeExpr::Op::Logical, "||", left, conjunction());
    }
    return left;
  }

  SizeExprPtr conjunction() {
    SizeExprPtr left = comparison();
    while (tok_.type == Token::Type::AndAnd) {
      advance();
      left = make_named(SizeExpr::Op::Logical, "&&", left, comparison());
    }
    return left;
  }

  SizeExprPtr comparison() {
    SizeExprPtr left = bitand_expr();
    if (tok_.type != Token::Type::Compare) return left;
    std::string op(tok_.text);
    advance();
    SizeExprPtr right = bitand_expr();
    if (tok_.type == Token::Type::Compare)
      fail(tok_.pos, "chained comparison: write (a " + op + " b) && (b " +
                         std::string(tok_.text) + " c)");
    return make_named(SizeExpr::Op::Compare, op, left, right);
  }

  // a & b & c, left-associative. Tighter than the comparisons (C has it looser, which
  // makes `p & F == 0` a trap there); the printer writes it in parentheses anyway.
  SizeExprPtr bitand_expr() {
    SizeExprPtr left = expr();
    while (tok_.type == Token::Type::Amp) {
      advance();
      left = make(SizeExpr::Op::BitAnd, left, expr());
    }
    return left;
  }

  SizeExprPtr expr() {
    SizeExprPtr left = term();
    while (tok_.type == Token::Type::Plus || tok_.type == Token::Type::Minus) {
      auto op = tok_.type == Token::Type::Plus ? SizeExpr::Op::Add : SizeExpr::Op::Sub;
      advance();
      left = make(op, left, term());
    }
    return left;
  }

  SizeExprPtr term() {
    SizeExprPtr left = unary();
    while (tok_.type == Token::Type::Star || tok_.type == Token::Type::Slash) {
      auto op = tok_.type == Token::Type::Star ? SizeExpr::Op::Mul : SizeExpr::Op::Div;
      advance();
      left = make(op, left, unary());
    }
    return left;
  }

  SizeExprPtr unary() {
    Nest guard(*this, tok_.pos);
    if (accept(Token::Type::Minus)) return make(SizeExpr::Op::Neg, unary());
    // C's !; in a size only a condition may use it (value() checks).
    if (accept(Token::Type::Bang)) return make(SizeExpr::Op::Not, unary());
    return postfix();
  }

  SizeExprPtr postfix() {
    SizeExprPtr e = primary();
    for (;;) {
      if (tok_.type == Token::Type::LBracket)  // p[0] is taken in identifier(); this is (x)[0]
        fail(tok_.pos, "only a parameter name can be indexed, with a constant: write p[0]");
      if (!accept(Token::Type::Arrow)) break;
      if (tok_.type != Token::Type::Ident)
        fail(tok_.pos, "expected a field name after '->', found " + describe(tok_));
      std::string field(tok_.text);
      advance();
      e = make_named(SizeExpr::Op::Field, std::move(field), e);
    }
    return e;
  }

  SizeExprPtr primary() {
    Token t = tok_;
    switch (t.type) {
      case Token::Type::Int:
        return integer(t);
      case Token::Type::Star:
        advance();
        return make(SizeExpr::Op::Deref, unary());
      case Token::Type::LParen: {
        advance();
        SizeExprPtr e = predicate_ ? disjunction() : conditional();
        if (tok_.type != Token::Type::RParen)
          fail(tok_.pos, "expected ')' to close the '(' at offset " + std::to_string(t.pos) +
                             ", found " + describe(tok_));
        advance();
        return e;
      }
      case Token::Type::Ident:
        return identifier(t);
      case Token::Type::End:
        fail(t.pos, "expression ends where an operand was expected");
      case Token::Type::RParen:
        fail(t.pos, "expected an operand before ')'");
      default:
        fail(t.pos, "expected an operand, found " + describe(t));
    }
  }

  SizeExprPtr integer(const Token& t) {
    std::int64_t v = integer_value(t);
    advance();
    auto e = std::make_shared<SizeExpr>();
    e->op = SizeExpr::Op::Int;
    e->value = v;
    return e;
  }

  static std::int64_t integer_value(const Token& t) {
    std::int64_t v = 0;
    for (char c : t.text) {
      if (!std::isdigit(static_cast<unsigned char>(c)))
        fail(t.pos, "malformed integer literal '" + std::string(t.text) +
                        "' (only decimal digits, no suffixes or hex)");
      int digit = c - '0';
      if (v > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
        fail(t.pos, "integer literal '" + std::string(t.text) + "' is too large");
      v = v * 10 + digit;
    }
    return v;
  }

  // Builtins are recognised only when followed by '(' so a parameter may be
  // called `min`; `ret` is always the return value.
  SizeExprPtr identifier(const Token& t) {
    std::string name(t.text);
    advance();
    if (name == "ret") return make(SizeExpr::Op::Ret);
    if (tok_.type == Token::Type::LBracket) return index(std::move(name));
    if (tok_.type != Token::Type::LParen) return make_named(SizeExpr::Op::Param, name);
    std::size_t open = tok_.pos;
    if (name == "sizeof") return sizeof_type(open);
    if (name == "min" || name == "max") {
      advance();
      SizeExprPtr a = predicate_ ? expr() : value();
      if (tok_.type != Token::Type::Comma)
        fail(tok_.pos,
             "expected ',' between the two arguments of " + name + ", found " + describe(tok_));
      advance();
      SizeExprPtr b = predicate_ ? expr() : value();
      if (tok_.type == Token::Type::Comma) fail(tok_.pos, name + " takes exactly two arguments");
      close_call(name, open);
      return make(name == "min" ? SizeExpr::Op::Min : SizeExpr::Op::Max, a, b);
    }
    if (name == "strlen") {
      advance();
      SizeExprPtr a = expr();
      if (tok_.type == Token::Type::Comma) fail(tok_.pos, "strlen takes exactly one argument");
      close_call(name, open);
      return make(SizeExpr::Op::Strlen, a);
    }
    if (name == "terminated") return terminated(open);
    if (name == "readable") return param_call(name, SizeExpr::Op::Readable, open);
    if (name == "measured") return measured(open);
    if (name == "query") return query(open);
    if (name == "property") return property(t.pos, open);
    fail(t.pos,
         "unknown function '" + name +
             "' (available: sizeof, min, max, strlen, terminated, readable, measured, query" +
             (mode_ == Mode::Creation ? ", property)" : ")"));
  }

  // property(p, KEY): KEY is an API constant, a parameter or an integer, never an
  // expression, so generated code and the evaluator look up the same key.
  SizeExprPtr property(std::size_t at, std::size_t open) {
    if (mode_ != Mode::Creation)
      fail(at,
           "property() is only allowed in an in_order predicate (it reads a key/value list, "
           "which only a predicate evaluated after the creating call has decoded)");
    auto e = named_node(SizeExpr::Op::Property, "property() takes a parameter name first, found ");
    if (!accept(Token::Type::Comma))
      fail(tok_.pos, "property() takes a key after the list: property(" + e->name + ", KEY)");
    e->args.push_back(name_or_integer("property() keys are API constants, parameter names or integers, found "));
    if (tok_.type == Token::Type::Comma) fail(tok_.pos, "property takes exactly two arguments");
    close_call("property", open);
    return e;
  }

  // measured(p, fmt, ...): a parameter, then at least one format the runtime can measure.
  SizeExprPtr measured(std::size_t open) {
    auto e = named_node(SizeExpr::Op::Measured, "measured() takes a parameter name first, found ");
    const auto& known = size_expr_image_formats();
    while (accept(Token::Type::Comma)) {
      std::string fmt(tok_.text);
      if (tok_.type != Token::Type::Ident || std::find(known.begin(), known.end(), fmt) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        fail(tok_.pos, "measured() formats are " + list + "; found " + describe(tok_));
      }
      if (std::find(e->args.begin(), e->args.end(), fmt) != e->args.end())
        fail(tok_.pos, "measured() names the format '" + fmt + "' twice");
      e->args.push_back(fmt);
      advance();
    }
    if (e->args.empty()) fail(tok_.pos, "measured() needs at least one format after the parameter");
    close_call("measured", open);
    return e;
  }

  // terminated(p) (a key/value list), terminated(p, END) (an array ended by the element
  // equal to END: a NULL-terminated array of pointers), or terminated(p, MEMBER, END) (an
  // array of structs ended by the element whose MEMBER is END, an API constant or an
  // integer): names and literals only, so generated code and the evaluator read the same
  // terminator.
  SizeExprPtr terminated(std::size_t open) {
    auto e = named_node(SizeExpr::Op::Terminated, "terminated() takes a parameter name, found ");
    if (accept(Token::Type::Comma)) {
      const std::size_t second = tok_.pos;
      e->args.push_back(name_or_integer("terminated() ends at an API constant or an integer, found "));
      if (accept(Token::Type::Comma)) {
        if (!is_c_identifier(e->args[0]))
          fail(second, "terminated(" + e->name + ", MEMBER, END) takes a member name second, found " + e->args[0]);
        e->args.push_back(name_or_integer("terminated() ends at an API constant or an integer, found "));
      }
    }
    if (tok_.type == Token::Type::Comma)
      fail(tok_.pos, "terminated takes a parameter, a parameter and the value that ends it, or a parameter, "
                     "a member and the value that ends it");
    close_call("terminated", open);
    return e;
  }

  // After `builtin(`: the name a builtin takes first, as the node of `op` it names
  // (`refusal` leads the error when something else stands there).
  std::shared_ptr<SizeExpr> named_node(SizeExpr::Op op, const std::string& refusal) {
    advance();
    if (tok_.type != Token::Type::Ident) fail(tok_.pos, refusal + describe(tok_));
    auto e = std::make_shared<SizeExpr>();
    e->op = op;
    e->name = std::string(tok_.text);
    advance();
    return e;
  }

  // An argument written as a name (a parameter or an API constant) or an integer literal
  // (validated), never an expression: its text as written. `refusal` leads the error.
  std::string name_or_integer(const std::string& refusal) {
    if (tok_.type == Token::Type::Int)
      integer_value(tok_);
    else if (tok_.type != Token::Type::Ident)
      fail(tok_.pos, refusal + describe(tok_));
    std::string text(tok_.text);
    advance();
    return text;
  }

  // readable(p): a builtin whose one argument is a parameter name.
  SizeExprPtr param_call(const std::string& name, SizeExpr::Op op, std::size_t open) {
    advance();
    if (tok_.type != Token::Type::Ident)
      fail(tok_.pos, name + "() takes a parameter name, found " + describe(tok_));
    std::string param(tok_.text);
    advance();
    close_call(name, open);
    return make_named(op, std::move(param));
  }

  // query(FN, arg, ...)[k]: arguments are names or integers, never expressions,
  // so the generated call is plain and both sides of the stack make the same one.
  SizeExprPtr query(std::size_t open) {
    auto e = named_node(SizeExpr::Op::Query, "query() takes a function name first, found ");
    while (accept(Token::Type::Comma))
      e->args.push_back(name_or_integer("query() arguments are parameter names, API constants or integers, found "));
    close_call("query", open);
    if (tok_.type == Token::Type::LBracket) e->a = subscript("query(" + e->name + ", ...)");
    return e;
  }

  // The inside of [...]: a constant, or `i` (the element index of an element size).
  SizeExprPtr subscript(const std::string& what) {
    std::size_t open = tok_.pos;
    advance();
    SizeExprPtr idx;
    if (tok_.type == Token::Type::Int) {
      auto e = std::make_shared<SizeExpr>();
      e->op = SizeExpr::Op::Int;
      e->value = integer_value(tok_);
      idx = e;
    } else if (tok_.type == Token::Type::Ident && tok_.text == "i") {
      idx = make(SizeExpr::Op::ElementIndex);
    } else {
      fail(tok_.pos, "an index must be a non-negative integer constant or i, as in " + what +
                         "[0], found " + describe(tok_));
    }
    advance();
    if (tok_.type != Token::Type::RBracket)
      fail(tok_.pos, "expected ']' to close the '[' at offset " + std::to_string(open) +
                         ", found " + describe(tok_));
    advance();
    return idx;
  }

  // p[INT] or p[i]: one element of an array parameter, at a constant index or at
  // the index of the element being sized. Any other computed index would let a
  // size depend on data the server cannot bound in advance.
  SizeExprPtr index(std::string name) {
    SizeExprPtr idx = subscript(name);
    auto e = std::make_shared<SizeExpr>();
    e->op = SizeExpr::Op::Index;
    e->name = std::move(name);
    if (idx->op == SizeExpr::Op::Int) e->value = idx->value;
    else e->a = idx;
    return e;
  }

  void close_call(const std::string& name, std::size_t open) {
    if (tok_.type != Token::Type::RParen)
      fail(tok_.pos, "expected ')' to close " + name + "( at offset " + std::to_string(open) +
                         ", found " + describe(tok_));
    advance();
  }

  // sizeof(T): T is words and trailing stars ("unsigned int", "void *", "cl_mem").
  // The spelling is canonicalised: words joined by one space, then " *" stars.
  SizeExprPtr sizeof_type(std::size_t open) {
    advance();
    std::string type;
    int stars = 0;
    while (tok_.type == Token::Type::Ident) {
      if (stars > 0) fail(tok_.pos, "unexpected " + describe(tok_) + " after '*' in sizeof type");
      if (!type.empty()) type += ' ';
      type += tok_.text;
      advance();
      while (tok_.type == Token::Type::Star) {
        ++stars;
        advance();
      }
    }
    if (type.empty())
      fail(tok_.pos, "sizeof expects a type name such as sizeof(cl_mem), found " + describe(tok_));
    if (stars > 0) type += ' ' + std::string(static_cast<std::size_t>(stars), '*');
    close_call("sizeof", open);
    return make_named(SizeExpr::Op::Sizeof, std::move(type));
  }

  Lexer lexer_;
  bool predicate_ = false;
  Mode mode_ = Mode::Size;
  Token tok_;
  int depth_ = 0;
};

// What a predicate may contain (see parse_predicate in size_expr.h): the first
// node outside that set, with the reason, or nullopt.
// `creation`: an in_order predicate, which may read its key/value list with property().
std::optional<std::string> predicate_refusal(const SizeExpr& e, bool creation) {
  using Op = SizeExpr::Op;
  switch (e.op) {
    case Op::Int: case Op::Param: case Op::Sizeof: case Op::Add: case Op::Sub: case Op::Mul:
    case Op::Neg: case Op::Min: case Op::Max: case Op::Compare: case Op::Logical: case Op::Not:
    case Op::BitAnd:
      break;
    case Op::Property:
      if (creation) break;
      return "property() is only allowed in an in_order predicate";
    case Op::Div:
      return "'/' is not allowed in a predicate (a guest-chosen divisor of 0 would trap the server)";
    case Op::Ret:
      return "'ret' is not allowed in a predicate (it is evaluated before the call)";
    default:
      return "'" + print_size_expr(e) + "' is not allowed in a predicate: it reads memory; " +
             "a predicate compares parameters, API constants and integers";
  }
  for (const SizeExprPtr& child : {e.a, e.b})
    if (child)
      if (auto why = predicate_refusal(*child, creation)) return why;
  return std::nullopt;
}

SizeExprParse parse(std::string_view source, Mode mode) {
  const bool predicate = mode != Mode::Size;
  SizeExprParse out;
  if (source.size() > kMaxSourceLength) {
    out.error = SizeExprError{kMaxSourceLength, std::string(predicate ? "predicate" : "size expression") +
                                                    " is too long (more than " +
                                                    std::to_string(kMaxSourceLength) + " characters)"};
    return out;
  }
  try {
    Parser parser(source, mode);
    out.expr = parser.parse_all();
  } catch (const ParseFailure& f) {
    out.expr = nullptr;
    out.error = f.error;
    return out;
  }
  if (predicate)
    if (auto why = predicate_refusal(*out.expr, mode == Mode::Creation)) {
      out.expr = nullptr;
      out.error = SizeExprError{0, *why};
    }
  return out;
}

}  // namespace

SizeExprParse parse_size_expr(std::string_view source) {
  return parse(source, Mode::Size);
}

SizeExprParse parse_predicate(std::string_view source) {
  return parse(source, Mode::Predicate);
}

SizeExprParse parse_creation_predicate(std::string_view source) {
  return parse(source, Mode::Creation);
}

}  // namespace remora::spec
