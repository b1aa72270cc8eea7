// ThreadEntries: the functions of a translation unit that run on threads other than the one that
// started them, and what each thread start reaches through calls.
//
// A thread start is a call or construction listed in ThreadStartFunctions (std::thread,
// std::jthread, pthread_create, std::async, racelens::Thread / Timer, thread-pool submit / map /
// apply_async...), also through `container.emplace_back(f)` of a thread type, or the run() of a
// class derived from a ThreadBaseClasses type. Its entry is the callable argument resolved to a
// function: a function name or pointer, a lambda (directly or through a local variable), a member
// function pointer, `std::bind(f, ...)`, or an object with an operator(). Reachability follows
// direct calls to functions defined in the translation unit (not in system headers).
//
// Built once per translation unit; read-only afterwards.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "analysis/SyncApi.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/ArrayRef.h"

namespace racelens::tidy {

struct ThreadStart {
  /// The starting call or construction; null for a run() override.
  const clang::Expr* Site = nullptr;
  clang::SourceLocation Loc;
  const clang::FunctionDecl* Entry = nullptr;
  /// The function containing Site (null for a run() override).
  const clang::FunctionDecl* StartedIn = nullptr;
  /// Site is inside a loop of StartedIn: several threads run Entry.
  bool InLoop = false;
  /// Every run of Entry gets the same `this` (a lambda capturing `this`, `&C::f` with `this`
  /// or a global object): its members are shared between those runs.
  bool SameObject = false;
};

struct CallSite {
  const clang::CallExpr* Call;
  const clang::FunctionDecl* Caller;
};

class ThreadEntries {
 public:
  ThreadEntries(clang::ASTContext& Ctx, const SyncApi& Api);

  const std::vector<ThreadStart>& starts() const { return Starts; }
  /// Every function with a body outside system headers, lambdas' call operators included.
  const std::vector<const clang::FunctionDecl*>& functions() const { return Functions; }

  /// Indices into starts() of the threads that can run `F`.
  llvm::ArrayRef<unsigned> startsReaching(const clang::FunctionDecl* F) const;
  /// True when start `Index` runs its entry on several threads at once (several start sites for
  /// the same entry, or a start inside a loop).
  bool runsSeveralTimes(unsigned Index) const;
  /// The calls in the translation unit whose direct callee is `F`.
  llvm::ArrayRef<CallSite> callers(const clang::FunctionDecl* F) const;
  /// The calls made directly in `F`'s body (not in lambdas it defines).
  llvm::ArrayRef<const clang::CallExpr*> callsIn(const clang::FunctionDecl* F) const;
  /// `Entry` and every function reachable from it through direct calls.
  std::set<const clang::FunctionDecl*> reachableFrom(const clang::FunctionDecl* Entry) const;

  /// The function a callable argument denotes, or null.
  static const clang::FunctionDecl* resolveCallable(const clang::Expr* Callable);
  /// The canonical declaration used as the key of every map here.
  static const clang::FunctionDecl* key(const clang::FunctionDecl* F);

  /// True when `S` in `F` lies between start `Index` and the first join-like call
  /// (join/get/result/wait/shutdown) after it, or in a function called there directly: the
  /// starting thread runs it concurrently with the started one.
  bool inStarterRegion(unsigned Index, const clang::FunctionDecl* F, const clang::Stmt* S) const;

 private:
  void index(const clang::FunctionDecl* F);
  void addStart(const clang::Expr* Site, const clang::Expr* Callable,
                const clang::FunctionDecl* In);
  void computeRegions();

  clang::ASTContext& Ctx;
  const SyncApi& Api;
  std::vector<ThreadStart> Starts;
  std::vector<const clang::FunctionDecl*> Functions;
  std::map<const clang::FunctionDecl*, std::vector<const clang::CallExpr*>> Calls;
  std::map<const clang::FunctionDecl*, std::vector<CallSite>> Callers;
  std::map<const clang::FunctionDecl*, std::vector<unsigned>> Reaching;
  std::map<const clang::FunctionDecl*, unsigned> EntryCount;
  struct Region {
    clang::SourceLocation Begin, End;
    std::set<const clang::FunctionDecl*> Callees;
  };
  std::vector<Region> Regions;
};

}  // namespace racelens::tidy
