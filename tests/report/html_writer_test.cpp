// The HTML report: a complete, self-contained page; escaping; graphs and timelines per kind.
// The page in a real browser: cli/test/html_test.py.
#include "report/html_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "report/report_samples.hpp"

namespace racelens::report {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

// Every element the writer opens is closed, in order (void and self-closed elements aside;
// script and style bodies skipped). Returns "" or what is wrong.
std::string TagProblem(const std::string& page) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = page.find('<', at)) != std::string::npos) {
    if (page.compare(at, 2, "<!") == 0) {
      at = page.find('>', at);
      continue;
    }
    const std::size_t end = page.find('>', at);
    if (end == std::string::npos) return "an unterminated tag";
    std::string tag = page.substr(at + 1, end - at - 1);
    at = end + 1;
    const bool closing = !tag.empty() && tag[0] == '/';
    const bool self_closed = !tag.empty() && tag.back() == '/';
    std::string name =
        tag.substr(closing ? 1 : 0, tag.find_first_of(" />", closing ? 1 : 0) - (closing ? 1 : 0));
    if (name.empty()) return "an empty tag name";
    if (closing) {
      if (open.empty() || open.back() != name) return "</" + name + "> closes nothing open";
      open.pop_back();
    } else if (!self_closed && name != "meta") {
      open.push_back(name);
      if (name == "script" || name == "style") {
        at = page.find("</" + name + ">", at);
        if (at == std::string::npos) return "<" + name + "> is never closed";
      }
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

TEST(HtmlWriterTest, EmptyListGivesAValidPageThatSaysSo) {
  const std::string page = ToHtml({});
  EXPECT_THAT(page, StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(page, EndsWith("</html>\n"));
  EXPECT_THAT(page, HasSubstr("<title>racelens: 0 reports</title>"));
  EXPECT_THAT(page, HasSubstr("No reports"));
  EXPECT_THAT(page, HasSubstr("document.body.dataset.rendered='1'"));
  EXPECT_THAT(page, HasSubstr("window.onerror"));
  EXPECT_EQ(TagProblem(page), "");
}

TEST(HtmlWriterTest, EveryKindGivesAWellFormedSelfContainedPage) {
  const std::string page = ToHtml(samples::All());
  EXPECT_EQ(TagProblem(page), "");
  EXPECT_EQ(Count(page, "<section class=\"report\""), samples::All().size());
  EXPECT_THAT(page, HasSubstr("<title>racelens: 8 reports</title>"));
  // Nothing to fetch: the only URL is the SVG namespace.
  EXPECT_EQ(Count(page, "://"), Count(page, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(page, Not(HasSubstr(" src=")));
  EXPECT_THAT(page, Not(HasSubstr("@import")));
  EXPECT_THAT(page, Not(HasSubstr("url(http")));
}

TEST(HtmlWriterTest, MarkupInNamesIsEscaped) {
  Report report = samples::LockOrderInversion();
  report.locks[0].name = "<&\"'>";
  report.threads[0].name = "</script><script>alert(1)</script>";
  report.title = "a <b>bold</b> & 'quoted' \"title\"";
  report.accesses.push_back(Access{AccessType::kLockAcquire, 1, "x<y", 0, "", {}, {}, false});
  report.accesses.back().stack = {samples::At("f<T&>()", "a\"b'.cpp", 3)};
  const std::string page = ToHtml({report});
  EXPECT_THAT(page, HasSubstr("M1 &#39;&lt;&amp;&quot;&#39;&gt;&#39;"));
  EXPECT_THAT(page, HasSubstr("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page,
              HasSubstr("a &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39; &quot;title&quot;"));
  EXPECT_THAT(page, HasSubstr("f&lt;T&amp;&gt;() a&quot;b&#39;.cpp:3"));
  EXPECT_THAT(page, Not(HasSubstr("alert(1)</script>")));
  EXPECT_THAT(page, Not(HasSubstr("<b>")));
  EXPECT_EQ(TagProblem(page), "");
}

TEST(HtmlWriterTest, ControlCharactersAreReplaced) {
  Report report = samples::Misuse();
  report.message = std::string("bell\x07", 5);
  EXPECT_THAT(ToHtml({report}), HasSubstr("bell&#xFFFD;"));
}

TEST(HtmlWriterTest, LockOrderInversionDrawsTheCycleEdgesInRed) {
  Report report = samples::LockOrderInversion();
  // An edge outside the cycle stays grey.
  report.locks.push_back(LockRef{3, "lock_c"});
  report.edges.push_back(LockOrderEdge{2, 3, 1, {}, {}});
  const std::string page = ToHtml({report});
  EXPECT_THAT(page, HasSubstr("Lock-order graph"));
  EXPECT_EQ(Count(page, "<g class=\"edge cycle\" stroke=\"#c62828\">"), 2u);
  EXPECT_EQ(Count(page, "<g class=\"edge\" stroke=\"#546e7a\">"), 1u);
  EXPECT_EQ(Count(page, "<g class=\"node cycle\">"), 2u);
  EXPECT_EQ(Count(page, "<g class=\"node\">"), 1u);
  EXPECT_THAT(page, HasSubstr("marker-end=\"url(#arrow-cycle-report-1)\""));
  EXPECT_THAT(page, HasSubstr("M3 &#39;lock_c&#39;"));
}

TEST(HtmlWriterTest, ACycleWithoutItsEdgesIsStillDrawn) {
  Report report = samples::LockOrderInversion();
  report.edges.clear();
  EXPECT_EQ(Count(ToHtml({report}), "<g class=\"edge cycle\""), 2u);
}

TEST(HtmlWriterTest, DeadlockCycleIsAWaitForGraph) {
  const std::string page = ToHtml({samples::CycleDeadlock()});
  EXPECT_THAT(page, HasSubstr("Wait-for graph"));
  EXPECT_EQ(Count(page, "<g class=\"edge cycle\""), 2u);
  EXPECT_THAT(page, HasSubstr("Lock.acquire() &#39;lock_b&#39;"));
}

TEST(HtmlWriterTest, DeadlockWithoutACycleListsTheBlockedThreads) {
  const std::string page = ToHtml({samples::StuckDeadlock()});
  EXPECT_THAT(page, Not(HasSubstr("Wait-for graph")));
  EXPECT_THAT(page, HasSubstr("<h3>Blocked threads</h3>"));
  EXPECT_THAT(page, HasSubstr("<li>Main thread is blocked in Queue.join() on &#39;q&#39; at "
                              "<code>samples/queue_join.cpp:30</code></li>"));
}

TEST(HtmlWriterTest, DerivedTimelinePutsPreviousAccessesFirst) {
  // DataRace: T3's write, then T7's earlier read (previous).
  const std::string page = ToHtml({samples::DataRace()});
  EXPECT_THAT(page, HasSubstr("recorded no history"));
  EXPECT_EQ(Count(page, "<g class=\"lane\""), 2u);
  EXPECT_LT(page.find("<g class=\"lane\" data-thread=\"7\">"),
            page.find("<g class=\"lane\" data-thread=\"3\">"));
  EXPECT_LT(page.find("<title>step 0: read value"), page.find("<title>step 1: write value"));
}

TEST(HtmlWriterTest, DerivedTimelineHasBothAcquisitionsOfEachEdge) {
  const std::string page = ToHtml({samples::LockOrderInversion()});
  EXPECT_EQ(Count(page, "<g class=\"event\">"), 4u);
  EXPECT_THAT(page, HasSubstr("<title>step 0: acquire M1 &#39;lock_a&#39;\nfirst() "
                              "samples/ab_ba.cpp:11</title>"));
  EXPECT_THAT(page, HasSubstr("<title>step 3: acquire M1 &#39;lock_a&#39;\nsecond() "
                              "samples/ab_ba.cpp:18</title>"));
}

TEST(HtmlWriterTest, RecordedTimelineIsUsedInStepOrder) {
  Report report = samples::LockOrderWithTimeline();
  std::swap(report.timeline.front(), report.timeline.back());
  const std::string page = ToHtml({report});
  EXPECT_THAT(page, HasSubstr("recorded events"));
  EXPECT_EQ(Count(page, "<g class=\"event\">"), 5u);
  EXPECT_THAT(page, HasSubstr("Lock.release()"));
  EXPECT_LT(page.find("<title>step 10: "), page.find("<title>step 18446744073709551615: "));
}

TEST(HtmlWriterTest, SeveralReportsGetUniqueIdsAndContents) {
  const std::string page = ToHtml({samples::LockOrderInversion(), samples::CycleDeadlock()});
  EXPECT_THAT(page, HasSubstr("<marker id=\"arrow-cycle-report-1\""));
  EXPECT_THAT(page, HasSubstr("<marker id=\"arrow-cycle-report-2\""));
  EXPECT_THAT(page, HasSubstr("<a href=\"#report-2\">deadlock (wait-for cycle)</a>"));
}

}  // namespace
}  // namespace racelens::report
