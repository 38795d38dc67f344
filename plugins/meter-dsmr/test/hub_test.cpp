// Through the real hub binary ($HEPEK_BINARY_DIR/bin/hepek): `hepek dsmr parse` on the shared telegrams, and
// a recorded P1 file replayed by a running hub (embedded broker) into the recorder, read back with `hepek
// history export`. Skipped when the hub or the recorder plugin has not been built.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

using namespace hepek::dsmr::test_data;
namespace fs = std::filesystem;

namespace {

std::string binary_dir() {
  const char* dir = std::getenv("HEPEK_BINARY_DIR");
  return dir ? dir : "build";
}

std::string hub() {
  return binary_dir() + "/bin/hepek";
}

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

CommandRun run(const std::string& command) {
  CommandRun result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A port nobody listens on now, so parallel test runs do not share a broker.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST(Hub, DsmrParseCommand) {
  if (!fs::exists(hub())) GTEST_SKIP() << hub() << " not built";
  const std::string dir = dsmr_dir();
  CommandRun valid = run(hub() + " dsmr parse " + dir + "/ndokter_telegram_v4_2.txt " + dir +
                         "/ndokter_telegram_unpadded_crc.txt 2>&1");
  EXPECT_EQ(valid.exit_code, 0) << valid.out;
  const auto lines = lines_of(valid.out);
  ASSERT_EQ(lines.size(), 2u) << valid.out;
  EXPECT_EQ(lines[0].rfind(R"({"ok":true,"crc":"6796","header":"/KFM5KAIFA-METER",)"
                           R"("timestamp":"2016-11-13T20:57:57+01:00","obis":{)",
                           0),
            0u);
  EXPECT_NE(lines[0].find(R"("1-0:1.8.1":{"value":1581.123,"unit":"kWh"})"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("crc":"0B9F")"), std::string::npos);

  CommandRun broken = run(hub() + " dsmr parse " + dir + "/ndokter_telegram_v5_MISSING_CRC.txt 2>/dev/null");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(broken.out.rfind(R"({"ok":false,"error":")", 0), 0u) << broken.out;
  EXPECT_NE(broken.out.find("truncated"), std::string::npos) << broken.out;
}

TEST(Hub, ReplayedTelegramsReachTheRecorder) {
  if (!fs::exists(hub())) GTEST_SKIP() << hub() << " not built";
  if (!fs::exists(binary_dir() + "/lib/hepek/plugins/hepek-recorder.so"))
    GTEST_SKIP() << "recorder plugin not built";
  const fs::path work = fs::temp_directory_path() / ("hepek-dsmr-hub-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  std::ofstream(work / "p1.txt", std::ios::binary)
      << telegram_file("ndokter_telegram_v4_2.txt")
      << telegram_file("ndokter_telegram_v5_BADCRC_line_removed.txt")
      << telegram_file("ndokter_telegram_v5.txt");
  const fs::path config = work / "hepek.toml";
  std::ofstream(config) << "[hub]\nname = \"dsmr-test\"\ndata_dir = \"" << (work / "data").string()
                        << "\"\ntimezone = \"Europe/Amsterdam\"\n\n[bus]\nbroker = \"embedded\"\nport = "
                        << free_port() << "\n\n[[plugin]]\nid = \"grid_meter\"\ntype = \"meter-dsmr\"\n"
                        << "source = \"file\"\npath = \"" << (work / "p1.txt").string()
                        << "\"\ninterval_ms = 300\n\n[[plugin]]\nid = \"recorder\"\ntype = \"recorder\"\n"
                        << "flush_ms = 200\n";

  const CommandRun hub_run = run(hub() + " --config " + config.string() + " run --for 3s 2>&1");
  ASSERT_EQ(hub_run.exit_code, 0) << hub_run.out;
  EXPECT_NE(hub_run.out.find("rejected telegram #1 (1 accepted so far)"), std::string::npos) << hub_run.out;

  const CommandRun exported =
      run(hub() + " --config " + config.string() +
          " history export --device grid_meter --from 2000-01-01T00:00:00Z"
          " --to 2100-01-01T00:00:00Z --fields energy_import,energy_export,gas,telegrams_rejected"
          " 2>&1");
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const auto rows = lines_of(exported.out);
  ASSERT_EQ(rows.size(), 3u)
      << exported.out;  // header + the two accepted telegrams; the bad one is not a reading
  EXPECT_EQ(rows[0], "time,energy_import,energy_export,gas,telegrams_rejected");
  EXPECT_NE(rows[1].find(",3016829,0,981.443,0"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find(",6825,2444,0.107,1"), std::string::npos) << rows[2];
  fs::remove_all(work);
}
