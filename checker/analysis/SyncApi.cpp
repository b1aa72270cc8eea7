#include "analysis/SyncApi.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Type.h"

namespace racelens::tidy {

using namespace clang;

namespace {

#define RACELENS_STD_MUTEXES(M)                                        \
  "std::mutex::" M ";std::timed_mutex::" M ";std::recursive_mutex::" M \
  ";std::recursive_timed_mutex::" M ";std::shared_mutex::" M ";std::shared_timed_mutex::" M ";"
#define RACELENS_LOCKABLES(M) \
  "racelens::Lock::" M ";racelens::RLock::" M ";racelens::Condition::" M ";"

}  // namespace

bool isCallableArgument(const Expr& Arg) {
  const Expr* Stripped = stripObject(&Arg);
  QualType T = Stripped->getType();
  if (T->isFunctionType() || T->isFunctionPointerType() || T->isMemberFunctionPointerType() ||
      isa<LambdaExpr>(Stripped))
    return true;
  const CXXRecordDecl* Record = T->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition()) return false;
  if (Record->isLambda()) return true;
  for (const CXXMethodDecl* Method : Record->methods())
    if (Method->getOverloadedOperator() == OO_Call) return true;
  return false;
}

const SyncApi::Option SyncApi::LockFunctions = {
    "LockFunctions",
    RACELENS_STD_MUTEXES("lock") "std::shared_mutex::lock_shared;std::shared_timed_mutex::lock_shared;"
    "std::lock;pthread_mutex_lock;pthread_rwlock_rdlock;pthread_rwlock_wrlock;pthread_spin_lock;"
    RACELENS_LOCKABLES("acquire") RACELENS_LOCKABLES("lock")};
const SyncApi::Option SyncApi::TryLockFunctions = {
    "TryLockFunctions",
    RACELENS_STD_MUTEXES("try_lock") RACELENS_STD_MUTEXES("try_lock_for")
        RACELENS_STD_MUTEXES("try_lock_until") "std::try_lock;pthread_mutex_trylock;"
    "pthread_mutex_timedlock;pthread_rwlock_tryrdlock;pthread_rwlock_trywrlock;"
    "pthread_spin_trylock;" RACELENS_LOCKABLES("try_lock")};
const SyncApi::Option SyncApi::UnlockFunctions = {
    "UnlockFunctions",
    RACELENS_STD_MUTEXES("unlock") "std::shared_mutex::unlock_shared;"
    "std::shared_timed_mutex::unlock_shared;pthread_mutex_unlock;pthread_rwlock_unlock;"
    "pthread_spin_unlock;" RACELENS_LOCKABLES("release") RACELENS_LOCKABLES("unlock")};
const SyncApi::Option SyncApi::GuardTypes = {
    "GuardTypes", "std::lock_guard;std::unique_lock;std::scoped_lock;std::shared_lock"};
const SyncApi::Option SyncApi::RecursiveLockTypes = {
    "RecursiveLockTypes",
    "std::recursive_mutex;std::recursive_timed_mutex;racelens::RLock;racelens::Condition"};
const SyncApi::Option SyncApi::ThreadStartFunctions = {
    "ThreadStartFunctions",
    "std::thread::thread;std::jthread::jthread;std::async;pthread_create;"
    "racelens::Thread::Thread;racelens::Timer::Timer;"
    "racelens::ThreadPoolExecutor::submit;racelens::ThreadPoolExecutor::map;"
    "racelens::ThreadPool::map;racelens::ThreadPool::apply;racelens::ThreadPool::apply_async;"
    "racelens::ThreadPool::imap;racelens::ThreadPool::imap_unordered;"
    "racelens::ThreadPool::starmap"};
const SyncApi::Option SyncApi::ThreadBaseClasses = {"ThreadBaseClasses", "racelens::Thread"};
const SyncApi::Option SyncApi::SyncTypes = {
    "SyncTypes",
    "std::atomic;std::atomic_flag;std::atomic_ref;std::mutex;std::timed_mutex;"
    "std::recursive_mutex;std::recursive_timed_mutex;std::shared_mutex;std::shared_timed_mutex;"
    "std::condition_variable;std::condition_variable_any;std::thread;std::jthread;std::future;"
    "std::shared_future;std::promise;std::packaged_task;std::latch;std::barrier;"
    "std::counting_semaphore;std::once_flag;std::stop_source;std::stop_token;"
    "std::lock_guard;std::unique_lock;std::scoped_lock;std::shared_lock;"
    "pthread_mutex_t;pthread_cond_t;pthread_rwlock_t;pthread_spinlock_t;pthread_t;"
    "racelens::Lock;racelens::RLock;racelens::Condition;racelens::Semaphore;"
    "racelens::BoundedSemaphore;racelens::Event;racelens::Barrier;racelens::Timer;"
    "racelens::Thread;racelens::Queue;racelens::LifoQueue;racelens::PriorityQueue;"
    "racelens::SimpleQueue;racelens::local;racelens::Future;racelens::ThreadPoolExecutor;"
    "racelens::ProcessPoolExecutor;racelens::Pool;racelens::ThreadPool;racelens::AsyncResult"};

#undef RACELENS_STD_MUTEXES
#undef RACELENS_LOCKABLES

SyncApi::SyncApi(const clang::tidy::ClangTidyCheck::OptionsView& Options)
    : LockText(Options.getLocalOrGlobal(LockFunctions.Name, LockFunctions.Default)),
      TryLockText(Options.getLocalOrGlobal(TryLockFunctions.Name, TryLockFunctions.Default)),
      UnlockText(Options.getLocalOrGlobal(UnlockFunctions.Name, UnlockFunctions.Default)),
      GuardText(Options.getLocalOrGlobal(GuardTypes.Name, GuardTypes.Default)),
      RecursiveText(Options.getLocalOrGlobal(RecursiveLockTypes.Name, RecursiveLockTypes.Default)),
      StartText(Options.getLocalOrGlobal(ThreadStartFunctions.Name, ThreadStartFunctions.Default)),
      BaseText(Options.getLocalOrGlobal(ThreadBaseClasses.Name, ThreadBaseClasses.Default)),
      SyncText(Options.getLocalOrGlobal(SyncTypes.Name, SyncTypes.Default)) {
  parseList(LockText, Lock);
  parseList(TryLockText, TryLock);
  parseList(UnlockText, Unlock);
  parseList(GuardText, Guard);
  parseList(RecursiveText, Recursive);
  parseList(StartText, Start);
  parseList(BaseText, Base);
  parseList(SyncText, Sync);
}

void SyncApi::store(const clang::tidy::ClangTidyCheck::OptionsView& Options,
                    clang::tidy::ClangTidyOptions::OptionMap& Map) const {
  Options.store(Map, LockFunctions.Name, LockText);
  Options.store(Map, TryLockFunctions.Name, TryLockText);
  Options.store(Map, UnlockFunctions.Name, UnlockText);
  Options.store(Map, GuardTypes.Name, GuardText);
  Options.store(Map, RecursiveLockTypes.Name, RecursiveText);
  Options.store(Map, ThreadStartFunctions.Name, StartText);
  Options.store(Map, ThreadBaseClasses.Name, BaseText);
  Options.store(Map, SyncTypes.Name, SyncText);
}

void SyncApi::parseList(llvm::StringRef Text, llvm::StringSet<>& Out) {
  llvm::SmallVector<llvm::StringRef, 32> Items;
  Text.split(Items, ';', -1, false);
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    if (Item.consume_front("::")) Item = Item.trim();
    if (!Item.empty()) Out.insert(Item);
  }
}

std::string SyncApi::qualifiedName(const NamedDecl& D) {
  if (const auto* Record = dyn_cast<CXXRecordDecl>(&D)) {
    if (const auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(Record))
      return Spec->getSpecializedTemplate()->getQualifiedNameAsString();
    return Record->getQualifiedNameAsString();
  }
  if (const auto* Method = dyn_cast<CXXMethodDecl>(&D)) {
    std::string Name = qualifiedName(*Method->getParent());
    Name += "::";
    if (isa<CXXConstructorDecl>(Method))
      Name += Method->getParent()->getNameAsString();
    else
      Name += Method->getNameAsString();
    return Name;
  }
  return D.getQualifiedNameAsString();
}

const CXXRecordDecl* SyncApi::recordOf(QualType Type, bool ThroughPointers) {
  if (Type.isNull()) return nullptr;
  Type = Type.getNonReferenceType();
  if (ThroughPointers && Type->isPointerType()) Type = Type->getPointeeType();
  if (const auto* Array = Type->getAsArrayTypeUnsafe()) Type = Array->getElementType();
  return Type->getAsCXXRecordDecl();
}

bool SyncApi::matchesFunction(const FunctionDecl& F, const llvm::StringSet<>& Names) {
  if (Names.contains(qualifiedName(F))) return true;
  if (const auto* Method = dyn_cast<CXXMethodDecl>(&F)) {
    for (const CXXMethodDecl* Overridden : Method->overridden_methods())
      if (matchesFunction(*Overridden, Names)) return true;
  }
  return false;
}

bool SyncApi::matchesType(QualType Type, const llvm::StringSet<>& Names) {
  if (Type.isNull()) return false;
  Type = Type.getNonReferenceType();
  if (const auto* Array = Type->getAsArrayTypeUnsafe()) Type = Array->getElementType();
  // C typedefs such as pthread_mutex_t name an anonymous union.
  for (QualType T = Type; const auto* Typedef = T->getAs<TypedefType>(); T = Typedef->desugar()) {
    if (Names.contains(Typedef->getDecl()->getQualifiedNameAsString())) return true;
  }
  const CXXRecordDecl* Record = Type->getAsCXXRecordDecl();
  if (!Record) return false;
  if (Names.contains(qualifiedName(*Record))) return true;
  if (!Record->hasDefinition()) return false;
  for (const CXXBaseSpecifier& BaseSpec : Record->bases())
    if (matchesType(BaseSpec.getType(), Names)) return true;
  return false;
}

const Expr* stripObject(const Expr* E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto* Unary = dyn_cast<UnaryOperator>(E)) {
      if (Unary->getOpcode() == UO_AddrOf || Unary->getOpcode() == UO_Deref) {
        E = Unary->getSubExpr();
        continue;
      }
    }
    if (const auto* Temp = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = Temp->getSubExpr();
      continue;
    }
    if (const auto* Cleanups = dyn_cast<ExprWithCleanups>(E)) {
      E = Cleanups->getSubExpr();
      continue;
    }
    // A temporary with a destructor (a Future holding a shared_ptr) is bound first.
    if (const auto* Bind = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = Bind->getSubExpr();
      continue;
    }
    return E;
  }
  return E;
}

LockOp SyncApi::classifyCall(const CallExpr& Call) const {
  LockOp Op;
  const FunctionDecl* Callee = Call.getDirectCallee();
  if (!Callee) return Op;
  const bool IsLock = matchesFunction(*Callee, Lock);
  const bool IsTry = !IsLock && matchesFunction(*Callee, TryLock);
  const bool IsUnlock = !IsLock && !IsTry && matchesFunction(*Callee, Unlock);
  if (!IsLock && !IsTry && !IsUnlock) return Op;
  if (const auto* Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    Op.Locks.push_back(Member->getImplicitObjectArgument());
    Op.Kind = IsUnlock ? LockOpKind::Release : IsTry ? LockOpKind::TryAcquire : LockOpKind::Acquire;
    // acquire(blocking, timeout) with explicit arguments may fail: Python's non-blocking acquire.
    if (Op.Kind == LockOpKind::Acquire) {
      for (const Expr* Arg : Member->arguments())
        if (!isa<CXXDefaultArgExpr>(Arg)) Op.Kind = LockOpKind::TryAcquire;
    }
    return Op;
  }
  if (Call.getNumArgs() == 0) return Op;
  const std::string Name = qualifiedName(*Callee);
  if (Name == "std::lock" || Name == "std::try_lock") {
    for (const Expr* Arg : Call.arguments()) Op.Locks.push_back(Arg);
  } else {
    Op.Locks.push_back(Call.getArg(0));
    Op.ZeroMeansSuccess = IsTry;
  }
  Op.Kind = IsUnlock ? LockOpKind::Release : IsTry ? LockOpKind::TryAcquire : LockOpKind::Acquire;
  return Op;
}

bool SyncApi::isGuardType(QualType Type) const { return matchesType(Type, Guard); }

bool SyncApi::isSyncType(QualType Type) const { return matchesType(Type, Sync); }

bool SyncApi::isRecursiveLock(const Expr& LockExpr) const {
  const Expr* Object = stripObject(&LockExpr);
  QualType Type = Object->getType();
  return matchesType(Type, Recursive) ||
         (Type->isPointerType() && matchesType(Type->getPointeeType(), Recursive));
}

const VarDecl* SyncApi::guardMethod(const CallExpr& Call, llvm::StringRef& Method) const {
  const auto* Member = dyn_cast<CXXMemberCallExpr>(&Call);
  if (!Member || !Member->getMethodDecl()) return nullptr;
  const auto* Ref = dyn_cast<DeclRefExpr>(stripObject(Member->getImplicitObjectArgument()));
  if (!Ref) return nullptr;
  const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
  if (!Var || !isGuardType(Var->getType())) return nullptr;
  const IdentifierInfo* Id = Member->getMethodDecl()->getIdentifier();
  if (!Id) return nullptr;
  Method = Id->getName();
  if (Method != "lock" && Method != "try_lock" && Method != "unlock" && Method != "release")
    return nullptr;
  return Var;
}

bool SyncApi::guardConstruction(const VarDecl& Var, GuardConstruction& Out) const {
  if (!isGuardType(Var.getType()) || !Var.getInit()) return false;
  const Expr* Init = Var.getInit()->IgnoreImplicit();
  if (const auto* Cast = dyn_cast<CXXFunctionalCastExpr>(Init)) Init = Cast->getSubExpr();
  const auto* Construct = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
  if (!Construct || Construct->getNumArgs() == 0) return false;
  Out = GuardConstruction{};
  for (const Expr* Arg : Construct->arguments()) {
    if (isa<CXXDefaultArgExpr>(Arg)) continue;
    QualType ArgType = Arg->getType().getNonReferenceType().getUnqualifiedType();
    const CXXRecordDecl* Record = ArgType->getAsCXXRecordDecl();
    const std::string Name = Record ? qualifiedName(*Record) : std::string();
    if (Name == "std::defer_lock_t") {
      Out.Mode = GuardMode::Defers;
    } else if (Name == "std::adopt_lock_t") {
      Out.Mode = GuardMode::Adopts;
    } else if (Name == "std::try_to_lock_t") {
      Out.Mode = GuardMode::Tries;
    } else if (isGuardType(ArgType)) {
      return false;  // a move from another guard
    } else if (Record || ArgType->isPointerType()) {
      Out.Locks.push_back(Arg);
    }
  }
  return !Out.Locks.empty();
}

bool SyncApi::isThreadRunOverride(const CXXMethodDecl& Method) const {
  if (!Method.getIdentifier() || Method.getName() != "run" || !Method.isVirtual()) return false;
  const CXXRecordDecl* Record = Method.getParent();
  if (!Record->hasDefinition() || Base.contains(qualifiedName(*Record))) return false;
  for (const CXXBaseSpecifier& BaseSpec : Record->bases())
    if (matchesType(BaseSpec.getType(), Base)) return true;
  return false;
}

const Expr* SyncApi::threadCallable(const Expr& E) const {
  const FunctionDecl* Callee = nullptr;
  llvm::ArrayRef<const Expr*> Args;
  if (const auto* Construct = dyn_cast<CXXConstructExpr>(&E)) {
    Callee = Construct->getConstructor();
    Args = llvm::ArrayRef(Construct->getArgs(), Construct->getNumArgs());
  } else if (const auto* Call = dyn_cast<CallExpr>(&E)) {
    Callee = Call->getDirectCallee();
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
    // threads.emplace_back(f): the container constructs a thread from the arguments.
    if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call); Member && Callee) {
      const IdentifierInfo* Id = Callee->getIdentifier();
      if (Id && (Id->getName() == "emplace_back" || Id->getName() == "emplace" ||
                 Id->getName() == "emplace_front")) {
        const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
            recordOf(Member->getImplicitObjectArgument()->getType(), true));
        if (!Spec || Spec->getTemplateArgs().size() == 0 ||
            Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
          return nullptr;
        const CXXRecordDecl* Element = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
        if (!Element) return nullptr;
        const std::string Ctor = qualifiedName(*Element) + "::" + Element->getNameAsString();
        if (!Start.contains(Ctor)) return nullptr;
        for (const Expr* Arg : Args)
          if (isCallableArgument(*Arg)) return Arg;
        return nullptr;
      }
    }
  }
  if (!Callee || !matchesFunction(*Callee, Start)) return nullptr;
  for (const Expr* Arg : Args) {
    if (!isa<CXXDefaultArgExpr>(Arg) && isCallableArgument(*Arg)) return Arg;
  }
  return nullptr;
}

}  // namespace racelens::tidy
