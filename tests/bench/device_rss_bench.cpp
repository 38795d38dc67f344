// Hub memory with every device plugin loaded and talking to a real peer, against the bare hub, in one run.
//
// Starts the real hub (bin/hepek run, embedded Mosquitto) twice: once with no plugin (the baseline) and once with
// the device plugins of the live home: meter-dsmr on a DSMR 5 replay bridge (tests/integration/peers), sunspec on
// the pymodbus SunSpec hybrid simulator, relay driving a Tasmota-style plug (paho), w1-temperature on a fake
// sysfs tree, gps on a gpsd port (no gpsd running here: the plugin keeps reconnecting with backoff, as on a box
// without a receiver), climate on the simulated HA-MQTT AC (plugins/climate/test), flexible-load on a plug and mqtt-temperature on
// an ESPHome-style topic. After a settling time it samples the
// hub's VmRSS, VmHWM (peak), RssAnon (private) and PSS and its broker's VmRSS from /proc, and prints JSON with the delta and whether the
// hub stays under the 20 MB aim. Needs the hub, the plugins and /usr/bin/python3 with python3-pymodbus and
// python3-paho-mqtt (scripts/install-deps); fails loudly when one is missing.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "peer_process.hpp"
#include "test_support.hpp"

namespace {

namespace t = hepek::testing;
using namespace std::chrono_literals;

struct Memory {
  double rss_mb = 0, peak_mb = 0;
  double anon_mb = 0;  // private memory (heap, stacks); the rest of RSS is shared library pages
  double pss_mb = 0;   // proportional set size: shared pages divided among the processes mapping them
};

Memory memory_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  Memory memory;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) memory.rss_mb = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("VmHWM:", 0) == 0) memory.peak_mb = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("RssAnon:", 0) == 0) memory.anon_mb = std::stod(line.substr(8)) / 1024.0;
  }
  std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
  for (std::string line; std::getline(rollup, line);)
    if (line.rfind("Pss:", 0) == 0) memory.pss_mb = std::stod(line.substr(4)) / 1024.0;
  return memory;
}

double children_rss_mb(pid_t parent) {
  double total = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(parent) + "/task")) {
    std::ifstream in(task.path() / "children");
    for (pid_t pid = 0; in >> pid;) total += memory_of(pid).rss_mb;
  }
  return total;
}

double one_decimal(double value) {
  return std::round(value * 10) / 10;
}

bool plugin_built(const std::string& type) {
  return !t::missing_plugin(type);
}

// A fake w1 sysfs tree with one DS18B20 in the kernel's format.
std::string fake_w1_tree(const t::TempDir& dir) {
  const std::string devices = dir.file("w1/devices");
  std::filesystem::create_directories(devices + "/28-0316a2793aff");
  std::ofstream(devices + "/28-0316a2793aff/w1_slave") << "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
                                                          "72 01 4b 46 7f ff 0e 10 57 t=23125\n";
  return devices;
}

std::string device_plugins(int p1_port, int modbus_port, const std::string& w1_devices, int gpsd_port) {
  std::ostringstream body;
  body << "[[plugin]]\nid = \"meter\"\ntype = \"meter-dsmr\"\nsource = \"tcp\"\nhost = \"127.0.0.1\"\n"
       << "port = " << p1_port << "\nreconnect_ms = 1000\n\n"
       << "[[plugin]]\nid = \"hybrid\"\ntype = \"sunspec\"\nhost = \"127.0.0.1\"\nport = " << modbus_port
       << "\nunit = 1\npoll_s = 1\n\n"
       << "[[plugin]]\nid = \"supply\"\ntype = \"relay\"\nbackend = \"mqtt\"\ndefault_state = \"on\"\n"
       << "command_topic = \"cmnd/plug/POWER\"\nstate_topic = \"stat/plug/POWER\"\n\n"
       << "[[plugin]]\nid = \"dishwasher-plug\"\ntype = \"relay\"\nbackend = \"mqtt\"\nrole = \"appliance\"\n"
       << "default_state = \"off\"\n"
       << "command_topic = \"cmnd/dishwasher/POWER\"\nstate_topic = \"stat/dishwasher/POWER\"\n\n"
       << "[[plugin]]\nid = \"indoor\"\ntype = \"w1-temperature\"\nrole = \"indoor\"\ndevices_dir = \""
       << w1_devices << "\"\ninterval_s = 2\n\n"
       << "[[plugin]]\nid = \"gps\"\ntype = \"gps\"\nhost = \"127.0.0.1\"\nport = " << gpsd_port << "\n\n";
  if (plugin_built("climate"))  // driving plugins/climate/test/ac_unit.py's topics
    body << "[[plugin]]\nid = \"ac\"\ntype = \"climate\"\nmode_command_topic = \"ac/mode/set\"\n"
         << "mode_state_topic = \"ac/mode/state\"\ntemperature_command_topic = \"ac/temperature/set\"\n"
         << "temperature_state_topic = \"ac/temperature/state\"\n"
         << "current_temperature_topic = \"ac/current_temperature\"\naction_topic = \"ac/action\"\n"
         << "power_topic = \"ac/power\"\navailability_topic = \"ac/availability\"\n\n";
  if (plugin_built("mqtt-temperature"))
    body << "[[plugin]]\nid = \"outdoor\"\ntype = \"mqtt-temperature\"\nrole = \"outdoor\"\n"
         << "state_topic = \"esphome/garden/sensor/temperature/state\"\n\n";
  if (plugin_built("flexible-load"))
    body << "[[plugin]]\nid = \"dishwasher\"\ntype = \"flexible-load\"\nswitch = \"dishwasher-plug\"\n"
         << "rated_power_w = 2000\nrun_s = 5400\nrecurrence = \"daily\"\nearliest = \"20:00\"\n"
         << "deadline = \"07:00\"\n\n";
  return body.str();
}

std::vector<std::string> loaded_types(const std::string& body) {
  std::vector<std::string> types;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("type = \"", 0) == 0) types.push_back(line.substr(8, line.size() - 9));
  return types;
}

nlohmann::json measure(const std::string& body, std::chrono::seconds settle) {
  const t::TempDir dir;
  const int port = t::free_port();
  const std::string data_dir = dir.file("data");
  t::HubProcess hub(t::write_config(dir.path(), port, body), data_dir);
  // The hub is up when its broker accepts the observer; then every plugin has started.
  if (!t::connect_account(data_dir, port, "observer", "observer-bench-rss", 30000))
    throw std::runtime_error("the hub did not come up:\n" + hub.log());
  // The appliances join the hub's broker as the relay README says (the admin account; the relay's topics are
  // granted to the relay from its config).
  std::vector<std::unique_ptr<t::PeerProcess>> plugs;
  if (body.find("type = \"relay\"") != std::string::npos) {
    const std::string admin = t::accounts(data_dir).at("admin").get<std::string>();
    for (const char* name : {"plug", "dishwasher"})
      plugs.push_back(std::make_unique<t::PeerProcess>(std::vector<std::string>{
          "/usr/bin/python3", t::source_dir() + "/tests/integration/peers/mqtt_plug.py", "--port",
          std::to_string(port), "--username", "admin", "--password", admin, "--name", name, "--state",
          "OFF"}));
    if (body.find("type = \"climate\"") != std::string::npos)
      plugs.push_back(std::make_unique<t::PeerProcess>(std::vector<std::string>{
          "/usr/bin/python3", t::source_dir() + "/plugins/climate/test/ac_unit.py", "--port",
          std::to_string(port), "--username", "admin", "--password", admin, "--name", "ac"}));
  }
  std::this_thread::sleep_for(settle);
  if (!hub.running()) throw std::runtime_error("the hub exited:\n" + hub.log());
  const Memory memory = memory_of(hub.pid());
  const double broker = children_rss_mb(hub.pid());
  hub.terminate();
  return {{"hub_rss_mb", one_decimal(memory.rss_mb)},
          {"hub_peak_rss_mb", one_decimal(memory.peak_mb)},
          {"hub_anon_mb", one_decimal(memory.anon_mb)},
          {"hub_pss_mb", one_decimal(memory.pss_mb)},
          {"broker_rss_mb", one_decimal(broker)}};
}

}  // namespace

int main() {
  try {
    for (const char* type : {"meter-dsmr", "sunspec", "relay", "w1-temperature", "gps"})
      if (const auto missing = t::missing_plugin(type)) throw std::runtime_error(*missing);
    if (const auto missing = t::missing_hub()) throw std::runtime_error(*missing);
    const std::string peers = t::source_dir() + "/tests/integration/peers/";
    t::PeerProcess p1({"/usr/bin/python3", peers + "dsmr_replay.py", "--port", "0", "--interval-ms", "1000",
                       t::testdata("dsmr/ndokter_telegram_v5.txt")});
    t::SunSpecSimulatorOptions simulated;
    simulated.device = "hybrid_battery.json";
    t::SunSpecSimulator inverter(simulated);
    const t::TempDir w1;
    const std::string body = device_plugins(p1.port(), inverter.port(), fake_w1_tree(w1), t::free_port());

    const auto settle = 10s;
    const nlohmann::json bare = measure("", settle);
    const nlohmann::json devices = measure(body, settle);
    const double delta = devices["hub_rss_mb"].get<double>() - bare["hub_rss_mb"].get<double>();
    const nlohmann::json out{{"benchmark", "device_rss"},
                             {"settle_s", settle.count()},
                             {"plugins", loaded_types(body)},
                             {"bare_hub", bare},
                             {"hub_with_devices", devices},
                             {"devices_add_mb", one_decimal(delta)},
                             {"aim_mb", 20},
                             {"under_aim", devices["hub_rss_mb"].get<double>() < 20.0}};
    std::cout << out.dump(2) << std::endl;
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "bench_device_rss: " << error.what() << std::endl;
    return 1;
  }
}
