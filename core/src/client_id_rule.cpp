#include "client_id_rule.hpp"

namespace hepek::core {

bool client_id_under(std::string_view username, std::string_view client_id) {
  if (username.empty() || client_id.substr(0, username.size()) != username) return false;
  return client_id.size() == username.size() || client_id[username.size()] == '-';
}

std::string_view client_id_owner(std::string_view client_id, const std::vector<std::string>& accounts) {
  std::string_view owner;
  for (const std::string& account : accounts)
    if (account.size() > owner.size() && client_id_under(account, client_id)) owner = account;
  return owner;
}

bool client_id_allowed(std::string_view username, std::string_view client_id,
                       const std::vector<std::string>& accounts) {
  // Any owner other than `username` that the id is also under is longer than it, since both are prefixes.
  return client_id_under(username, client_id) &&
         client_id_owner(client_id, accounts).size() <= username.size();
}

std::string session_client_id(std::string_view username, std::string_view session) {
  if (username.empty()) return "hepek-" + std::string(session);
  if (session == username) return std::string(session);
  return std::string(username) + "-" + std::string(session);
}

}  // namespace hepek::core
