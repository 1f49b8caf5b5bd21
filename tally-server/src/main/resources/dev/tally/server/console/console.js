// The Tally console's only script. It checks a transaction's inclusion proof in the browser: the leaf hash is
// computed from the entry's own current_hash shown on the page, the RFC 9162 path is folded with WebCrypto
// SHA-256, and the result is compared with the newest signed checkpoint's root. The server's word (its
// leafHash, its root) is not taken for anything.
"use strict";

(function () {
  const box = document.getElementById("proof");
  if (!box) {
    return;
  }
  const status = document.getElementById("proof-status");
  const detail = document.getElementById("proof-detail");

  function show(state, text, more) {
    status.textContent = text;
    status.className = state;
    box.dataset.state = state;
    detail.textContent = more || "";
  }

  function hexToBytes(hex) {
    if (!/^([0-9a-f]{2})*$/i.test(hex)) {
      throw new Error("not hex");
    }
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return out;
  }

  function b64ToBytes(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  }

  function bytesToB64(bytes) {
    let s = "";
    bytes.forEach((b) => (s += String.fromCharCode(b)));
    return btoa(s);
  }

  async function sha256(prefix, ...parts) {
    let length = 1;
    parts.forEach((p) => (length += p.length));
    const buf = new Uint8Array(length);
    buf[0] = prefix;
    let at = 1;
    parts.forEach((p) => {
      buf.set(p, at);
      at += p.length;
    });
    return new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  }

  function equal(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    let d = 0;
    for (let i = 0; i < a.length; i++) {
      d |= a[i] ^ b[i];
    }
    return d === 0;
  }

  // RFC 9162 section 2.1.3.2: the root that an inclusion proof leads to.
  async function rootFromPath(leafIndex, treeSize, leafHash, path) {
    if (leafIndex >= treeSize) {
      throw new Error("leaf index " + leafIndex + " is outside a tree of " + treeSize);
    }
    let fn = leafIndex;
    let sn = treeSize - 1;
    let r = leafHash;
    for (const p of path) {
      if (sn === 0) {
        throw new Error("the path is longer than the tree is deep");
      }
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(1, p, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn = Math.floor(fn / 2);
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = await sha256(1, r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) {
      throw new Error("the path is shorter than the tree is deep");
    }
    return r;
  }

  async function check() {
    if (!window.crypto || !crypto.subtle) {
      show("invalid", "cannot check: this browser offers no WebCrypto here (it needs HTTPS or localhost)");
      return;
    }
    const answer = await fetch(box.dataset.proofUrl, { credentials: "same-origin", cache: "no-store" });
    if (!answer.ok) {
      show("invalid", "cannot check: the proof could not be loaded (" + answer.status + ")");
      return;
    }
    const doc = await answer.json();
    if (!doc.checkpoint || !doc.proof) {
      show("pending", "not yet covered: " + (doc.reason || "no signed checkpoint"));
      return;
    }
    const seq = Number(box.dataset.seq);
    const proof = doc.proof;
    const checkpointRoot = b64ToBytes(doc.checkpoint.root_hash);
    if (proof.treeSize !== doc.checkpoint.tree_size || proof.leafIdx !== seq - 1) {
      show("invalid", "INVALID: the proof is not for this entry in the newest checkpoint");
      return;
    }
    const leaf = await sha256(0, hexToBytes(box.dataset.leaf));
    const computed = await rootFromPath(proof.leafIdx, proof.treeSize, leaf, proof.proof.map(b64ToBytes));
    const more =
      "leaf " + proof.leafIdx + " of " + proof.treeSize + "\ncomputed root  " + bytesToB64(computed) +
      "\ncheckpoint root " + doc.checkpoint.root_hash + " (signed " + doc.checkpoint.created_at + ")";
    if (equal(computed, checkpointRoot)) {
      show("valid", "VALID: the entry is in the signed checkpoint of " + proof.treeSize + " entries", more);
    } else {
      show("invalid", "INVALID: the proof does not lead to the checkpoint's root", more);
    }
  }

  check().catch((e) => show("invalid", "INVALID: " + e.message));
})();
