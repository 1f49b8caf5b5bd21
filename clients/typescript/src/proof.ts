// Checks an inclusion proof (RFC 9162) and its signed checkpoint (C2SP signed note, Ed25519) with node:crypto
// only, against a verifier key the caller pins: a game server need not trust the ledger's host.
import { createHash, createPublicKey, verify } from "node:crypto";

/** The inclusion proof document the server answers (and `tally proof inclusion` prints). */
export interface InclusionProofDocument {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[];
  checkpoint?: string;
}

/** What a checked proof established. */
export interface VerifiedInclusion {
  transactionId: string;
  leafIndex: number;
  treeSize: number;
  origin: string;
  keyName: string;
}

/** A proof that does not check out. */
export class ProofRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofRejected";
  }
}

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

function b64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new ProofRejected(`${what} is not base64`);
  return Buffer.from(text, "base64");
}

/** RFC 9162 section 2.1.3.2: the root that the audit path leads to from the leaf. */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, leafHash: Buffer, path: Buffer[]): Buffer {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new ProofRejected("leaf index outside the tree");
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = leafHash;
  for (const p of path) {
    if (sn === 0n) throw new ProofRejected("the audit path is too long");
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(NODE, p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = sha256(NODE, r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new ProofRejected("the audit path is too short");
  return r;
}

/** A C2SP verifier key, "name+keyid+base64(0x01 || public key)", as `tally keygen` writes checkpoint.pub. */
function parseVerifierKey(vkey: string): { name: string; keyId: Buffer; publicKey: Buffer } {
  // name+keyid+key, where the base64 key may itself hold a '+': split at the first two only.
  const m = /^([^+]+)\+([^+]+)\+(.+)$/.exec(vkey.trim());
  if (!m || !/^[0-9a-f]{8}$/.test(m[2])) throw new ProofRejected("malformed verifier key");
  const parts = [m[1], m[2], m[3]];
  const raw = b64(parts[2], "the verifier key");
  if (raw.length !== 33 || raw[0] !== 1) throw new ProofRejected("the verifier key is not an Ed25519 key");
  const publicKey = raw.subarray(1);
  const keyId = sha256(Buffer.from(parts[0] + "\n", "utf8"), Buffer.from([1]), publicKey).subarray(0, 4);
  if (keyId.toString("hex") !== parts[1]) throw new ProofRejected("the verifier key's ID does not match its key");
  return { name: parts[0], keyId, publicKey };
}

/** Opens a signed note with the pinned key: its text, if a signature line of that key verifies. */
function openNote(note: string, vkey: string): { text: string; keyName: string } {
  const key = parseVerifierKey(vkey);
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new ProofRejected("the checkpoint is not a signed note");
  const text = note.substring(0, split + 1);
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key.publicKey]), format: "der", type: "spki" });
  for (const line of note.substring(split + 2, note.length - 1).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== key.name) continue;
    const sig = b64(m[2], "a signature");
    if (sig.length !== 68 || !sig.subarray(0, 4).equals(key.keyId)) continue;
    if (verify(null, Buffer.from(text, "utf8"), publicKey, sig.subarray(4))) return { text, keyName: key.name };
  }
  throw new ProofRejected("the checkpoint is not signed by the pinned key");
}

/**
 * Checks that `entry` (as the server answered it) is a leaf of the log whose checkpoint the pinned key signed.
 * Throws ProofRejected otherwise.
 */
export function checkInclusion(
  proof: InclusionProofDocument,
  entry: { transaction_id?: string; current_hash?: string },
  verifierKey: string,
): VerifiedInclusion {
  if (!entry.current_hash || !/^[0-9a-f]{64}$/.test(entry.current_hash)) throw new ProofRejected("the entry has no hash");
  const leafHash = b64(proof.leafHash, "leafHash");
  if (!leafHash.equals(sha256(LEAF, Buffer.from(entry.current_hash, "hex")))) {
    throw new ProofRejected(`the proof is for another leaf than transaction ${entry.transaction_id}`);
  }
  const root = b64(proof.root, "root");
  const computed = rootFromInclusionProof(
    proof.leafIdx,
    proof.treeSize,
    leafHash,
    proof.proof.map((p, i) => b64(p, `proof[${i}]`)),
  );
  if (!computed.equals(root)) throw new ProofRejected("the inclusion proof does not lead to its root");
  if (!proof.checkpoint) throw new ProofRejected("the proof carries no signed checkpoint");
  const opened = openNote(proof.checkpoint, verifierKey);
  const [origin, size, rootLine] = opened.text.split("\n");
  if (Number(size) !== proof.treeSize || !b64(rootLine ?? "", "the checkpoint root").equals(root)) {
    throw new ProofRejected(`the signed checkpoint (size ${size}) does not state the proof's tree (size ${proof.treeSize})`);
  }
  return {
    transactionId: entry.transaction_id ?? "",
    leafIndex: proof.leafIdx,
    treeSize: proof.treeSize,
    origin,
    keyName: opened.keyName,
  };
}
