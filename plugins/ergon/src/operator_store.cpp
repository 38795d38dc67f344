#include "operator_store.hpp"

namespace hepek::ergon {
namespace {
const std::vector<std::string> kMigrations = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE payments (request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, recipient TEXT NOT NULL,"
    " amount TEXT NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, tx TEXT NOT "
    "NULL);"
    "CREATE TABLE proofs (channel_id TEXT NOT NULL, cycle INTEGER NOT NULL, device_id TEXT NOT NULL,"
    " cumulative_amount TEXT NOT NULL, cumulative_import_wh TEXT NOT NULL, signature TEXT NOT NULL,"
    " received_ms INTEGER NOT NULL, PRIMARY KEY (channel_id, cycle));"
    "CREATE TABLE channels (channel_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, latest_cycle INTEGER NOT "
    "NULL,"
    " status TEXT NOT NULL DEFAULT 'open');"};
}  // namespace

OperatorStore::OperatorStore(const std::string& path) : db_(open_money_db(path, kMigrations)) {}

std::optional<PaymentRecord> OperatorStore::payment(const std::string& request_id) {
  SQLite::Statement q(
      *db_,
      "SELECT device_id, recipient, amount, method, status, reason, tx FROM payments WHERE request_id = ?");
  q.bind(1, request_id);
  if (!q.executeStep()) return std::nullopt;
  return PaymentRecord{request_id,
                       q.getColumn(0).getString(),
                       q.getColumn(1).getString(),
                       q.getColumn(2).getString(),
                       q.getColumn(3).getString(),
                       q.getColumn(4).getString(),
                       q.getColumn(5).getString(),
                       q.getColumn(6).getString()};
}

void OperatorStore::insert_payment(const PaymentRecord& r) {
  SQLite::Statement s(*db_, "INSERT INTO payments VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  int i = 1;
  for (const auto* v :
       {&r.request_id, &r.device_id, &r.to, &r.amount, &r.method, &r.status, &r.reason, &r.tx})
    s.bind(i++, *v);
  s.exec();
}

void OperatorStore::mark_minted(const std::string& request_id, const std::string& tx) {
  SQLite::Statement s(*db_, "UPDATE payments SET status = 'minted', tx = ? WHERE request_id = ?");
  s.bind(1, tx);
  s.bind(2, request_id);
  s.exec();
}

std::optional<AcceptedProof> OperatorStore::latest_proof(const eth::Bytes32& channel_id) {
  SQLite::Statement q(
      *db_,
      "SELECT p.cycle, p.cumulative_amount, p.cumulative_import_wh, p.signature FROM channels c JOIN "
      "proofs p ON p.channel_id = c.channel_id AND p.cycle = c.latest_cycle WHERE c.channel_id = ?");
  q.bind(1, eth::to_hex(channel_id));
  if (!q.executeStep()) return std::nullopt;
  AcceptedProof out;
  out.cycle = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
  out.cumulative_amount = eth::parse_uint256(q.getColumn(1).getString());
  out.cumulative_import_wh = eth::parse_uint256(q.getColumn(2).getString());
  out.signature = eth::from_hex(q.getColumn(3).getString());
  return out;
}

void OperatorStore::accept_proof(const std::string& device_id, const SignedProof& p,
                                 std::int64_t received_ms) {
  SQLite::Transaction transaction(*db_);
  const std::string channel = eth::to_hex(p.proof.channel_id);
  SQLite::Statement insert(*db_, "INSERT INTO proofs VALUES(?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, channel);
  insert.bind(2, static_cast<int64_t>(p.proof.cycle));
  insert.bind(3, device_id);
  insert.bind(4, eth::to_decimal(p.proof.cumulative_amount));
  insert.bind(5, eth::to_decimal(p.proof.cumulative_import_wh));
  insert.bind(6, eth::to_hex(p.signature));
  insert.bind(7, static_cast<int64_t>(received_ms));
  insert.exec();
  SQLite::Statement latest(*db_,
                           "INSERT INTO channels(channel_id, device_id, latest_cycle) VALUES(?, ?, ?) "
                           "ON CONFLICT(channel_id) DO UPDATE SET latest_cycle = excluded.latest_cycle");
  latest.bind(1, channel);
  latest.bind(2, device_id);
  latest.bind(3, static_cast<int64_t>(p.proof.cycle));
  latest.exec();
  transaction.commit();
}

std::uint64_t OperatorStore::proof_count(const eth::Bytes32& channel_id) {
  SQLite::Statement q(*db_, "SELECT COUNT(*) FROM proofs WHERE channel_id = ?");
  q.bind(1, eth::to_hex(channel_id));
  q.executeStep();
  return static_cast<std::uint64_t>(q.getColumn(0).getInt64());
}

void OperatorStore::set_channel_status(const eth::Bytes32& channel_id, const std::string& status) {
  SQLite::Statement s(*db_, "UPDATE channels SET status = ? WHERE channel_id = ?");
  s.bind(1, status);
  s.bind(2, eth::to_hex(channel_id));
  s.exec();
}

std::string OperatorStore::channel_status(const eth::Bytes32& channel_id) {
  SQLite::Statement q(*db_, "SELECT status FROM channels WHERE channel_id = ?");
  q.bind(1, eth::to_hex(channel_id));
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

}  // namespace hepek::ergon
