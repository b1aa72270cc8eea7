// FunctionCfg: a function's Clang CFG with every sub-expression as its own element (so that any
// call or write can be located), implicit destructors (so that RAII guards release), and path
// queries over it. Building can fail (e.g. on some dependent code): check valid().
#pragma once

#include <memory>
#include <optional>

#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace racelens::tidy {

class FunctionCfg {
 public:
  FunctionCfg(const clang::FunctionDecl& Fn, clang::ASTContext& Ctx);

  bool valid() const { return Cfg != nullptr; }
  const clang::CFG& cfg() const { return *Cfg; }

  struct Position {
    const clang::CFGBlock* Block;
    unsigned Index;
  };
  std::optional<Position> position(const clang::Stmt* S) const;

  /// True when some path runs `From` and later `To`.
  bool reachable(const clang::Stmt* From, const clang::Stmt* To) const;

  /// True when some path from the entry reaches `S` without running a statement for which
  /// `Stops` is true.
  bool reachableAvoiding(const clang::Stmt* S,
                         llvm::function_ref<bool(const clang::Stmt&)> Stops) const;

  /// The last statement of `Block` (a return or throw for most exit paths), or null.
  static const clang::Stmt* lastStmt(const clang::CFGBlock& Block);

 private:
  std::unique_ptr<clang::CFG> Cfg;
  llvm::DenseMap<const clang::Stmt*, Position> Positions;
};

/// True when `S` is inside a for/while/do/range-for loop of its own function (a lambda's body
/// is a function of its own).
bool insideLoop(clang::ASTContext& Ctx, const clang::Stmt& S);

}  // namespace racelens::tidy
