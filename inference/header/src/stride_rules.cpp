// Strided vectors and matrices with a leading dimension: the numeric-library
// convention (BLAS and every API modelled on it: CBLAS, cuBLAS, rocBLAS, MKL,
// LAPACKE) where an array parameter `x` is walked every `incx` elements and a
// matrix `a` has rows (or columns) that start `lda` elements apart. The integer
// companion is named for the array: inc<name> / ld<name>, in any case.
//
// The element count of a strided vector is 1 + (n - 1) * |inc| (a negative
// stride walks the same memory backwards), taken from the function's only
// dimension parameter; a matrix in a call with one dimension is square. Otherwise
// a matrix's extent depends on which of several dimension parameters counts its
// rows, usually through a layout or transpose argument the prototype cannot
// explain: the rule claims a buffer without a size, which keeps the function
// unsupported (with the reason) until a reviewer writes it.
#include <algorithm>
#include <cctype>

#include "rules_internal.h"

namespace remora::inference {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool by_value_integer(const ParsedParam& p) { return !p.type.is_pointer() && p.type.shape == TypeShape::Integer; }

// The integer parameter named `prefix` + the array's name (incx for x, incX for X,
// lda for A, ld_b for b, clda for a), or nullopt.
std::optional<std::size_t> companion(const ParsedFunction& f, std::size_t array, const std::string& prefix) {
  const std::string name = lower(f.params[array].name);
  if (name.empty()) return std::nullopt;
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (i == array || !by_value_integer(f.params[i])) continue;
    std::string n = lower(f.params[i].name);
    // One leading letter may mark every parameter of a family (OpenBLAS's
    // `crows, ccols, a, clda`: c for const); the rest must spell ld/inc + the name.
    for (const std::string& want : {prefix + name, prefix + "_" + name})
      if (n == want || (n.size() == want.size() + 1 && n.compare(1, std::string::npos, want) == 0)) return i;
  }
  return std::nullopt;
}

// Is parameter i some array's stride or leading dimension?
bool is_companion(const ParsedFunction& f, std::size_t i) {
  for (std::size_t j = 0; j < f.params.size(); ++j)
    if (f.params[j].type.is_pointer() && (companion(f, j, "inc") == i || companion(f, j, "ld") == i)) return true;
  return false;
}

// The by-value integers that are neither strides nor leading dimensions: the
// problem's dimensions (n; m, n, k; kl, ku).
std::vector<std::size_t> dimensions(const ParsedFunction& f) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < f.params.size(); ++i)
    if (by_value_integer(f.params[i]) && !is_companion(f, i)) out.push_back(i);
  return out;
}

// Numeric data: what a vector or matrix holds (void * for complex numbers
// passed as opaque pairs is left to the other rules).
bool numeric_data(const ParsedParam& p) {
  if (!p.type.is_pointer() || p.type.is_handle || !p.type.pointee) return false;
  TypeShape s = p.type.pointee->shape;
  return s == TypeShape::Floating || s == TypeShape::Integer;
}

class StrideRules {
 public:
  StrideRules(const FunctionContext& context, std::size_t index, spec::Param& param)
      : c_(context), f_(context.parsed), index_(index), p_(f_.params[index]), param_(param),
        location_(context.location(p_.line)) {}

  bool run() {
    if (!p_.type.is_pointer() || p_.type.is_handle || p_.type.is_function_pointer() || !p_.type.pointee) return false;
    if (auto inc = companion(f_, index_, "inc")) return strided_vector(*inc);
    if (auto ld = companion(f_, index_, "ld")) return matrix(*ld);
    return unsized_numeric_array();
  }

 private:
  // Complex numbers travel as `void *` (pairs of floats or doubles): the
  // prototype does not say how big an element is.
  static constexpr const char* kVoidWhy =
      "'void *' does not say how big an element is (complex numbers are passed so): annotate its size in bytes";
  bool void_data() const { return p_.type.pointee->shape == TypeShape::Void; }

  bool is_const() const { return p_.type.pointee->is_const; }
  // A strided vector or matrix the API writes is read first (y := alpha*x + y,
  // C := alpha*A*B + beta*C): inout, so the server starts from the caller's values.
  spec::Direction direction() const { return is_const() ? spec::Direction::In : spec::Direction::InOut; }
  std::string access() const {
    return is_const() ? "const: the API reads it" : "non-const: the API updates it in place (reads, then writes)";
  }

  void add(spec::AnnotationPatch patch, double weight, std::string why) {
    param_.evidence.push_back(header_evidence(std::move(patch), weight, std::move(why), location_));
  }

  bool strided_vector(std::size_t inc) {
    const std::string& stride = f_.params[inc].name;
    std::vector<std::size_t> dims = dimensions(f_);
    spec::AnnotationPatch says = claim_kind(direction(), spec::Kind::Buffer);
    std::string why = "'" + stride + "' is the stride of '" + p_.name + "' (inc + its name): a strided vector; " + access();
    if (void_data()) {
      add(says, 0.7, why + "; " + kVoidWhy);
      return true;
    }
    if (dims.size() != 1) {
      add(says, 0.7,
          why + "; its length is one of the dimensions " + list(dims) +
              ", and the prototype does not say which: annotate its size");
      return true;
    }
    const std::string& n = f_.params[dims[0]].name;
    says.size = n + " > 0 ? 1 + (" + n + " - 1) * (" + stride + " < 0 ? -" + stride + " : " + stride + ") : 0";
    says.size_unit = spec::SizeUnit::Elements;
    add(says, 0.85,
        why + "; '" + n + "' (the only dimension) elements, " + stride +
            " apart: 1 + (n - 1) * |inc| elements (a negative stride walks the same memory backwards)");
    return true;
  }

  bool matrix(std::size_t ld) {
    const std::string& lead = f_.params[ld].name;
    std::vector<std::size_t> dims = dimensions(f_);
    if (dims.size() == 1 && !void_data()) {
      // One dimension: nothing else can count the rows, so the matrix is n x n
      // (triangular and symmetric ones use one triangle of it; layout and transpose
      // change which, not the extent).
      const std::string& n = f_.params[dims[0]].name;
      spec::AnnotationPatch says = claim_kind(direction(), spec::Kind::Buffer);
      says.size = n + " > 0 ? (" + n + " - 1) * " + lead + " + " + n + " : 0";
      says.size_unit = spec::SizeUnit::Elements;
      add(says, 0.8,
          "'" + lead + "' is the leading dimension of '" + p_.name + "' (ld + its name) and '" + n +
              "' the only dimension: an " + n + " x " + n + " matrix, rows (or columns) " + lead +
              " apart, spans (n - 1) * ld + n elements; " + access());
      return true;
    }
    add(claim_kind(direction(), spec::Kind::Buffer), 0.75,
        "'" + lead + "' is the leading dimension of '" + p_.name + "' (ld + its name): a matrix whose rows or columns " +
            "start " + lead + " elements apart; " + access() + "; how many rows or columns depends on the dimensions " +
            list(dims) + " and the layout, which the prototype does not say: annotate its size");
    return true;
  }

  // Numbers behind a pointer, in a function that takes dimensions and says
  // nothing about this pointer's length (a packed triangle `ap`, a parameter
  // array): an array of unknown size, never one element copied while the
  // library reads more.
  bool unsized_numeric_array() {
    bool floating = numeric_data(p_) && p_.type.pointee->shape == TypeShape::Floating;
    if (!floating && !void_data()) return false;
    // A count named for this pointer still sizes it; a count that merely precedes it
    // (`n, alpha`) is the problem's dimension here, not this array's length.
    if (auto link = c_.sizes.find(index_); link != c_.sizes.end() && link->second.weight >= 0.8) return false;
    if (names::is_ret_name(p_.name)) return false;
    std::vector<std::size_t> dims = dimensions(f_);
    bool strided = false;
    for (std::size_t j = 0; j < f_.params.size(); ++j)
      if (j != index_ && (companion(f_, j, "inc") || companion(f_, j, "ld"))) strided = true;
    if (dims.empty() || !strided) return false;
    if (scalar_of_the_operation()) return true;
    if (void_data()) {
      add(claim_kind(direction(), spec::Kind::Buffer), 0.6,
          "'void *' in a function of strided vectors or matrices: data, not an address to pass through; " +
              std::string(kVoidWhy));
      return true;
    }
    add(claim_kind(direction(), spec::Kind::Buffer), 0.6,
        "pointer to numbers in a function of strided vectors or matrices with dimensions " + list(dims) +
            ", with no count or stride of its own: an array of a length the prototype does not give "
            "(annotate its size)");
    return true;
  }

  // The scalars of a BLAS operation (y := alpha*A*x + beta*y) are one number each, by
  // value (CBLAS's real routines) or through a pointer (CBLAS's complex ones, cuBLAS and
  // rocBLAS in host pointer mode); so is what a reduction returns through `result`
  // (dot, nrm2, asum). The names are the convention's, as inc/ld are.
  bool scalar_of_the_operation() {
    const std::string name = lower(p_.name);
    const bool coefficient = name == "alpha" || name == "beta";
    const bool reduction = !is_const() && name == "result";
    if (!coefficient && !reduction) return false;
    if (void_data()) return false;  // one number, of a size the prototype does not say
    add(claim_kind(coefficient ? spec::Direction::In : spec::Direction::Out, spec::Kind::Element),
        0.7,
        coefficient
            ? "'" + p_.name +
                  "' is a scalar of the operation (alpha, beta in y := alpha*A*x + beta*y): "
                  "one number read through the pointer, not an array"
            : "'result' of a function of strided vectors: the one number a reduction (dot, norm, "
              "sum) "
              "writes back");
    return true;
  }

  std::string list(const std::vector<std::size_t>& dims) const {
    std::string out;
    for (std::size_t d : dims) out += (out.empty() ? "'" : ", '") + f_.params[d].name + "'";
    return out.empty() ? "(none)" : out;
  }

  const FunctionContext& c_;
  const ParsedFunction& f_;
  std::size_t index_;
  const ParsedParam& p_;
  spec::Param& param_;
  std::string location_;
};

}  // namespace

bool has_stride_companion(const ParsedFunction& f, std::size_t index) {
  return companion(f, index, "inc").has_value() || companion(f, index, "ld").has_value();
}

bool add_stride_evidence(const FunctionContext& context, std::size_t index, spec::Param& param) {
  return StrideRules(context, index, param).run();
}

}  // namespace remora::inference
