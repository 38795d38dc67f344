// ERGON-specific test fixtures: deployment of the three contracts, EIP-2612 permits and EIP-712 balance proofs signed
// by anvil dev accounts, and an independent (JavaScript) computation of the balance-proof digest.
'use strict';

const { rpc, keccak, keccakText, word, strip0x, encodeParams, Contract, signTypedData, splitSignature } =
  require('./chain.js');

const ERGON = 10n ** 18n; // base units per token (18 decimals)
const CHALLENGE_PERIOD_SECONDS = 3600n;

const BALANCE_PROOF_TYPES = {
  EIP712Domain: [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ],
  BalanceProof: [
    { name: 'channelId', type: 'bytes32' },
    { name: 'cumulativeAmount', type: 'uint256' },
    { name: 'cumulativeImportWh', type: 'uint256' },
    { name: 'cycle', type: 'uint64' },
  ],
};

const PERMIT_TYPES = {
  EIP712Domain: BALANCE_PROOF_TYPES.EIP712Domain,
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
};

async function chainId() {
  return BigInt(await rpc('eth_chainId'));
}

async function latestTimestamp() {
  const block = await rpc('eth_getBlockByNumber', ['latest', false]);
  return BigInt(block.timestamp);
}

/** Deploys Registry, ErgonToken and PaymentChannel with `operator` as admin, minter and channel operator. */
async function deployErgon(operator) {
  const registry = await Contract.deploy('Registry', operator, [operator, operator]);
  const token = await Contract.deploy('ErgonToken', operator, [operator, operator]);
  const channel = await Contract.deploy('PaymentChannel', operator, [
    token.address,
    registry.address,
    operator,
    CHALLENGE_PERIOD_SECONDS,
  ]);
  return { registry, token, channel };
}

/** An EIP-2612 permit signed by `owner` for `spender`, split into the (v, r, s) the contracts take. */
async function signPermit(token, owner, spender, value, deadline) {
  const nonce = await token.call('nonces', [owner]);
  const signature = await signTypedData(owner, {
    types: PERMIT_TYPES,
    primaryType: 'Permit',
    domain: { name: 'ERGON', version: '1', chainId: Number(await chainId()), verifyingContract: token.address },
    message: { owner, spender, value: value.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
  });
  return splitSignature(signature);
}

/**
 * A balance proof signed by `signer`. `domain` overrides let tests sign for another contract or chain.
 * Returns {channelId, cumulativeAmount, cumulativeImportWh, cycle, signature} plus `args` for the contract calls.
 */
async function signBalanceProof(channelContract, signer, proof, domain = {}) {
  const fullDomain = {
    name: 'ERGON PaymentChannel',
    version: '1',
    chainId: Number(await chainId()),
    verifyingContract: channelContract.address,
    ...domain,
  };
  const signature = await signTypedData(signer, {
    types: BALANCE_PROOF_TYPES,
    primaryType: 'BalanceProof',
    domain: fullDomain,
    message: {
      channelId: proof.channelId,
      cumulativeAmount: proof.cumulativeAmount.toString(),
      cumulativeImportWh: proof.cumulativeImportWh.toString(),
      cycle: proof.cycle.toString(),
    },
  });
  return withArgs({ ...proof, signature });
}

function withArgs(proof) {
  return {
    ...proof,
    args: [proof.channelId, proof.cumulativeAmount, proof.cumulativeImportWh, proof.cycle, proof.signature],
  };
}

/** The EIP-712 digest of a balance proof computed here, independently of the contract (keccak from the node). */
async function balanceProofDigest(channelAddress, chain, proof) {
  const domainType =
    'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)';
  const proofType =
    'BalanceProof(bytes32 channelId,uint256 cumulativeAmount,uint256 cumulativeImportWh,uint64 cycle)';
  const domainSeparator = await keccak(
    word(await keccakText(domainType)) +
      word(await keccakText('ERGON PaymentChannel')) +
      word(await keccakText('1')) +
      encodeParams([{ type: 'uint256' }, { type: 'address' }], [chain, channelAddress]),
  );
  const structHash = await keccak(
    word(await keccakText(proofType)) +
      encodeParams(
        [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint64' }],
        [proof.channelId, proof.cumulativeAmount, proof.cumulativeImportWh, proof.cycle],
      ),
  );
  return keccak(`1901${strip0x(domainSeparator)}${strip0x(structHash)}`);
}

/** Price of `wattHours` at `baseUnitsPerKWh`, rounded up to the base unit (as the member prices each cycle). */
const priceOf = (wattHours, baseUnitsPerKWh) => (wattHours * baseUnitsPerKWh + 999n) / 1000n;

async function increaseTime(seconds) {
  await rpc('evm_increaseTime', [Number(seconds)]);
  await rpc('evm_mine', []);
}

module.exports = {
  ERGON,
  CHALLENGE_PERIOD_SECONDS,
  chainId,
  latestTimestamp,
  deployErgon,
  signPermit,
  signBalanceProof,
  withArgs,
  balanceProofDigest,
  priceOf,
  increaseTime,
};
