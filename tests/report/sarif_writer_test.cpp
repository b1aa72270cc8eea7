// The SARIF log: structure, and validity according to the SARIF Multitool.
#include "report/sarif_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report_samples.hpp"
#include "report/validators.hpp"

namespace racelens::report {
namespace {

using nlohmann::json;

json Sarif(const std::vector<Report>& reports) { return json::parse(ToSarif(reports)); }

TEST(SarifWriterTest, OneRunWithTheFiveKindsAsRules) {
  const json log = Sarif({});
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "racelens");
  std::vector<std::string> ids;
  for (const json& rule : driver["rules"]) {
    ids.push_back(rule["id"]);
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"data-race", "event-race", "lock-order-inversion",
                                           "deadlock", "misuse"}));
  EXPECT_TRUE(log["runs"][0]["results"].empty());
}

TEST(SarifWriterTest, DataRaceResult) {
  const json result = Sarif({samples::DataRace()})["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "data-race");
  EXPECT_EQ(result["ruleIndex"], 0);
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(result["message"]["text"], "data race on 'value'");
  const json& location = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "samples/nolock_counter.cpp");
  EXPECT_EQ(location["region"]["startLine"], 18);
  EXPECT_EQ(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "getlock()");

  const json& flows = result["codeFlows"][0]["threadFlows"];
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0]["id"], "T3");
  EXPECT_EQ(flows[0]["message"]["text"], "Thread T3 'Thread-3'");
  const json& step = flows[0]["locations"][0];
  EXPECT_EQ(step["location"]["message"]["text"], "Write of 'value' by thread T3 'Thread-3'");
  EXPECT_EQ(step["stack"]["frames"].size(), 2u);
  EXPECT_EQ(flows[1]["id"], "T7");
  EXPECT_EQ(flows[1]["locations"][0]["location"]["message"]["text"],
            "Previous read of 'value' by thread T7 'Thread-7'");
  EXPECT_EQ(result["partialFingerprints"]["racelensSites/v1"],
            "data-race|samples/nolock_counter.cpp:16|samples/nolock_counter.cpp:18");
  EXPECT_EQ(result["properties"]["replay"],
            "racelens replay --schedule pct --seed 17 -- ./nolock_counter");
}

TEST(SarifWriterTest, LockOrderInversionHasAThreadFlowPerEdgeThread) {
  const json result = Sarif({samples::LockOrderInversion()})["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleIndex"], 2);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  const json& flows = result["codeFlows"][0]["threadFlows"];
  ASSERT_EQ(flows.size(), 2u);
  ASSERT_EQ(flows[0]["locations"].size(), 2u);
  EXPECT_EQ(flows[0]["locations"][0]["location"]["message"]["text"], "Mutex M1 'lock_a' acquired");
  EXPECT_EQ(flows[0]["locations"][1]["location"]["message"]["text"],
            "Mutex M2 'lock_b' acquired while holding mutex M1 'lock_a'");
}

TEST(SarifWriterTest, FramesWithoutFilesAndEmptyStacks) {
  const json result = Sarif({samples::Unusual()})["runs"][0]["results"][0];
  EXPECT_FALSE(result["locations"][0].contains("physicalLocation"));
  EXPECT_EQ(result["locations"][0]["properties"]["pc"], "0x4011a6");
  const json& previous = result["codeFlows"][0]["threadFlows"][1]["locations"][0];
  EXPECT_FALSE(previous.contains("stack"));
  EXPECT_EQ(previous["location"]["message"]["text"], "Previous read of '0x7ffd1000' by thread T6");
}

TEST(SarifWriterTest, AbsolutePathsBecomeFileUris) {
  Report report = samples::Misuse();
  report.accesses[0].stack[0].file = "/home/me/my project/a#b.cpp";
  const json result = Sarif({report})["runs"][0]["results"][0];
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///home/me/my%20project/a%23b.cpp");
}

TEST(SarifWriterTest, EveryKindPassesTheSarifMultitool) {
  EXPECT_TRUE(validators::IsValidSarif(ToSarif(samples::All())));
}

TEST(SarifWriterTest, TheMultitoolRejectsABrokenLog) {
  // Guards against a validator that passes everything.
  json log = Sarif({samples::DataRace()});
  log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  EXPECT_FALSE(validators::IsValidSarif(log.dump()));
}

}  // namespace
}  // namespace racelens::report
