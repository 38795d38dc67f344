// Bus benchmark: a plugin-to-plugin round trip through the hub's bus API (host publish → broker → the other
// instance's connection → hub event loop → callback) against a bare client pair on the same broker, in the same run,
// for libmosquitto and Paho; plus the resident memory of a running hub with the example plugin.
// Prints one JSON object. Environment: HEPEK_BENCH_MESSAGES (default 10000), HEPEK_BENCH_ROUNDTRIPS (default 1000).
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "config.hpp"
#include "hub.hpp"
#include "log.hpp"

using namespace hepek::core;
using Clock = std::chrono::steady_clock;

namespace {

int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : fallback;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// A counter + latch the receiving side bumps; the sender waits on it.
struct Latch {
  std::mutex mutex;
  std::condition_variable changed;
  uint64_t count = 0;
  void bump() {
    {
      std::lock_guard lock(mutex);
      ++count;
    }
    changed.notify_all();
  }
  bool wait_for_count(uint64_t target, int timeout_ms) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return count >= target; });
  }
  uint64_t get() {
    std::lock_guard lock(mutex);
    return count;
  }
};

struct PathResult {
  double qos0_msgs_per_s = 0, qos1_msgs_per_s = 0;
  uint64_t qos0_received = 0, qos1_received = 0;
  double rtt_p50_ms = 0, rtt_p99_ms = 0;
};

nlohmann::json to_json(const PathResult& r) {
  return {{"qos0_msgs_per_s", std::round(r.qos0_msgs_per_s)},
          {"qos1_msgs_per_s", std::round(r.qos1_msgs_per_s)},
          {"qos0_received", r.qos0_received},
          {"qos1_received", r.qos1_received},
          {"rtt_p50_ms", std::round(r.rtt_p50_ms * 1000) / 1000},
          {"rtt_p99_ms", std::round(r.rtt_p99_ms * 1000) / 1000}};
}

// `send(topic, payload, qos)` from side A; side B's receive callback calls `received(topic)`.
template <typename Send>
void measure(PathResult& result, Send send, Latch& one_way, Latch& pongs, int messages, int roundtrips) {
  const std::string payload(64, 'x');
  for (int qos : {0, 1}) {
    const uint64_t start_count = one_way.get();
    const auto begin = Clock::now();
    for (int i = 0; i < messages; ++i) send("data", payload, qos);
    one_way.wait_for_count(start_count + static_cast<uint64_t>(messages), 30000);
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    const uint64_t received = one_way.get() - start_count;
    (qos == 0 ? result.qos0_msgs_per_s : result.qos1_msgs_per_s) = static_cast<double>(received) / seconds;
    (qos == 0 ? result.qos0_received : result.qos1_received) = received;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::vector<double> samples;
  for (int i = 0; i < roundtrips; ++i) {
    const uint64_t target = pongs.get() + 1;
    const auto begin = Clock::now();
    send("ping", payload, 1);
    if (!pongs.wait_for_count(target, 5000)) continue;
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
  }
  std::sort(samples.begin(), samples.end());
  if (!samples.empty()) {
    result.rtt_p50_ms = samples[samples.size() / 2];
    result.rtt_p99_ms = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  }
}

HubConfig bench_config(int port, const std::string& client) {
  const std::string text = fmt::format(R"([hub]
log_level = "warning"
[bus]
port = {}
client = "{}"
[[plugin]]
id = "a"
type = "hello-meter"
interval_ms = 3600000
[[plugin]]
id = "b"
type = "hello-meter"
interval_ms = 3600000
)",
                                       port, client);
  auto load = parse_config(text, "<bench>");
  if (!load.ok()) throw std::runtime_error("bench config invalid");
  return *load.config;
}

nlohmann::json bench_client(const std::string& client, int messages, int roundtrips) {
  const std::string data_dir =
      (std::filesystem::temp_directory_path() / fmt::format("hepek-bench-{}", getpid())).string();
  std::filesystem::remove_all(data_dir);
  HubOptions options;
  options.data_dir = data_dir;
  Hub hub(bench_config(free_port(), client), options);
  hub.discover_plugins();
  hub.plan_instances();
  hub.start();
  Instance& a = *hub.instances()[0];
  Instance& b = *hub.instances()[1];
  std::thread loop([&] { hub.run(); });

  // Hub path: A publishes under hepek/a/..., B's callback (hub thread) counts or answers under hepek/b/....
  Latch hub_one_way, hub_pongs;
  struct Context {
    Hub* hub;
    Instance* b;
    Latch* one_way;
    Latch* pongs;
  } context{&hub, &b, &hub_one_way, &hub_pongs};
  auto on_b = [](void* user, const char* topic, const void* payload, size_t length, int32_t) {
    auto* c = static_cast<Context*>(user);
    if (std::string_view(topic) == "hepek/a/ping")
      c->hub->publish_from(*c->b, "hepek/b/pong", std::string(static_cast<const char*>(payload), length), 1,
                           false);
    else
      c->one_way->bump();
  };
  auto on_a = [](void* user, const char*, const void*, size_t, int32_t) {
    static_cast<Context*>(user)->pongs->bump();
  };
  hub.subscribe_for(b, "hepek/a/data", 1, on_b, &context, nullptr);
  hub.subscribe_for(b, "hepek/a/ping", 1, on_b, &context, nullptr);
  hub.subscribe_for(a, "hepek/b/pong", 1, on_a, &context, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PathResult via_hub;
  measure(
      via_hub,
      [&](const std::string& kind, const std::string& payload, int qos) {
        hub.publish_from(a, "hepek/a/" + kind, payload, qos, false);
      },
      hub_one_way, hub_pongs, messages, roundtrips);

  // Bare pair on the same broker, same client library, admin account.
  Latch bare_one_way, bare_pongs;
  BusEndpoint endpoint;
  endpoint.port = static_cast<int>(hub.config().port);
  endpoint.username = "admin";
  endpoint.password = hub.accounts()->get_or_create("admin").password;
  std::unique_ptr<BusConnection> sender, receiver;
  ConnectionOptions receiver_options;
  receiver_options.client_id = "admin-bench-bare-b";
  receiver_options.on_message = [&](const std::string& topic, const std::string& payload, bool) {
    if (topic == "bench/ping")
      receiver->publish("bench/pong", payload, 1, false);
    else
      bare_one_way.bump();
  };
  ConnectionOptions sender_options;
  sender_options.client_id = "admin-bench-bare-a";
  sender_options.on_message = [&](const std::string&, const std::string&, bool) { bare_pongs.bump(); };
  receiver = make_connection(client, endpoint, receiver_options);
  sender = make_connection(client, endpoint, sender_options);
  receiver->connect();
  sender->connect();
  while (!receiver->connected() || !sender->connected())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  receiver->subscribe("bench/data", 1);
  receiver->subscribe("bench/ping", 1);
  sender->subscribe("bench/pong", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PathResult bare;
  measure(
      bare,
      [&](const std::string& kind, const std::string& payload, int qos) {
        sender->publish("bench/" + kind, payload, qos, false);
      },
      bare_one_way, bare_pongs, messages, roundtrips);
  sender->disconnect();
  receiver->disconnect();

  hub.stop();
  loop.join();
  hub.shutdown();
  std::filesystem::remove_all(data_dir);
  return {{"hub", to_json(via_hub)},
          {"bare", to_json(bare)},
          {"hub_vs_bare_qos0", std::round(100 * via_hub.qos0_msgs_per_s / bare.qos0_msgs_per_s) / 100},
          {"hub_vs_bare_qos1", std::round(100 * via_hub.qos1_msgs_per_s / bare.qos1_msgs_per_s) / 100}};
}

double rss_mb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

nlohmann::json hub_memory() {
  const std::string dir =
      (std::filesystem::temp_directory_path() / fmt::format("hepek-bench-rss-{}", getpid())).string();
  std::filesystem::create_directories(dir);
  const std::string config = dir + "/hepek.toml";
  std::ofstream(config) << fmt::format(
      "[hub]\nlog_level = \"warning\"\n[bus]\nport = {}\n[[plugin]]\nid = \"hello\"\ntype = "
      "\"hello-meter\"\n",
      free_port());
  const char* build = std::getenv("HEPEK_BINARY_DIR");
  const std::string binary = std::string(build ? build : "build/release") + "/bin/hepek";
  const pid_t pid = fork();
  if (pid == 0) {
    execl(binary.c_str(), binary.c_str(), "--config", config.c_str(), "--data-dir", (dir + "/data").c_str(),
          "run", nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const double hub = rss_mb(pid);
  double broker = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream status(entry.path() / "status");
    std::string line;
    bool child = false;
    while (std::getline(status, line))
      if (line.rfind("PPid:", 0) == 0) child = std::stoi(line.substr(5)) == pid;
    if (child) broker += rss_mb(std::stoi(entry.path().filename().string()));
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);
  return {{"hub_rss_mb", std::round(hub * 10) / 10}, {"broker_rss_mb", std::round(broker * 10) / 10}};
}

}  // namespace

int main() {
  Logger::instance().set_threshold(Level::warning);
  const int messages = env_int("HEPEK_BENCH_MESSAGES", 10000);
  const int roundtrips = env_int("HEPEK_BENCH_ROUNDTRIPS", 1000);
  nlohmann::json out{
      {"benchmark", "bus"}, {"message_bytes", 64}, {"messages", messages}, {"roundtrips", roundtrips}};
  for (const std::string client : {"mosquitto", "paho"})
    out["clients"][client] = bench_client(client, messages, roundtrips);
  out["memory"] = hub_memory();
  std::cout << out.dump(2) << std::endl;
  return 0;
}
