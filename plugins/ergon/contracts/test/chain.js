// Minimal Ethereum test client for the contract tests: JSON-RPC over fetch to a running anvil, a small ABI
// encoder/decoder for the types the ERGON contracts use, and contract wrappers built from compile.js artifacts.
// Only Node built-ins: keccak-256 comes from the node itself (web3_sha3), transactions are sent from anvil's unlocked
// dev accounts (eth_sendTransaction) and typed data is signed by anvil (eth_signTypedData_v4) with those accounts' keys.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const RPC_URL = process.env.ANVIL_RPC_URL;
const ARTIFACTS_DIR = process.env.ERGON_CONTRACTS_DIR;

// ---- JSON-RPC ------------------------------------------------------------------------------------------------------

class RpcError extends Error {
  constructor(method, error) {
    super(`${method}: ${error.message} (code ${error.code})`);
    this.code = error.code;
    this.data = typeof error.data === 'string' ? error.data : error.data?.data;
  }
}

let nextRpcId = 1;
async function rpc(method, params = []) {
  if (!RPC_URL) throw new Error('ANVIL_RPC_URL is not set; run the tests through test/run.sh');
  const response = await fetch(RPC_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextRpcId++, method, params }),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = await response.json();
  if (body.error) throw new RpcError(method, body.error);
  return body.result;
}

// ---- hex and keccak ------------------------------------------------------------------------------------------------

const strip0x = (hex) => (hex.startsWith('0x') ? hex.slice(2) : hex);
const word = (hex) => strip0x(hex).padStart(64, '0');
const utf8Hex = (text) => Buffer.from(text, 'utf8').toString('hex');

async function keccak(hex) {
  return rpc('web3_sha3', [`0x${strip0x(hex)}`]);
}
const keccakText = (text) => keccak(utf8Hex(text));

// ---- ABI -----------------------------------------------------------------------------------------------------------

function canonicalType(param) {
  if (param.type.startsWith('tuple')) {
    return `(${param.components.map(canonicalType).join(',')})${param.type.slice(5)}`;
  }
  return param.type;
}
const signatureOf = (item) => `${item.name}(${item.inputs.map(canonicalType).join(',')})`;
const isDynamic = (param) =>
  param.type === 'string' || param.type === 'bytes' || param.type.endsWith('[]') ||
  (param.type === 'tuple' && param.components.some(isDynamic));

function toBigInt(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) return BigInt(value);
  throw new Error(`not an integer: ${value}`);
}

function encodeStatic(param, value) {
  const type = param.type;
  if (type === 'address') {
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error(`not an address: ${value}`);
    return word(value.toLowerCase());
  }
  if (type === 'bool') return word(value ? '1' : '0');
  if (/^uint\d*$/.test(type)) {
    const bits = Number(type.slice(4) || 256);
    const number = toBigInt(value);
    if (number < 0n || number >= 1n << BigInt(bits)) throw new Error(`${value} does not fit ${type}`);
    return number.toString(16).padStart(64, '0');
  }
  if (/^bytes\d+$/.test(type)) {
    const size = Number(type.slice(5));
    const hex = strip0x(value);
    if (hex.length !== size * 2) throw new Error(`${value} is not ${type}`);
    return hex.padEnd(64, '0');
  }
  if (type === 'tuple') return param.components.map((c, i) => encodeStatic(c, value[i])).join('');
  throw new Error(`unsupported ABI type ${type}`);
}

function encodeDynamic(param, value) {
  if (param.type === 'bytes' || param.type === 'string') {
    const hex = param.type === 'string' ? utf8Hex(value) : strip0x(value);
    const length = (hex.length / 2).toString(16).padStart(64, '0');
    return length + hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
  }
  throw new Error(`unsupported dynamic ABI type ${param.type}`);
}

/** ABI-encodes `values` for the parameter list `params` (head/tail layout), as hex without 0x. */
function encodeParams(params, values) {
  if (params.length !== values.length) {
    throw new Error(`expected ${params.length} arguments, got ${values.length}`);
  }
  const heads = [];
  const tails = [];
  let tailOffset = params.length * 32;
  params.forEach((param, index) => {
    if (isDynamic(param)) {
      heads.push(tailOffset.toString(16).padStart(64, '0'));
      const tail = encodeDynamic(param, values[index]);
      tails.push(tail);
      tailOffset += tail.length / 2;
    } else {
      heads.push(encodeStatic(param, values[index]));
    }
  });
  return heads.join('') + tails.join('');
}

function decodeValue(param, hex, offset) {
  const at = (o) => hex.slice(o * 2, o * 2 + 64);
  const type = param.type;
  if (type === 'string' || type === 'bytes') {
    const start = Number(BigInt(`0x${at(offset)}`));
    const length = Number(BigInt(`0x${at(start)}`));
    const data = hex.slice((start + 32) * 2, (start + 32 + length) * 2);
    return type === 'string' ? Buffer.from(data, 'hex').toString('utf8') : `0x${data}`;
  }
  if (type === 'address') return `0x${at(offset).slice(24)}`;
  if (type === 'bool') return BigInt(`0x${at(offset)}`) !== 0n;
  if (/^u?int\d*$/.test(type)) return BigInt(`0x${at(offset)}`);
  if (/^bytes\d+$/.test(type)) return `0x${at(offset).slice(0, Number(type.slice(5)) * 2)}`;
  if (type === 'tuple' && !isDynamic(param)) {
    const result = {};
    param.components.forEach((component, i) => {
      result[component.name || i] = decodeValue(component, hex, offset + i * 32);
    });
    return result;
  }
  throw new Error(`unsupported ABI type for decoding ${type}`);
}

/** Decodes ABI-encoded `hex` into values for `params` (static tuples inline, strings and bytes by offset). */
function decodeParams(params, hex) {
  const data = strip0x(hex);
  return params.map((param, index) => decodeValue(param, data, index * 32));
}

// ---- contracts -----------------------------------------------------------------------------------------------------

function loadArtifact(name) {
  if (!ARTIFACTS_DIR) throw new Error('ERGON_CONTRACTS_DIR is not set; run the tests through test/run.sh');
  return JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), 'utf8'));
}

async function waitReceipt(hash) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const receipt = await rpc('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no receipt for ${hash}`);
}

// Errors of every artifact loaded so far: a revert may come from a called contract (e.g. the token's permit error
// bubbling up through PaymentChannel), so decoding uses all of them.
const knownErrors = new Map(); // selector -> ABI error item
const errorSignaturesSeen = new Set();

async function learnErrors(abi) {
  const items = [...abi.filter((item) => item.type === 'error'), { name: 'Error', inputs: [{ type: 'string' }] }];
  for (const item of items) {
    const signature = signatureOf(item);
    if (errorSignaturesSeen.has(signature)) continue;
    errorSignaturesSeen.add(signature);
    knownErrors.set((await keccakText(signature)).slice(0, 10), item);
  }
}

/** Decodes a revert payload into {name, args} using the errors of all loaded contracts (plus Error(string)). */
function decodeError(data) {
  if (!data || data.length < 10) return { name: '(no revert data)', args: [] };
  const item = knownErrors.get(data.slice(0, 10));
  if (!item) return { name: `(unknown error ${data.slice(0, 10)})`, args: [] };
  return { name: item.name, args: decodeParams(item.inputs, data.slice(10)) };
}

class Contract {
  constructor(artifact, address) {
    this.artifact = artifact;
    this.address = address;
  }

  static async deploy(name, from, args = []) {
    const artifact = loadArtifact(name);
    const constructor = artifact.abi.find((item) => item.type === 'constructor') || { inputs: [] };
    const data = artifact.bytecode + encodeParams(constructor.inputs, args);
    const hash = await rpc('eth_sendTransaction', [{ from, data, gas: '0x989680' }]);
    const receipt = await waitReceipt(hash);
    if (receipt.status !== '0x1') throw new Error(`deploying ${name} failed`);
    await learnErrors(artifact.abi);
    const contract = new Contract(artifact, receipt.contractAddress);
    contract.deployGas = BigInt(receipt.gasUsed);
    return contract;
  }

  fn(name) {
    const candidates = this.artifact.abi.filter((item) => item.type === 'function' && item.name === name);
    if (candidates.length !== 1) throw new Error(`${this.artifact.contractName}.${name}: ${candidates.length} matches`);
    return candidates[0];
  }

  calldata(name, args) {
    const item = this.fn(name);
    const selector = this.artifact.methodIdentifiers[signatureOf(item)];
    return `0x${selector}${encodeParams(item.inputs, args)}`;
  }

  /** eth_call; returns the single output or an array of outputs. */
  async call(name, args = [], from = undefined) {
    const result = await rpc('eth_call', [{ from, to: this.address, data: this.calldata(name, args) }, 'latest']);
    const outputs = decodeParams(this.fn(name).outputs, result);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /** Sends a transaction from an unlocked account and returns its receipt; throws unless it succeeded. */
  async send(from, name, args = []) {
    const hash = await rpc('eth_sendTransaction', [{ from, to: this.address, data: this.calldata(name, args) }]);
    const receipt = await waitReceipt(hash);
    if (receipt.status !== '0x1') throw new Error(`${name} reverted on chain (tx ${hash})`);
    receipt.gas = BigInt(receipt.gasUsed);
    return receipt;
  }

  /**
   * Expects `name(args)` from `from` to be rejected: the simulated call must revert with a decodable error, and the
   * same transaction sent with a fixed gas limit must be mined with status 0. Returns the decoded error {name, args}.
   */
  async rejection(from, name, args = []) {
    const data = this.calldata(name, args);
    let revertData;
    try {
      await rpc('eth_call', [{ from, to: this.address, data }, 'latest']);
      throw new Error(`${name} did not revert`);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      revertData = error.data;
    }
    const decoded = decodeError(revertData);
    const hash = await rpc('eth_sendTransaction', [{ from, to: this.address, data, gas: '0x7a120' }]);
    const receipt = await waitReceipt(hash);
    if (receipt.status !== '0x0') throw new Error(`${name} was mined successfully although eth_call reverted`);
    return decoded;
  }

  /** Decodes this contract's logs named `eventName` in a receipt into objects keyed by parameter name. */
  async events(receipt, eventName) {
    const item = this.artifact.abi.find((entry) => entry.type === 'event' && entry.name === eventName);
    if (!item) throw new Error(`no event ${eventName}`);
    const topic0 = await keccakText(signatureOf(item));
    const indexed = item.inputs.filter((input) => input.indexed);
    const plain = item.inputs.filter((input) => !input.indexed);
    return receipt.logs
      .filter((log) => log.address.toLowerCase() === this.address.toLowerCase() && log.topics[0] === topic0)
      .map((log) => {
        const result = {};
        indexed.forEach((input, i) => {
          result[input.name] = isDynamic(input) ? log.topics[i + 1] : decodeValue(input, word(log.topics[i + 1]), 0);
        });
        decodeParams(plain, log.data).forEach((value, i) => {
          result[plain[i].name] = value;
        });
        return result;
      });
  }
}

// ---- signing -------------------------------------------------------------------------------------------------------

/** Signs EIP-712 typed data with an unlocked anvil account; returns the 65-byte signature as 0x-hex (v = 27/28). */
async function signTypedData(account, typedData) {
  return rpc('eth_signTypedData_v4', [account, JSON.stringify(typedData)]);
}

function splitSignature(signature) {
  const hex = strip0x(signature);
  if (hex.length !== 130) throw new Error(`signature is not 65 bytes: ${signature}`);
  return { r: `0x${hex.slice(0, 64)}`, s: `0x${hex.slice(64, 128)}`, v: parseInt(hex.slice(128, 130), 16) };
}

// secp256k1 group order: a signature (r, s, v) has the twin (r, n − s, v ^ 1) that recovers the same key.
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function highSTwin(signature) {
  const { r, s, v } = splitSignature(signature);
  const flipped = SECP256K1_N - BigInt(s);
  const twinV = v === 27 ? 28 : 27;
  return `${r}${flipped.toString(16).padStart(64, '0')}${twinV.toString(16)}`;
}

module.exports = {
  rpc,
  RpcError,
  keccak,
  keccakText,
  word,
  strip0x,
  encodeParams,
  decodeParams,
  Contract,
  signTypedData,
  splitSignature,
  highSTwin,
  SECP256K1_N,
};
