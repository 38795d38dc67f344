#include "member_store.hpp"

namespace hepek::ergon {
namespace {
const std::vector<std::string> kMigrations = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE proofs (channel_id TEXT NOT NULL, cycle INTEGER NOT NULL, cumulative_amount TEXT NOT NULL,"
    " cumulative_import_wh TEXT NOT NULL, signature TEXT NOT NULL, acked INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (channel_id, cycle));"
    "CREATE TABLE channel_txs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, tx TEXT NOT NULL, gas INTEGER NOT "
    "NULL);"};
}  // namespace

MemberStore::MemberStore(const std::string& path) : db_(open_money_db(path, kMigrations)) {}

void MemberStore::save_signed(const SignedProof& p, const std::string& billed_meter_wh,
                              std::int64_t cycle_end_ms) {
  SQLite::Transaction transaction(*db_);
  SQLite::Statement insert(
      *db_,
      "INSERT INTO proofs(channel_id, cycle, cumulative_amount, cumulative_import_wh, signature) "
      "VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, eth::to_hex(p.proof.channel_id));
  insert.bind(2, static_cast<int64_t>(p.proof.cycle));
  insert.bind(3, eth::to_decimal(p.proof.cumulative_amount));
  insert.bind(4, eth::to_decimal(p.proof.cumulative_import_wh));
  insert.bind(5, eth::to_hex(p.signature));
  insert.exec();
  meta_set(*db_, "billed_meter_wh", billed_meter_wh);
  meta_set(*db_, "cycle_end_ms", std::to_string(cycle_end_ms));
  transaction.commit();
}

void MemberStore::mark_acked(const eth::Bytes32& channel_id, std::uint64_t cycle) {
  SQLite::Statement update(*db_, "UPDATE proofs SET acked = 1 WHERE channel_id = ? AND cycle <= ?");
  update.bind(1, eth::to_hex(channel_id));
  update.bind(2, static_cast<int64_t>(cycle));
  update.exec();
}

std::optional<StoredProof> MemberStore::latest(const eth::Bytes32& channel_id) {
  SQLite::Statement query(
      *db_,
      "SELECT cycle, cumulative_amount, cumulative_import_wh, signature, acked FROM proofs "
      "WHERE channel_id = ? ORDER BY cycle DESC LIMIT 1");
  query.bind(1, eth::to_hex(channel_id));
  if (!query.executeStep()) return std::nullopt;
  StoredProof out;
  out.signed_proof.proof.channel_id = channel_id;
  out.signed_proof.proof.cycle = static_cast<std::uint64_t>(query.getColumn(0).getInt64());
  out.signed_proof.proof.cumulative_amount = eth::parse_uint256(query.getColumn(1).getString());
  out.signed_proof.proof.cumulative_import_wh = eth::parse_uint256(query.getColumn(2).getString());
  out.signed_proof.signature = eth::from_hex(query.getColumn(3).getString());
  out.acked = query.getColumn(4).getInt() != 0;
  return out;
}

std::uint64_t MemberStore::proof_count() {
  return static_cast<std::uint64_t>(db_->execAndGet("SELECT COUNT(*) FROM proofs").getInt64());
}

void MemberStore::record_channel_tx(const std::string& kind, const eth::Receipt& receipt) {
  SQLite::Statement insert(*db_, "INSERT INTO channel_txs(kind, tx, gas) VALUES(?, ?, ?)");
  insert.bind(1, kind);
  insert.bind(2, eth::to_hex(receipt.transaction_hash));
  insert.bind(3, static_cast<int64_t>(receipt.gas_used));
  insert.exec();
}

std::uint64_t MemberStore::channel_tx_count() {
  return static_cast<std::uint64_t>(
      db_->execAndGet("SELECT COUNT(*) FROM channel_txs WHERE kind IN ('open','top-up','close')").getInt64());
}

std::uint64_t MemberStore::channel_tx_gas() {
  return static_cast<std::uint64_t>(
      db_->execAndGet("SELECT COALESCE(SUM(gas), 0) FROM channel_txs").getInt64());
}

}  // namespace hepek::ergon
