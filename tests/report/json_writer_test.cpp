// The JSON report: layout, round trip, schema validation and read errors.
#include "report/json_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/report_samples.hpp"
#include "report/validators.hpp"

namespace racelens::report {

// Field-by-field equality, for the round trip (the model has no operator==).
bool operator==(const Frame& a, const Frame& b) {
  return a.function == b.function && a.file == b.file && a.line == b.line && a.pc == b.pc;
}

namespace {

using ::testing::HasSubstr;

void ExpectSame(const Report& a, const Report& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.message, b.message);
  ASSERT_EQ(a.accesses.size(), b.accesses.size());
  for (std::size_t i = 0; i < a.accesses.size(); ++i) {
    const Access& x = a.accesses[i];
    const Access& y = b.accesses[i];
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.thread, y.thread);
    EXPECT_EQ(x.object, y.object);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.call, y.call);
    EXPECT_EQ(x.stack, y.stack);
    EXPECT_EQ(x.locks_held, y.locks_held);
    EXPECT_EQ(x.previous, y.previous);
  }
  ASSERT_EQ(a.threads.size(), b.threads.size());
  for (std::size_t i = 0; i < a.threads.size(); ++i) {
    EXPECT_EQ(a.threads[i].id, b.threads[i].id);
    EXPECT_EQ(a.threads[i].name, b.threads[i].name);
    EXPECT_EQ(a.threads[i].parent, b.threads[i].parent);
    EXPECT_EQ(a.threads[i].created_at, b.threads[i].created_at);
  }
  ASSERT_EQ(a.locks.size(), b.locks.size());
  for (std::size_t i = 0; i < a.locks.size(); ++i) {
    EXPECT_EQ(a.locks[i].id, b.locks[i].id);
    EXPECT_EQ(a.locks[i].name, b.locks[i].name);
  }
  EXPECT_EQ(a.cycle, b.cycle);
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (std::size_t i = 0; i < a.edges.size(); ++i) {
    EXPECT_EQ(a.edges[i].from_lock, b.edges[i].from_lock);
    EXPECT_EQ(a.edges[i].to_lock, b.edges[i].to_lock);
    EXPECT_EQ(a.edges[i].thread, b.edges[i].thread);
    EXPECT_EQ(a.edges[i].from_acquired, b.edges[i].from_acquired);
    EXPECT_EQ(a.edges[i].to_acquired, b.edges[i].to_acquired);
  }
  EXPECT_EQ(a.schedule.strategy, b.schedule.strategy);
  EXPECT_EQ(a.schedule.seed, b.schedule.seed);
  EXPECT_EQ(a.schedule.replay_command, b.schedule.replay_command);
  EXPECT_EQ(a.schedule.depth, b.schedule.depth);
  EXPECT_EQ(a.schedule.steps, b.schedule.steps);
  EXPECT_EQ(a.pid, b.pid);
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (std::size_t i = 0; i < a.timeline.size(); ++i) {
    EXPECT_EQ(a.timeline[i].step, b.timeline[i].step);
    EXPECT_EQ(a.timeline[i].thread, b.timeline[i].thread);
    EXPECT_EQ(a.timeline[i].op, b.timeline[i].op);
    EXPECT_EQ(a.timeline[i].object, b.timeline[i].object);
    EXPECT_EQ(a.timeline[i].site, b.timeline[i].site);
  }
}

std::string ErrorOf(std::string_view line) {
  try {
    FromJson(line);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

// The data race sample with one field replaced, as a JSON line.
std::string WithField(const std::string& json_pointer, const nlohmann::json& value) {
  nlohmann::json json = nlohmann::json::parse(ToJsonLine(samples::DataRace()));
  json[nlohmann::json::json_pointer(json_pointer)] = value;
  return json.dump();
}

std::string WithoutField(const std::string& parent_pointer, const std::string& key) {
  nlohmann::json json = nlohmann::json::parse(ToJsonLine(samples::DataRace()));
  json[nlohmann::json::json_pointer(parent_pointer)].erase(key);
  return json.dump();
}

TEST(JsonWriterTest, DataRaceLayoutIsStable) {
  const std::string expected =
      R"j({"kind":"data-race","title":"data race on 'value'",)j"
      R"j("summary":"data race samples/nolock_counter.cpp:18 in getlock()","message":"",)j"
      R"j("accesses":[)j"
      R"j({"type":"write","thread":3,"object":"value","size":4,"call":"","stack":0,)j"
      R"j("locks_held":[],"previous":false},)j"
      R"j({"type":"read","thread":7,"object":"value","size":4,"call":"","stack":1,)j"
      R"j("locks_held":[],"previous":true}],)j"
      R"j("stacks":[)j"
      R"j([{"function":"getlock()","file":"samples/nolock_counter.cpp",)j"
      R"j("line":18,"pc":4201003},)j"
      R"j({"function":"worker(int)","file":"samples/nolock_counter.cpp",)j"
      R"j("line":22,"pc":4201216}],)j"
      R"j([{"function":"getlock()","file":"samples/nolock_counter.cpp",)j"
      R"j("line":16,"pc":4200976}],)j"
      R"j([{"function":"main","file":"samples/nolock_counter.cpp","line":25,"pc":4201472}],)j"
      R"j([{"function":"main","file":"samples/nolock_counter.cpp","line":25,"pc":4201472}]],)j"
      R"j("threads":[{"id":3,"name":"Thread-3","parent":0,"created_at":2},)j"
      R"j({"id":7,"name":"Thread-7","parent":0,"created_at":3}],)j"
      R"j("locks":[],"cycle":[],"edges":[],)j"
      R"j("schedule":{"strategy":"pct","seed":17,)j"
      R"j("replay_command":"racelens replay --schedule pct --seed 17 -- ./nolock_counter"},)j"
      R"j("pid":4242})j";
  EXPECT_EQ(ToJsonLine(samples::DataRace()), expected);
}

TEST(JsonWriterTest, LockOrderEdgesReferToBothStacks) {
  const nlohmann::json json = nlohmann::json::parse(ToJsonLine(samples::LockOrderInversion()));
  EXPECT_EQ(json["cycle"], nlohmann::json({1, 2}));
  ASSERT_EQ(json["edges"].size(), 2u);
  const nlohmann::json& edge = json["edges"][0];
  EXPECT_EQ(edge["from_lock"], 1);
  EXPECT_EQ(edge["to_lock"], 2);
  EXPECT_EQ(edge["thread"], 1);
  EXPECT_EQ(json["stacks"][edge["from_acquired"].get<int>()][0]["line"], 11);
  EXPECT_EQ(json["stacks"][edge["to_acquired"].get<int>()][0]["line"], 12);
  EXPECT_EQ(json["locks"][0], nlohmann::json({{"id", 1}, {"name", "lock_a"}}));
}

TEST(JsonWriterTest, AbsentParentAndSeedAreNull) {
  const nlohmann::json json = nlohmann::json::parse(ToJsonLine(samples::StuckDeadlock()));
  EXPECT_TRUE(json["threads"][0]["parent"].is_null());
  EXPECT_TRUE(json["schedule"]["seed"].is_null());
  EXPECT_EQ(json["schedule"]["strategy"], "os");
}

TEST(JsonWriterTest, TimelineIsWrittenOnlyWhenRecorded) {
  EXPECT_FALSE(
      nlohmann::json::parse(ToJsonLine(samples::LockOrderInversion())).contains("timeline"));
  const std::string line = ToJsonLine(samples::LockOrderWithTimeline());
  const nlohmann::json json = nlohmann::json::parse(line);
  ASSERT_TRUE(json.contains("timeline"));
  EXPECT_EQ(json["timeline"][0],
            nlohmann::json::parse(R"j({"step":10,"thread":1,"op":"Lock.acquire()",)j"
                                  R"j("object":"M1 'lock_a'","site":{"function":"first()",)j"
                                  R"j("file":"samples/ab_ba.cpp","line":11,"pc":0}})j"));
  EXPECT_GT(line.find("\"timeline\""), line.find("\"pid\""));
}

TEST(JsonWriterTest, ReadingWithoutATimelineGivesAnEmptyOne) {
  EXPECT_TRUE(FromJson(ToJsonLine(samples::DataRace())).timeline.empty());
}

TEST(JsonWriterTest, EveryLineIsOneLineEvenWithNewlinesInText) {
  Report report = samples::Misuse();
  report.message = "two\nlines";
  const std::string line = ToJsonLine(report);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(FromJson(line).message, "two\nlines");
}

TEST(JsonWriterTest, InvalidUtf8IsReplacedNotThrown) {
  Report report = samples::Misuse();
  report.accesses[0].stack[0].function = "bad\xff";
  EXPECT_NO_THROW(FromJson(ToJsonLine(report)));
}

TEST(JsonWriterTest, RoundTripKeepsEveryField) {
  for (const Report& report : samples::All()) {
    SCOPED_TRACE(report.title);
    ExpectSame(FromJson(ToJsonLine(report)), report);
  }
}

TEST(JsonWriterTest, RoundTripKeepsLargeValues) {
  Report report = samples::DataRace();
  report.schedule.seed = 18446744073709551615ull;
  report.accesses[0].stack[0].pc = static_cast<std::uintptr_t>(0xffffffffffffff00ull);
  report.accesses[0].size = 1ull << 40;
  ExpectSame(FromJson(ToJsonLine(report)), report);
}

// The data race sample as a pct run of depth 3 over 1000 steps.
Report PctSample() {
  Report report = samples::DataRace();
  report.schedule.depth = 3;
  report.schedule.steps = 1000;
  return report;
}

TEST(JsonWriterTest, PctDepthAndStepsAreWrittenOnlyWhenSet) {
  EXPECT_THAT(ToJsonLine(PctSample()),
              HasSubstr(R"j("schedule":{"strategy":"pct","seed":17,"depth":3,"steps":1000,)j"
                        R"j("replay_command":"racelens replay --schedule pct --seed 17 -- )j"));
  const nlohmann::json json = nlohmann::json::parse(ToJsonLine(samples::DataRace()));
  EXPECT_FALSE(json["schedule"].contains("depth"));
  EXPECT_FALSE(json["schedule"].contains("steps"));
}

TEST(JsonWriterTest, PctDepthAndStepsRoundTripAndAreOptionalWhenRead) {
  Report report = PctSample();
  report.schedule.steps = 18446744073709551615ull;
  ExpectSame(FromJson(ToJsonLine(report)), report);
  const Report without = FromJson(ToJsonLine(samples::DataRace()));
  EXPECT_FALSE(without.schedule.depth.has_value());
  EXPECT_FALSE(without.schedule.steps.has_value());
  EXPECT_TRUE(validators::MatchesReportSchema(ToJsonLine(PctSample()) + "\n"));
}

TEST(JsonWriterTest, ReadingAcceptsATrailingNewlineAndUnknownFields) {
  const std::string line = WithField("/added_later", "x") + "\r\n";
  EXPECT_EQ(FromJson(line).title, "data race on 'value'");
}

TEST(JsonWriterTest, OutputMatchesTheDocumentedSchema) {
  std::string jsonl;
  for (const Report& report : samples::All()) jsonl += ToJsonLine(report) + "\n";
  EXPECT_TRUE(validators::MatchesReportSchema(jsonl));
}

TEST(JsonWriterTest, SchemaRejectsABrokenLine) {
  // Guards against a validator that passes everything.
  EXPECT_FALSE(validators::MatchesReportSchema(WithField("/kind", "race") + "\n"));
  EXPECT_FALSE(validators::MatchesReportSchema(WithoutField("/accesses/0", "stack") + "\n"));
  EXPECT_FALSE(validators::MatchesReportSchema(
      WithField("/timeline", nlohmann::json::parse(R"j([{"step":1,"thread":0,"op":"x"}])j")) +
      "\n"));
}

TEST(JsonWriterTest, MalformedJsonIsAClearError) {
  EXPECT_THAT(ErrorOf("{\"kind\":"),
              HasSubstr("racelens: cannot read the JSON report: the line is not valid JSON"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("not valid JSON"));
  EXPECT_EQ(ErrorOf("[1,2]"),
            "racelens: cannot read the JSON report: the line must be a JSON object, not the "
            "array [1,2].");
}

TEST(JsonWriterTest, WrongFieldsNameThePathAndWhatIsAccepted) {
  EXPECT_EQ(ErrorOf(WithoutField("", "pid")),
            "racelens: cannot read the JSON report: field 'pid' is missing.");
  EXPECT_EQ(ErrorOf(WithField("/kind", "race")),
            "racelens: cannot read the JSON report: field 'kind' must be one of data-race, "
            "event-race, lock-order-inversion, deadlock, misuse, not 'race'.");
  EXPECT_EQ(ErrorOf(WithField("/accesses/1/type", "peek")),
            "racelens: cannot read the JSON report: field 'accesses[1].type' must be one of "
            "read, write, event-set, event-clear, lock-acquire, blocking-call, misuse-call, not "
            "'peek'.");
  EXPECT_EQ(ErrorOf(WithField("/accesses/0/stack", 9)),
            "racelens: cannot read the JSON report: field 'accesses[0].stack' must be an index "
            "into 'stacks' (which has 4 entries), not 9.");
  EXPECT_EQ(ErrorOf(WithField("/threads/0/name", 5)),
            "racelens: cannot read the JSON report: field 'threads[0].name' must be a string, "
            "not the number 5.");
  EXPECT_EQ(ErrorOf(WithField("/stacks/1/0/line", -3)),
            "racelens: cannot read the JSON report: field 'stacks[1][0].line' must be a "
            "non-negative integer, not the number -3.");
  EXPECT_EQ(ErrorOf(WithField("/accesses/0/previous", "no")),
            "racelens: cannot read the JSON report: field 'accesses[0].previous' must be true or "
            "false, not the string \"no\".");
  EXPECT_EQ(ErrorOf(WithField("/schedule/seed", "17")),
            "racelens: cannot read the JSON report: field 'schedule.seed' must be an unsigned "
            "integer, not the string \"17\".");
  EXPECT_EQ(ErrorOf(WithField("/schedule/depth", "3")),
            "racelens: cannot read the JSON report: field 'schedule.depth' must be a "
            "non-negative integer, not the string \"3\".");
  EXPECT_EQ(ErrorOf(WithField("/schedule/steps", -1)),
            "racelens: cannot read the JSON report: field 'schedule.steps' must be an unsigned "
            "integer, not the number -1.");
  EXPECT_EQ(ErrorOf(WithField("/edges", 1)),
            "racelens: cannot read the JSON report: field 'edges' must be an array, not the "
            "number 1.");
  EXPECT_EQ(ErrorOf(WithField("/timeline", 1)),
            "racelens: cannot read the JSON report: field 'timeline' must be an array, not the "
            "number 1.");
  EXPECT_EQ(ErrorOf(WithField("/timeline", nlohmann::json::parse(R"j([{"step":1,"thread":0,)j"
                                                                 R"j("op":"x","object":""}])j"))),
            "racelens: cannot read the JSON report: field 'timeline[0].site' is missing.");
  EXPECT_EQ(ErrorOf(WithField("/pid", 5000000000)),
            "racelens: cannot read the JSON report: field 'pid' must be at most 2147483647, not "
            "5000000000.");
}

}  // namespace
}  // namespace racelens::report
