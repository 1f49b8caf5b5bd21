// Proof checking with no server: a log of one entry, its checkpoint signed with a fresh Ed25519 key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { checkInclusion, ProofRejected } from "../src/index.js";

const sha256 = (...parts: Buffer[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** A verifier key whose base64 part holds a '+', as about one key in three does. */
function keyWithAPlus(name: string) {
  for (;;) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(12);
    const encoded = Buffer.concat([Buffer.from([1]), raw]).toString("base64");
    if (!encoded.includes("+")) continue;
    const keyId = sha256(Buffer.from(name + "\n"), Buffer.from([1]), raw).subarray(0, 4);
    return { vkey: `${name}+${keyId.toString("hex")}+${encoded}`, keyId, privateKey };
  }
}

test("a proof checks out against a verifier key whose base64 holds a '+', and not against another key", () => {
  const name = "tally.example/unit";
  const { vkey, keyId, privateKey } = keyWithAPlus(name);
  const currentHash = sha256(Buffer.from("entry")).toString("hex");
  const leafHash = sha256(Buffer.from([0]), Buffer.from(currentHash, "hex"));
  const text = `${name}\n1\n${leafHash.toString("base64")}\n`;
  const signature = Buffer.concat([keyId, sign(null, Buffer.from(text), privateKey)]).toString("base64");
  const proof = {
    leafIdx: 0,
    treeSize: 1,
    root: leafHash.toString("base64"),
    leafHash: leafHash.toString("base64"),
    proof: [],
    checkpoint: `${text}\n\u2014 ${name} ${signature}\n`,
  };
  const entry = { transaction_id: "t1", current_hash: currentHash };
  assert.equal(checkInclusion(proof, entry, vkey).origin, name);
  assert.throws(() => checkInclusion(proof, entry, keyWithAPlus(name).vkey), ProofRejected);
});
