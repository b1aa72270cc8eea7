// LockSetAnalysis: which locks a function certainly holds at each point (flow-sensitive, over
// the function's CFG), every acquisition with the locks held just before it, and the explicitly
// acquired locks that may still be held when the function exits.
//
// Understands RAII guards (std::lock_guard, std::unique_lock with defer_lock / adopt_lock and its
// lock()/unlock()/release(), std::scoped_lock, std::shared_lock: any type in GuardTypes), explicit
// lock/unlock/acquire/release calls, std::lock, and try-locks whose result is tested by an `if` or
// loop condition (`if (m.try_lock())`, `if (pthread_mutex_trylock(&m) == 0)`,
// `if (!lock.acquire(false)) return;`). Locks without an identity (see LockIdentity.h) are
// ignored. Intra-procedural: callers of helpers are the checks' business.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/CfgUtils.h"
#include "analysis/LockIdentity.h"
#include "analysis/SyncApi.h"
#include "llvm/ADT/DenseMap.h"

namespace racelens::tidy {

struct HeldLock {
  ObjectId Id;
  /// The acquiring call, guard declaration or tested try-lock.
  const clang::Stmt* AcquiredAt = nullptr;
  /// Acquired by a call rather than by a guard object.
  bool Explicit = false;
};

/// Held locks by ObjectId::Key.
using LockMap = std::map<std::string, HeldLock>;

struct Acquisition {
  HeldLock Lock;
  /// Locks certainly held just before this acquisition (never the other locks of the same
  /// std::scoped_lock / std::lock).
  LockMap HeldBefore;
  bool Recursive = false;
  /// A try-lock: it does not block, so it cannot close a deadlock.
  bool Tried = false;
};

struct HeldAtExit {
  HeldLock Lock;
  /// The statement leaving the function (return, throw, last statement), or null when the
  /// function's body ends without one.
  const clang::Stmt* Exit = nullptr;
};

class LockSetAnalysis {
 public:
  LockSetAnalysis(const clang::FunctionDecl& Fn, clang::ASTContext& Ctx, const SyncApi& Api);

  bool valid() const { return Cfg.valid(); }
  const FunctionCfg& cfg() const { return Cfg; }

  /// The locks certainly held just before `S` runs, or null when `S` is not in the CFG.
  const LockMap* heldBefore(const clang::Stmt* S) const;
  const std::vector<Acquisition>& acquisitions() const { return Acquisitions; }
  /// Locks acquired by calls (not guards) that some path leaves held at a function exit.
  const std::vector<HeldAtExit>& heldAtExit() const { return Leaks; }
  /// True when the function explicitly releases the lock with this key somewhere.
  bool releases(const std::string& Key) const { return Released.count(Key) != 0; }
  /// True when some path releases the lock before acquiring it: the function is entered with
  /// the lock held (a helper that unlocks around slow work and locks again before returning).
  bool entersHolding(const std::string& Key) const { return ReleasedUnheld.count(Key) != 0; }

 private:
  struct GuardState {
    std::vector<HeldLock> Locks;
    bool Owns = false;
  };
  struct State {
    LockMap Must, May;
    std::map<const clang::VarDecl*, GuardState> Guards;
    bool operator==(const State& Other) const;
  };

  void run();
  State join(const clang::CFGBlock& Block, bool& Reachable) const;
  void transfer(const clang::CFGBlock& Block, State& S, bool Record);
  void transferStmt(const clang::Stmt& S, State& St, bool Record);
  void acquire(State& S, const HeldLock& Lock, const LockMap& Before, bool Record, bool Recursive);
  static void release(State& S, const std::string& Key);
  /// The lock a block's terminator condition try-acquires, and on which successor it is held.
  bool conditionTryLock(const clang::CFGBlock& Block, HeldLock& Lock, unsigned& Successor) const;

  const SyncApi& Api;
  FunctionCfg Cfg;
  std::vector<State> Out;
  std::vector<bool> Computed;
  llvm::DenseMap<const clang::Stmt*, LockMap> Before;
  std::vector<Acquisition> Acquisitions;
  std::vector<HeldAtExit> Leaks;
  std::map<std::string, bool> Released;
  std::map<std::string, bool> ReleasedUnheld;
};

}  // namespace racelens::tidy
