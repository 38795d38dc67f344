#!/usr/bin/env node
// Compiles the ERGON contracts (src/*.sol) with solc-js and writes one artifact per contract to OUTPUT_DIR:
//   OUTPUT_DIR/<Contract>.json = {contractName, abi, bytecode, deployedBytecode, methodIdentifiers}
// (bytecode as 0x-hex). Usage: node plugins/ergon/contracts/compile.js OUTPUT_DIR
//
// Deterministic: fixed compiler (the pinned npm solc), fixed optimizer runs and EVM version, sources named by their
// path relative to src/ or by their npm import path, never by an absolute path, so the metadata hash embedded in the
// bytecode is the same on every machine. Fails (exit 1) on any compiler error and on any warning in our own sources;
// warnings inside OpenZeppelin are printed but tolerated.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SOURCE_DIR = path.join(__dirname, 'src');
const OPTIMIZER_RUNS = 200;
// Cancun: supported by anvil and every current public chain; OpenZeppelin 5.x uses mcopy.
const EVM_VERSION = 'cancun';

function fail(message) {
  process.stderr.write(`compile.js: ${message}\n`);
  process.exit(1);
}

function loadSolc() {
  try {
    return require('solc');
  } catch (error) {
    fail(`cannot load solc (${error.message}); run \`npm ci\` at the repository root (scripts/install-deps does)`);
  }
}

// Directories named node_modules from this script up to the filesystem root, nearest first.
function nodeModulesDirs() {
  const dirs = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    dirs.push(path.join(dir, 'node_modules'));
    if (path.dirname(dir) === dir) return dirs;
  }
}

function resolveImport(importPath) {
  if (importPath.includes('..')) return { error: `import path may not contain "..": ${importPath}` };
  const local = path.join(SOURCE_DIR, importPath);
  if (fs.existsSync(local)) return { contents: fs.readFileSync(local, 'utf8') };
  for (const dir of nodeModulesDirs()) {
    const candidate = path.join(dir, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: `import not found: ${importPath} (looked in src/ and node_modules)` };
}

function main() {
  const outputDir = process.argv[2];
  if (!outputDir || process.argv.length > 3) fail('usage: node compile.js OUTPUT_DIR');

  const solc = loadSolc();
  const files = fs.readdirSync(SOURCE_DIR).filter((name) => name.endsWith('.sol')).sort();
  if (files.length === 0) fail(`no .sol files in ${SOURCE_DIR}`);

  const sources = {};
  for (const name of files) sources[name] = { content: fs.readFileSync(path.join(SOURCE_DIR, name), 'utf8') };

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
      evmVersion: EVM_VERSION,
      metadata: { bytecodeHash: 'ipfs' },
      outputSelection: {
        '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] },
      },
    },
  };

  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport }));

  let fatal = false;
  for (const diagnostic of output.errors || []) {
    const ours = diagnostic.sourceLocation ? sources[diagnostic.sourceLocation.file] !== undefined : true;
    const isError = diagnostic.severity === 'error';
    const isFatal = isError || (diagnostic.severity === 'warning' && ours);
    if (isFatal) fatal = true;
    if (isFatal || diagnostic.severity === 'warning') {
      process.stderr.write(diagnostic.formattedMessage || `${diagnostic.severity}: ${diagnostic.message}\n`);
    }
  }
  if (fatal) fail(`compilation failed (solc ${solc.version()})`);

  fs.mkdirSync(outputDir, { recursive: true });
  let written = 0;
  for (const file of files) {
    for (const [contractName, contract] of Object.entries(output.contracts[file] || {})) {
      const bytecode = contract.evm.bytecode.object;
      if (!bytecode) continue; // interfaces and abstract contracts have nothing to deploy
      const artifact = {
        contractName,
        compiler: `solc ${solc.version()}`,
        abi: contract.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
        methodIdentifiers: contract.evm.methodIdentifiers,
      };
      // Write to a temporary file and rename, so a reader never sees half an artifact.
      const target = path.join(outputDir, `${contractName}.json`);
      const temporary = `${target}.tmp-${process.pid}`;
      fs.writeFileSync(temporary, `${JSON.stringify(artifact, null, 2)}\n`);
      fs.renameSync(temporary, target);
      written += 1;
    }
  }
  if (written === 0) fail('no deployable contracts in the compiler output');
  process.stdout.write(`compile.js: wrote ${written} artifacts to ${outputDir} (solc ${solc.version()})\n`);
}

main();
