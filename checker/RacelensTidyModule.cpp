// The racelens clang-tidy module: registers the checks, nothing else.
#include "ConditionWaitOutsideLoopCheck.h"
#include "EventWaitClearCheck.h"
#include "ExecutorSelfWaitCheck.h"
#include "LockOrderInversionCheck.h"
#include "LockWithoutReleaseCheck.h"
#include "NestedLockCheck.h"
#include "PoolJoinBeforeCloseCheck.h"
#include "UnguardedSharedWriteCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace racelens::tidy {

class RacelensModule : public clang::tidy::ClangTidyModule {
 public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories& Factories) override {
    Factories.registerCheck<UnguardedSharedWriteCheck>("racelens-unguarded-shared-write");
    Factories.registerCheck<LockOrderInversionCheck>("racelens-lock-order-inversion");
    Factories.registerCheck<NestedLockCheck>("racelens-nested-lock");
    Factories.registerCheck<EventWaitClearCheck>("racelens-event-wait-clear");
    Factories.registerCheck<ConditionWaitOutsideLoopCheck>("racelens-condition-wait-outside-loop");
    Factories.registerCheck<LockWithoutReleaseCheck>("racelens-lock-without-release");
    Factories.registerCheck<PoolJoinBeforeCloseCheck>("racelens-pool-join-before-close");
    Factories.registerCheck<ExecutorSelfWaitCheck>("racelens-executor-self-wait");
  }
};

}  // namespace racelens::tidy

static clang::tidy::ClangTidyModuleRegistry::Add<racelens::tidy::RacelensModule>
    RacelensModuleEntry("racelens-module", "Adds the racelens concurrency checks.");
