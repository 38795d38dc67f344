// Integration: the client against a real anvil node (npm @foundry-rs/anvil-linux-amd64). Signs and sends an
// EIP-1559 transfer, a legacy EIP-155 transfer and a contract creation from anvil's first dev account, waits
// for receipts and checks balances to the wei. Fails when the anvil binary is not installed (npm ci).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "hepek/eth/abi.hpp"
#include "hepek/eth/keccak.hpp"
#include "hepek/eth/keys.hpp"
#include "hepek/eth/rpc.hpp"
#include "hepek/eth/transaction.hpp"
#include "hepek/eth/tx_sender.hpp"
#include "hepek/eth/typed_messages.hpp"
#include "test_support.hpp"

namespace hepek::eth {
namespace {

constexpr const char* kDevKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

class Anvil : public ::testing::Test {
 protected:
  void SetUp() override {
    HEPEK_REQUIRE_ANVIL();
    anvil_ = std::make_unique<hepek::testing::AnvilProcess>();
    url_ = anvil_->url();
  }

  // Completes the transaction from the node (nonce, fees, gas), signs it with `key`, sends it and waits for
  // success.
  Receipt send(RpcClient& rpc, const PrivateKey& key, const Transaction& tx) {
    TransactionRequest request;
    request.type = tx.type;
    request.to = tx.to;
    request.value = tx.value;
    request.data = tx.data;
    request.access_list = tx.access_list;
    const SentTransaction sent = send_transaction(rpc, key, request, std::chrono::seconds(20));
    EXPECT_EQ(sent.receipt.transaction_hash, sent.signed_transaction.hash());
    return sent.receipt;
  }

  std::unique_ptr<hepek::testing::AnvilProcess> anvil_;  // the test kit's anvil (tests/support)
  std::string url_;
};

TEST_F(Anvil, Eip1559AndLegacyTransfersSettleToTheWei) {
  RpcClient rpc(url_);
  EXPECT_EQ(rpc.chain_id(), 31337u);
  const PrivateKey dev = PrivateKey::from_hex(kDevKey);
  const Address recipient = Address::parse("0x1000000000000000000000000000000000000001");
  const uint256 start = rpc.balance(dev.address());
  EXPECT_EQ(start, parse_units("10000", 18));

  Transaction transfer;
  transfer.type = 2;
  transfer.to = recipient;
  transfer.value = parse_units("1.5", 18);
  const Receipt first = send(rpc, dev, transfer);
  EXPECT_EQ(first.gas_used, 21000u);
  EXPECT_EQ(rpc.balance(recipient), parse_units("1.5", 18));
  const uint256 after_first = checked_sub(start, transfer.value + first.gas_used * first.effective_gas_price);
  EXPECT_EQ(rpc.balance(dev.address()), after_first);

  Transaction legacy;
  legacy.type = 0;
  legacy.to = recipient;
  legacy.value = parse_units("0.25", 18);
  const Receipt second = send(rpc, dev, legacy);
  EXPECT_TRUE(second.status);
  EXPECT_EQ(rpc.balance(recipient), parse_units("1.75", 18));
  EXPECT_EQ(rpc.balance(dev.address()),
            checked_sub(after_first, legacy.value + second.gas_used * second.effective_gas_price));
  EXPECT_EQ(rpc.pending_nonce(dev.address()), 2u);
}

TEST_F(Anvil, ContractCreationCallAndLogs) {
  RpcClient rpc(url_);
  const PrivateKey dev = PrivateKey::from_hex(kDevKey);
  // Init code: LOG1(topic = keccak("Deployed()")), then return a runtime that answers every call with the
  // word 42.
  const Bytes32 topic = event_topic("Deployed()");
  const Bytes init = from_hex("7f" + to_hex(topic, false) + "60006000a1" + "69602a60005260206000f3" +
                              "600052" + "600a6016f3");
  Transaction create;
  create.type = 2;
  create.data = init;
  const std::uint64_t nonce = rpc.pending_nonce(dev.address());
  const Receipt receipt = send(rpc, dev, create);
  ASSERT_TRUE(receipt.contract_address.has_value());
  EXPECT_EQ(*receipt.contract_address, contract_address(dev.address(), nonce));
  ASSERT_EQ(receipt.logs.size(), 1u);
  EXPECT_NO_THROW(decode_log("Deployed()", receipt.logs[0]));

  const Bytes answer =
      rpc.eth_call({std::nullopt, receipt.contract_address, encode_call("anything()", {}), 0, {}});
  EXPECT_EQ(abi_decode(AbiType::parse_list("uint256"), answer)[0].as_uint(), 42);

  const auto logs = rpc.get_logs({receipt.contract_address, {topic}, 0, std::nullopt});
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].transaction_hash, receipt.transaction_hash);
  EXPECT_TRUE(rpc.get_logs({receipt.contract_address, {keccak256_text("Other()")}, 0, std::nullopt}).empty());
}

TEST_F(Anvil, NodeErrorsAndTestNodeControls) {
  RpcClient rpc(url_);
  const PrivateKey dev = PrivateKey::from_hex(kDevKey);
  // A transaction with a stale nonce is refused by the node with its own message.
  Transaction tx;
  tx.type = 2;
  tx.chain_id = 31337;
  tx.nonce = 0;
  tx.to = dev.address();
  tx.gas_limit = 21000;
  tx.max_fee_per_gas = parse_units("100", 9);
  tx.max_priority_fee_per_gas = 1;
  const Receipt first = send(rpc, dev, tx);  // nonce 0 used
  EXPECT_TRUE(first.status);
  try {
    rpc.send_raw_transaction(sign_transaction(tx, dev).raw());  // nonce 0 again
    FAIL() << "stale nonce accepted";
  } catch (const RpcError& error) {
    EXPECT_NE(std::string(error.what()).find("eth_sendRawTransaction"), std::string::npos) << error.what();
  }
  // Wrong chain id: refused.
  Transaction other_chain = tx;
  other_chain.chain_id = 1;
  other_chain.nonce = 1;
  EXPECT_THROW(rpc.send_raw_transaction(sign_transaction(other_chain, dev).raw()), RpcError);

  // Estimation refuses a creation whose init code hits INVALID; with a fixed gas limit it is mined and
  // reverts.
  TransactionRequest failing;
  failing.data = from_hex("0xfe");
  EXPECT_THROW(send_transaction(rpc, dev, failing), RpcError);
  failing.gas_limit = 100000;
  try {
    send_transaction(rpc, dev, failing, std::chrono::seconds(20));
    FAIL() << "reverted transaction reported as success";
  } catch (const RpcError& error) {
    EXPECT_NE(std::string(error.what()).find("reverted"), std::string::npos) << error.what();
  }
  // A signer holding another key is caught before anything is sent.
  const PrivateKey stranger = PrivateKey::generate();
  TransactionRequest transfer;
  transfer.to = stranger.address();
  EXPECT_THROW(
      send_transaction(
          rpc, dev.address(), [&](const Bytes32& digest) { return stranger.sign(digest); }, transfer),
      std::invalid_argument);

  const Address fresh = PrivateKey::generate().address();
  rpc.set_balance(fresh, parse_units("3", 18));
  EXPECT_EQ(rpc.balance(fresh), parse_units("3", 18));

  const auto block_time = [&] {
    return static_cast<std::uint64_t>(
        parse_quantity(rpc.call("eth_getBlockByNumber", {"latest", false})["timestamp"], "timestamp"));
  };
  const std::uint64_t target = block_time() + 86400;
  rpc.set_next_block_timestamp(target);
  rpc.mine();
  EXPECT_EQ(block_time(), target);
  rpc.increase_time(3600);
  rpc.mine();
  EXPECT_GE(block_time(), target + 3600);
  EXPECT_EQ(rpc.block_hash(0).size(), 66u);
  EXPECT_THROW(rpc.call("no_such_method"), RpcError);
}

}  // namespace
}  // namespace hepek::eth

// ---- The ERGON contracts check our EIP-712 hashing and signatures with their own code (eth_call).
// ----------------

namespace hepek::eth {
namespace {

// Contract artifacts from the build (target ergon_contracts → $HEPEK_BINARY_DIR/contracts), else compiled
// here with the pinned solc-js so the check never silently disappears.
std::filesystem::path contract_artifacts() {
  if (const char* binary = std::getenv("HEPEK_BINARY_DIR")) {
    const auto built = std::filesystem::path(binary) / "contracts";
    if (std::filesystem::exists(built / "PaymentChannel.json")) return built;
  }
  const auto compiled = std::filesystem::path(::testing::TempDir()) / "hepek_eth_contracts";
  const char* source = std::getenv("HEPEK_SOURCE_DIR");
  const std::string script = std::string(source ? source : ".") + "/plugins/ergon/contracts/compile.js";
  const std::string command = "node '" + script + "' '" + compiled.string() + "' >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot compile the contracts: " + command);
  return compiled;
}

Bytes bytecode_of(const std::filesystem::path& dir, const std::string& name) {
  std::ifstream file(dir / (name + ".json"));
  if (!file) throw std::runtime_error("missing artifact " + (dir / (name + ".json")).string());
  return from_hex(nlohmann::json::parse(file).at("bytecode").get<std::string>(), name + ".bytecode");
}

class AnvilContracts : public Anvil {
 protected:
  Address deploy(RpcClient& rpc, const PrivateKey& key, const Bytes& code,
                 const std::string& constructor_types, const std::vector<AbiValue>& args) {
    Transaction tx;
    tx.type = 2;
    tx.data = code;
    const Bytes encoded = abi_encode(AbiType::parse_list(constructor_types), args);
    tx.data.insert(tx.data.end(), encoded.begin(), encoded.end());
    const Receipt receipt = send(rpc, key, tx);
    if (!receipt.contract_address) throw std::runtime_error("deployment without a contract address");
    return *receipt.contract_address;
  }

  std::vector<AbiValue> view(RpcClient& rpc, const Address& contract, const std::string& signature,
                             const std::vector<AbiValue>& args, const std::string& returns) {
    const Bytes result = rpc.eth_call({std::nullopt, contract, encode_call(signature, args), 0, {}});
    return abi_decode(AbiType::parse_list(returns), result);
  }
};

TEST_F(AnvilContracts, BalanceProofAndPermitHashingMatchTheContracts) {
  const auto artifacts = contract_artifacts();
  RpcClient rpc(url_);
  const PrivateKey dev = PrivateKey::from_hex(kDevKey);
  const Address registry = deploy(rpc, dev, bytecode_of(artifacts, "Registry"), "address,address",
                                  {AbiValue::address(dev.address()), AbiValue::address(dev.address())});
  const Address token = deploy(rpc, dev, bytecode_of(artifacts, "ErgonToken"), "address,address",
                               {AbiValue::address(dev.address()), AbiValue::address(dev.address())});
  const Address channel =
      deploy(rpc, dev, bytecode_of(artifacts, "PaymentChannel"), "address,address,address,uint64",
             {AbiValue::address(token), AbiValue::address(registry), AbiValue::address(dev.address()),
              AbiValue::uint(3600)});

  const Bytes32 separator = domain_separator({"ERGON PaymentChannel", "1", 31337, channel});
  EXPECT_EQ(view(rpc, channel, "domainSeparator()", {}, "bytes32")[0].as_bytes32(), separator);

  const PrivateKey device =
      PrivateKey::from_hex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5; ++i) {
    BalanceProof proof;
    proof.channel_id = keccak256_text("channel " + std::to_string(i));
    proof.cumulative_amount = (uint256(rng()) << 64 | rng()) * (i + 1);
    proof.cumulative_import_wh = rng() % 10'000'000;
    proof.cycle = i == 4 ? std::numeric_limits<std::uint64_t>::max() : rng() % 100'000;
    const std::vector<AbiValue> fields = {
        AbiValue::bytes32(proof.channel_id), AbiValue::uint(proof.cumulative_amount),
        AbiValue::uint(proof.cumulative_import_wh), AbiValue::uint(proof.cycle)};
    const Bytes32 on_chain =
        view(rpc, channel, "hashBalanceProof(bytes32,uint256,uint256,uint64)", fields, "bytes32")[0]
            .as_bytes32();
    EXPECT_EQ(on_chain, proof.digest(separator)) << "proof " << i;

    const Signature signature = device.sign(proof.digest(separator));
    auto with_signature = [&](ByteView bytes) {
      std::vector<AbiValue> args = fields;
      args.push_back(AbiValue::bytes(Bytes(bytes.begin(), bytes.end())));
      return args;
    };
    const auto signer = view(rpc, channel, "recoverBalanceProofSigner(bytes32,uint256,uint256,uint64,bytes)",
                             with_signature(signature.to_bytes_v27()), "address");
    EXPECT_EQ(signer[0].as_address(), device.address());
    // The contract agrees with us that the malleable high-s twin is not a valid signature.
    Signature twin = signature;
    twin.s = to_be32(from_be(curve_order()) - from_be(signature.s));
    twin.v ^= 1;
    EXPECT_THROW(view(rpc, channel, "recoverBalanceProofSigner(bytes32,uint256,uint256,uint64,bytes)",
                      with_signature(twin.to_bytes_v27()), "address"),
                 RpcError);
  }

  // EIP-2612 permit signed here, submitted on chain by another account, accepted by OpenZeppelin's
  // ERC20Permit.
  const Bytes32 token_separator = domain_separator({"ERGON", "1", 31337, token});
  EXPECT_EQ(view(rpc, token, "DOMAIN_SEPARATOR()", {}, "bytes32")[0].as_bytes32(), token_separator);
  Permit permit{device.address(), channel, parse_units("250.5", 18), 0, 4'000'000'000u};
  const Signature permit_signature = device.sign(permit.digest(token_separator));
  Transaction submit;
  submit.type = 2;
  submit.to = token;
  submit.data = encode_call(
      "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
      {AbiValue::address(permit.owner), AbiValue::address(permit.spender), AbiValue::uint(permit.value),
       AbiValue::uint(permit.deadline), AbiValue::uint(permit_signature.v + 27),
       AbiValue::bytes32(permit_signature.r), AbiValue::bytes32(permit_signature.s)});
  send(rpc, dev, submit);
  EXPECT_EQ(view(rpc, token, "allowance(address,address)",
                 {AbiValue::address(device.address()), AbiValue::address(channel)}, "uint256")[0]
                .as_uint(),
            permit.value);
  EXPECT_EQ(
      view(rpc, token, "nonces(address)", {AbiValue::address(device.address())}, "uint256")[0].as_uint(), 1);
}

}  // namespace
}  // namespace hepek::eth
