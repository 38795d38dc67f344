// The embedded Mosquitto broker: its generated files and a supervised child process.
//
// Contract: prepare() writes mosquitto.conf, a hashed password file and an ACL file into the broker directory (inside
// the 0700 data dir), and loads the client-id plugin (core/broker-plugin: an account may use only client ids under
// its username, client_id_rule.hpp); it throws when that plugin file is missing, and the broker refuses to start
// when it cannot load it. start() refuses a port already in use with a message suggesting an external broker, spawns
// mosquitto, and returns once it accepts connections (or throws with the broker's own log lines). A supervisor thread
// restarts a broker that dies, with backoff, until stop(). Not copyable; start/stop from one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acl.hpp"
#include "supervised_process.hpp"

namespace hepek::core {

struct BrokerAccount {
  std::string username;
  std::string password;
};

// Generated credentials, kept in <broker dir>/accounts.json (0600) so external tools keep working across restarts.
class AccountStore {
 public:
  explicit AccountStore(std::string path);
  BrokerAccount get_or_create(const std::string& username);
  void save() const;
  bool has(const std::string& username) const { return accounts_.count(username) > 0; }

 private:
  std::string path_;
  std::map<std::string, std::string> accounts_;
};

std::string random_token(std::size_t bytes);

class BrokerSupervisor {
 public:
  // plugin_path: the client-id plugin, normally builtin_broker_plugin().
  BrokerSupervisor(std::string directory, std::string bind_address, int port, std::string plugin_path);
  ~BrokerSupervisor();

  void prepare(const std::vector<AccountAcl>& acls, AccountStore& accounts);
  void start();
  void stop();
  int restarts() const { return process_ ? process_->restarts() : 0; }
  bool running() const { return process_ && process_->running(); }

 private:
  std::string directory_;
  std::string bind_address_;
  int port_;
  std::string plugin_path_;
  std::unique_ptr<SupervisedProcess> process_;
};

// The client-id plugin shipped with this binary: <installation prefix>/lib/hepek/broker/hepek_clientid_auth.so.
std::string builtin_broker_plugin();

// True when something accepts TCP connections at host:port.
bool port_accepts(const std::string& host, int port);
// True when host:port cannot be bound (already in use).
bool port_in_use(const std::string& host, int port);

}  // namespace hepek::core
