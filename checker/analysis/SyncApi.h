// SyncApi: which functions and types are synchronisation operations, read from check options.
//
// Every option is a ';'-separated list of fully qualified names without template arguments
// (`std::unique_lock`, `racelens::Lock::acquire`, `pthread_mutex_lock`). A member function matches
// when its own name or a name of a method it overrides is listed. The defaults cover `std::`,
// pthreads and racelens; a project adds its own wrappers in .clang-tidy, e.g.
//   CheckOptions: { racelens.LockFunctions: 'std::mutex::lock;my::SpinLock::take' }
// Options are looked up as `<check-name>.<Option>` first, then `<Option>` globally
// (`getLocalOrGlobal`), so one setting can serve every racelens check.
//
// SyncApi only classifies single expressions; it never walks code. It is immutable after
// construction and cheap to copy.
#pragma once

#include <string>

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

enum class LockOpKind { None, Acquire, TryAcquire, Release };

/// One lock operation: the kind and the lock expressions it applies to (several for `std::lock`).
struct LockOp {
  LockOpKind Kind = LockOpKind::None;
  llvm::SmallVector<const clang::Expr*, 2> Locks;
  /// True for pthread_*_trylock, which returns 0 on success.
  bool ZeroMeansSuccess = false;
};

/// How a guard object (std::lock_guard, std::unique_lock...) is constructed.
enum class GuardMode { Locks, Defers, Adopts, Tries };

struct GuardConstruction {
  GuardMode Mode = GuardMode::Locks;
  llvm::SmallVector<const clang::Expr*, 2> Locks;
};

class SyncApi {
 public:
  /// The option names and their defaults.
  struct Option {
    const char* Name;
    const char* Default;
  };
  static const Option LockFunctions, TryLockFunctions, UnlockFunctions, GuardTypes,
      RecursiveLockTypes, ThreadStartFunctions, ThreadBaseClasses, SyncTypes;

  explicit SyncApi(const clang::tidy::ClangTidyCheck::OptionsView& Options);
  void store(const clang::tidy::ClangTidyCheck::OptionsView& Options,
             clang::tidy::ClangTidyOptions::OptionMap& Map) const;

  /// The lock operation `Call` performs, if any. Calls on guard objects are not lock operations
  /// here (see guardMethod).
  LockOp classifyCall(const clang::CallExpr& Call) const;

  /// When `Call` is lock()/try_lock()/unlock()/release() on a guard object, that guard variable
  /// and the method name; otherwise null.
  const clang::VarDecl* guardMethod(const clang::CallExpr& Call, llvm::StringRef& Method) const;

  /// When `Var` is a guard variable initialised from locks, how; otherwise false.
  bool guardConstruction(const clang::VarDecl& Var, GuardConstruction& Out) const;

  bool isGuardType(clang::QualType Type) const;
  bool isRecursiveLock(const clang::Expr& Lock) const;
  /// Synchronisation objects and atomics: calls on them are never writes.
  bool isSyncType(clang::QualType Type) const;

  /// When `E` starts a thread (or submits a task), the argument that is its callable.
  const clang::Expr* threadCallable(const clang::Expr& E) const;
  /// When `Method` is the run() of a class derived from a thread base class, true.
  bool isThreadRunOverride(const clang::CXXMethodDecl& Method) const;

  /// True when `F` or a method it overrides is named in `Names`.
  static bool matchesFunction(const clang::FunctionDecl& F, const llvm::StringSet<>& Names);
  /// True when `Type` (through references and arrays), a typedef it is spelled with, or one of
  /// its base classes is named in `Names`.
  static bool matchesType(clang::QualType Type, const llvm::StringSet<>& Names);
  /// Splits a ';'-separated option value into `Out`.
  static void parseList(llvm::StringRef Text, llvm::StringSet<>& Out);

  /// "ns::Class::method", "ns::Class" or "ns::function" without template arguments.
  static std::string qualifiedName(const clang::NamedDecl& D);
  /// The record behind `Type` (through references and pointers when asked), or null.
  static const clang::CXXRecordDecl* recordOf(clang::QualType Type, bool ThroughPointers);

 private:
  std::string LockText, TryLockText, UnlockText, GuardText, RecursiveText, StartText, BaseText,
      SyncText;
  llvm::StringSet<> Lock, TryLock, Unlock, Guard, Recursive, Start, Base, Sync;
};

/// True for a function, a pointer to a (member) function, a lambda, or an object with an
/// operator(): an argument that can be a thread's entry, a task or a predicate.
bool isCallableArgument(const clang::Expr& Arg);

/// Strips parentheses, implicit casts, temporaries and `&`/`*` around an object expression.
const clang::Expr* stripObject(const clang::Expr* E);

}  // namespace racelens::tidy
