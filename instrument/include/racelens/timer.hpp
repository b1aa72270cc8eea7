// racelens/timer.hpp — threading.Timer.
//
// A Thread that calls `function(args...)` after `interval` seconds unless
// cancel() was called first. Like any Thread it must be start()ed. The
// callable and arguments are owned by the runtime, so destroying the Timer
// object follows Thread's rules (a non-daemon timer is waited for).
//
// Thread-safety: all members are thread-safe.
#pragma once

#include <memory>
#include <utility>

#include "racelens/event.hpp"
#include "racelens/thread.hpp"

namespace racelens {

class Timer : public Thread {
 public:
  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  Timer(double interval, F&& function, Args&&... args)
      : Timer(ThreadOptions{}, interval, std::forward<F>(function), std::forward<Args>(args)...) {}

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  Timer(ThreadOptions options, double interval, F&& function, Args&&... args)
      : Timer(std::move(options), interval, std::make_shared<Event>(), std::forward<F>(function),
              std::forward<Args>(args)...) {}

  // Stops the timer if it is still waiting; no effect once `function` started.
  void cancel() { finished_->set(); }

 private:
  template <class F, class... Args>
  Timer(ThreadOptions options, double interval, std::shared_ptr<Event> finished, F&& function,
        Args&&... args)
      : Thread(
            std::move(options),
            [interval, finished,
             fn = std::decay_t<F>(std::forward<F>(function))](std::decay_t<Args>... a) mutable {
              finished->wait(interval);
              if (!finished->is_set()) std::invoke(std::move(fn), std::move(a)...);
              finished->set();
            },
            std::forward<Args>(args)...),
        finished_(std::move(finished)) {}

  std::shared_ptr<Event> finished_;
};

}  // namespace racelens
