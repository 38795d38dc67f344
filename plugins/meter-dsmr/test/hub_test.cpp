// Through the real hub binary ($HEPEK_BINARY_DIR/bin/hepek): `hepek dsmr parse` on the test telegrams, and
// a recorded P1 file replayed by a running hub (embedded broker) into the recorder, read back with `hepek
// history export`. Fails when the hub or the recorder plugin has not been built.
#include <gtest/gtest.h>

#include <sstream>

#include "dsmr_test_data.hpp"

using namespace hepek::dsmr::test_data;
namespace t = hepek::testing;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST(Hub, DsmrParseCommand) {
  HEPEK_REQUIRE_HUB();
  const std::string dir = dsmr_dir();
  const auto valid = t::run_hepek(
      {"dsmr", "parse", dir + "/ndokter_telegram_v4_2.txt", dir + "/ndokter_telegram_unpadded_crc.txt"});
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  const auto lines = lines_of(valid.out);
  ASSERT_EQ(lines.size(), 2u) << valid.out;
  EXPECT_EQ(lines[0].rfind(R"({"ok":true,"crc":"6796","header":"/KFM5KAIFA-METER",)"
                           R"("timestamp":"2016-11-13T20:57:57+01:00","obis":{)",
                           0),
            0u);
  EXPECT_NE(lines[0].find(R"("1-0:1.8.1":{"value":1581.123,"unit":"kWh"})"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("crc":"0B9F")"), std::string::npos);

  const auto broken = t::run_hepek({"dsmr", "parse", dir + "/ndokter_telegram_v5_MISSING_CRC.txt"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(broken.out.rfind(R"({"ok":false,"error":")", 0), 0u) << broken.out;
  EXPECT_NE(broken.out.find("truncated"), std::string::npos) << broken.out;
}

TEST(Hub, ReplayedTelegramsReachTheRecorder) {
  HEPEK_REQUIRE_HUB();
  HEPEK_REQUIRE_PLUGIN("recorder");
  const t::TempDir work;
  const std::string p1 =
      work.write("p1.txt", telegram_file("ndokter_telegram_v4_2.txt") +
                               telegram_file("ndokter_telegram_v5_BADCRC_line_removed.txt") +
                               telegram_file("ndokter_telegram_v5.txt"));
  const std::string config = t::write_config(work.path(), t::free_port(),
                                             "[[plugin]]\nid = \"grid_meter\"\ntype = \"meter-dsmr\"\n"
                                             "source = \"file\"\npath = \"" +
                                                 p1 +
                                                 "\"\ninterval_ms = 300\n\n[[plugin]]\nid = \"recorder\"\n"
                                                 "type = \"recorder\"\nflush_ms = 200\n");
  const std::string data_dir = work.file("data");

  const auto hub_run = t::run_hepek({"--config", config, "--data-dir", data_dir, "run", "--for", "3s"});
  const std::string hub_out = hub_run.out + hub_run.err;
  ASSERT_EQ(hub_run.exit_code, 0) << hub_out;
  EXPECT_NE(hub_out.find("rejected telegram #1 (1 accepted so far)"), std::string::npos) << hub_out;

  const auto exported =
      t::run_hepek({"--config", config, "--data-dir", data_dir, "history", "export", "--device", "grid_meter",
                    "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--fields",
                    "energy_import,energy_export,gas,telegrams_rejected"});
  ASSERT_EQ(exported.exit_code, 0) << exported.out << exported.err;
  const auto rows = lines_of(exported.out);
  ASSERT_EQ(rows.size(), 3u)
      << exported.out;  // header + the two accepted telegrams; the bad one is not a reading
  EXPECT_EQ(rows[0], "time,energy_import,energy_export,gas,telegrams_rejected");
  EXPECT_NE(rows[1].find(",3016829,0,981.443,0"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find(",6825,2444,0.107,1"), std::string::npos) << rows[2];
}
