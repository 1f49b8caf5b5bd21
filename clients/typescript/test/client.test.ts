// The TypeScript client against a real `tally serve`: the README's session, a retry after a dropped connection,
// a refused transfer, If-Match, and a proof checked here (and rejected once tampered).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkInclusion, ProofRejected, TallyClient, TallyProblem } from "../src/index.js";
import { ADMIN_KEY, serve, type Served } from "./server.js";
import { KillingProxy } from "./proxy.js";

let served: Served;
let admin: TallyClient;
let game: TallyClient;
let gameKey: string;

before(async () => {
  served = await serve();
  admin = new TallyClient({ baseUrl: served.baseUrl, apiKey: ADMIN_KEY });
  gameKey = await admin.createApiKey("game-backend", "service");
  game = new TallyClient({ baseUrl: served.baseUrl, apiKey: gameKey });
});

after(async () => {
  await served?.stop();
});

/** Two new USER accounts, the first holding 100.00 EUR. */
async function twoAccounts(): Promise<[string, string, string]> {
  const tag = randomUUID().slice(0, 8);
  await admin.createAccount(`alice-${tag}`, `alice-${tag}@example.com`);
  await admin.createAccount(`bob-${tag}`, `bob-${tag}@example.com`);
  await admin.mint(`mint-${tag}`, `alice-${tag}`, "EUR", "100.00");
  return [`alice-${tag}`, `bob-${tag}`, `mint-${tag}`];
}

test("the README's session runs through the client", async () => {
  const alice = await admin.createAccount("alice", "alice@example.com");
  await admin.createAccount("bob", "bob@example.com");
  assert.equal(alice.version, 1);

  const mint = await admin.mint("mint-001", "alice", "EUR", "100.00");
  assert.equal(mint.outcome, "created");
  assert.equal(mint.entry.type, "MINT");

  const order = { transaction_id: "order-7731", type: "PURCHASE", sender_id: "alice", receiver_id: "bob", currency: "EUR", amount: "12.50" } as const;
  const purchase = await game.transfer(order);
  assert.equal(purchase.outcome, "created");
  assert.equal(purchase.entry.tax_kind, "VAT");
  assert.equal(purchase.entry.tax_withheld, "2.50");
  assert.equal(purchase.entry.amount_net, "10.00");

  const again = await game.transfer(order);
  assert.equal(again.outcome, "replayed");
  assert.deepEqual(again.entry, purchase.entry);

  const history = await game.history("bob", "received", 10);
  assert.deepEqual(history.map((e) => e.transaction_id), ["order-7731"]);
  assert.equal((await game.account("bob")).balances?.EUR, "10.00");
});

test("a transfer retried after the connection dropped is written exactly once", async () => {
  const [alice, bob] = await twoAccounts();
  const proxy = await KillingProxy.start(served.port);
  try {
    const throughProxy = new TallyClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, apiKey: gameKey, backoffMs: 20 });
    proxy.arm();
    const w = await throughProxy.transfer({ type: "PURCHASE", sender_id: alice, receiver_id: bob, currency: "EUR", amount: "12.50" });
    assert.equal(proxy.kills, 1);
    assert.equal(w.outcome, "replayed", "the retry met the entry the lost answer was about");
    const sent = await game.history(alice, "sent", 50);
    assert.deepEqual(sent.map((e) => e.transaction_id), [w.entry.transaction_id]);
    assert.equal((await game.account(alice)).balances?.EUR, "87.50");
  } finally {
    await proxy.close();
  }
});

test("a refused transfer is a typed problem and writes nothing", async () => {
  const [alice, bob] = await twoAccounts();
  await assert.rejects(
    game.transfer({ sender_id: alice, receiver_id: bob, currency: "EUR", amount: "500.00" }),
    (e: unknown) => e instanceof TallyProblem && e.code === "INSUFFICIENT_FUNDS" && e.status === 422,
  );
  assert.deepEqual(await game.history(alice, "sent", 50), []);
  assert.equal((await game.account(alice)).balances?.EUR, "100.00");
});

test("an e-mail change that loses a race reads again and retries", async () => {
  const [alice] = await twoAccounts();
  let raced = false;
  const changed = await game.changeEmail(alice, async (current) => {
    if (!raced) {
      raced = true;
      // Another writer changes the account between our read and our write: our If-Match is stale.
      await admin.changeEmail(alice, () => "other@example.com");
    }
    return `new-${current.version}@example.com`;
  });
  assert.ok(raced);
  assert.equal(changed.email, `new-${changed.version! - 1}@example.com`, "computed from the account as the other writer left it");
});

test("an inclusion proof checks out against the pinned key, and a tampered one does not", async () => {
  const [alice, bob, mintId] = await twoAccounts();
  const w = await game.transfer({ transaction_id: `order-${randomUUID()}`, type: "PURCHASE", sender_id: alice, receiver_id: bob, currency: "EUR", amount: "5.00" });
  const id = w.entry.transaction_id!;
  const ok = await eventually(() => game.verifyInclusion(id, served.verifierKey));
  assert.equal(ok.leafIndex, w.entry.seq! - 1);
  assert.equal(ok.origin, "tally.example/ts-test");

  const proof = await game.inclusionProof(id);
  assert.throws(() => checkInclusion({ ...proof, leafHash: Buffer.alloc(32).toString("base64") }, w.entry, served.verifierKey), ProofRejected);
  assert.throws(() => checkInclusion({ ...proof, root: Buffer.alloc(32).toString("base64") }, w.entry, served.verifierKey), ProofRejected);
  const other = await game.transaction(mintId);
  assert.throws(() => checkInclusion(proof, other, served.verifierKey), ProofRejected, "the proof of one entry does not prove another");
  const note = proof.checkpoint!;
  const forged = note.replace(/\n(\d+)\n/, (_m, size) => `\n${Number(size) + 1}\n`);
  assert.throws(() => checkInclusion({ ...proof, checkpoint: forged }, w.entry, served.verifierKey), ProofRejected);
});

/** Checkpoints are signed in the background: a proof carries one once the signer caught up. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (!(e instanceof ProofRejected) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

test("the Node example sells an item, survives its retry and proves the sale", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tally-example-"));
  writeFileSync(join(dir, "checkpoint.pub"), served.verifierKey);
  const run = spawnSync(process.execPath, [resolve(import.meta.dirname, "../../../../examples/node/shop.mjs")], {
    env: { ...process.env, TALLY_URL: served.baseUrl, TALLY_ADMIN_KEY: ADMIN_KEY, TALLY_CHECKPOINT_PUB: join(dir, "checkpoint.pub") },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /sold: created, price 12\.50, VAT 2\.50, shop gets 10\.00/);
  assert.match(run.stdout, /retry after a timeout: replayed/);
  assert.match(run.stdout, /proven: leaf \d+ of \d+ in tally\.example\/ts-test/);
});
