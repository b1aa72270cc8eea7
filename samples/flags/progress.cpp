#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace flags {

namespace {

// tqdm's format_interval: MM:SS, or H:MM:SS from an hour on.
std::string FormatInterval(double seconds) {
  const long t = static_cast<long>(seconds);
  const long h = t / 3600;
  const long m = t / 60 % 60;
  const long s = t % 60;
  char text[32];
  if (h > 0) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", h, m, s);
  } else {
    std::snprintf(text, sizeof text, "%02ld:%02ld", m, s);
  }
  return text;
}

int TerminalColumns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// tqdm's unicode bar: full blocks, one partial block in eighths, then spaces.
std::string Bar(double frac, int width) {
  static const char* const kEighths[] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(frac * width * 8);
  const int full = std::min(eighths / 8, width);
  std::string bar;
  for (int i = 0; i < full; ++i) bar += "█";
  if (full < width) {
    bar += kEighths[eighths % 8];
    bar.append(static_cast<std::size_t>(width - full - 1), ' ');
  }
  return bar;
}

}  // namespace

ProgressBar::ProgressBar(std::size_t total, bool disable)
    : total_(total),
      enabled_(!disable && isatty(STDOUT_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {
  draw();
}

ProgressBar::~ProgressBar() { close(); }

void ProgressBar::update(std::size_t n) {
  n_ += n;
  draw();
}

void ProgressBar::close() {
  if (closed_) return;
  closed_ = true;
  if (!enabled_) return;
  draw();
  std::fputs("\n", stdout);
  std::fflush(stdout);
}

void ProgressBar::draw() {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 && n_ > 0 ? static_cast<double>(n_) / elapsed : 0;
  const std::size_t n = std::min(n_, total_);
  const double frac = total_ > 0 ? static_cast<double>(n) / static_cast<double>(total_) : 1;

  char rate_text[32] = "?it/s";
  if (rate > 0 && rate < 1) {
    std::snprintf(rate_text, sizeof rate_text, "%5.2fs/it", 1 / rate);
  } else if (rate > 0) {
    std::snprintf(rate_text, sizeof rate_text, "%5.2fit/s", rate);
  }
  const std::string remaining =
      rate > 0 ? FormatInterval(static_cast<double>(total_ - n) / rate) : "?";
  char left[16];
  std::snprintf(left, sizeof left, "%3.0f%%|", frac * 100);
  const std::string right = "| " + std::to_string(n) + "/" + std::to_string(total_) + " [" +
                            FormatInterval(elapsed) + "<" + remaining + ", " + rate_text + "]";
  const int width = std::max(
      1, TerminalColumns() - 1 - static_cast<int>(std::string(left).size() + right.size()));
  const std::string line = std::string("\r") + left + Bar(frac, width) + right;
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace flags
