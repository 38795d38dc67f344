// The operator's durable state (SQLite, synchronous=FULL): deployment, payments, and every accepted proof,
// stored before it is acknowledged.
//
// Contract: a payment is inserted (status "approved") before minting and marked "minted" with the transaction
// hash after; a request id seen before returns the stored record (no second charge, no second mint).
// accept_proof() inserts the proof and moves the channel's latest in one transaction.
#pragma once

#include <optional>
#include <string>

#include "money_db.hpp"
#include "proof_verifier.hpp"

namespace hepek::ergon {

struct PaymentRecord {
  std::string request_id;
  std::string device_id;
  std::string to;
  std::string amount;  // base units, decimal
  std::string method;  // masked
  std::string status;  // approved, minted, declined
  std::string reason;
  std::string tx;
};

class OperatorStore {
 public:
  explicit OperatorStore(const std::string& path);

  std::string meta(const std::string& key, const std::string& fallback = {}) {
    return meta_get(*db_, key, fallback);
  }
  void set_meta(const std::string& key, const std::string& value) { meta_set(*db_, key, value); }

  std::optional<PaymentRecord> payment(const std::string& request_id);
  void insert_payment(const PaymentRecord& record);
  void mark_minted(const std::string& request_id, const std::string& tx);

  std::optional<AcceptedProof> latest_proof(const eth::Bytes32& channel_id);
  void accept_proof(const std::string& device_id, const SignedProof& proof, std::int64_t received_ms);
  std::uint64_t proof_count(const eth::Bytes32& channel_id);
  void set_channel_status(const eth::Bytes32& channel_id, const std::string& status);
  std::string channel_status(const eth::Bytes32& channel_id);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace hepek::ergon
