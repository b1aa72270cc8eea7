// SharedAccesses: every read and write, in the functions of a translation unit, of state that
// several threads can reach: global and static variables, static locals, members reached through
// `this` or through a shared variable, and locals captured by reference into a lambda.
//
// Not shared (never recorded): thread_local variables, locals of the accessing function,
// variables captured by copy, const data, atomics and synchronisation objects (SyncTypes), data
// reached through parameters. A write is an assignment, compound assignment, ++/--, an
// overloaded assignment operator or a non-const member call on a shared object; calls on
// synchronisation objects are never writes.
#pragma once

#include <map>
#include <vector>

#include "analysis/SyncApi.h"
#include "analysis/ThreadEntries.h"

namespace racelens::tidy {

struct SharedAccess {
  /// The variable or field accessed.
  const clang::ValueDecl* Target = nullptr;
  /// The write expression (assignment, ++, call) or, for a read, the reference.
  const clang::Expr* Site = nullptr;
  const clang::FunctionDecl* In = nullptr;
  bool IsWrite = false;
  /// A member reached through `this`: each object has its own.
  bool ViaThis = false;
};

class SharedAccesses {
 public:
  SharedAccesses(const ThreadEntries& Entries, const SyncApi& Api);

  const std::vector<SharedAccess>& all() const { return Accesses; }
  /// Indices into all() of the accesses to `Target`.
  const std::vector<unsigned>& of(const clang::ValueDecl* Target) const;

 private:
  void collect(const clang::FunctionDecl* F);
  bool target(const clang::Expr* E, const clang::FunctionDecl* In, SharedAccess& Out) const;
  bool sharedRoot(const clang::Expr* E, const clang::FunctionDecl* In, bool& ViaThis) const;
  bool excludedType(clang::QualType Type) const;

  const SyncApi& Api;
  std::vector<SharedAccess> Accesses;
  std::map<const clang::ValueDecl*, std::vector<unsigned>> ByTarget;
};

}  // namespace racelens::tidy
