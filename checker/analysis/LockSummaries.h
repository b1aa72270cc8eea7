// LockSummaries: lock-set analyses computed on demand and kept for the translation unit, and the
// one-level "helper only called with a lock held" summary.
#pragma once

#include <map>
#include <memory>

#include "analysis/LockSet.h"
#include "analysis/ThreadEntries.h"

namespace racelens::tidy {

class LockSetCache {
 public:
  LockSetCache(clang::ASTContext& Ctx, const SyncApi& Api) : Ctx(Ctx), Api(Api) {}
  /// The analysis of `F`'s definition (computed on first use).
  const LockSetAnalysis& of(const clang::FunctionDecl* F);

 private:
  clang::ASTContext& Ctx;
  const SyncApi& Api;
  std::map<const clang::FunctionDecl*, std::unique_ptr<LockSetAnalysis>> Cache;
};

/// True when `F` is called somewhere in the translation unit, is not a thread entry, and every
/// call to it runs with at least one lock certainly held: its body is then guarded by its
/// callers. One level only: the callers' own callers are not consulted.
bool alwaysCalledWithLock(const clang::FunctionDecl* F, const ThreadEntries& Entries,
                          LockSetCache& Locks);

}  // namespace racelens::tidy

namespace racelens::tidy {

/// True when `F`'s own body contains a lock operation or declares a guard object: only such
/// functions are worth a lock-set analysis for acquisitions.
bool touchesLocks(const clang::FunctionDecl& F, const SyncApi& Api);

}  // namespace racelens::tidy
