// A payment a fraud rule holds reaches the client as "held", with its pending transfer, never as written.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { TallyClient } from "../src/index.js";
import { ADMIN_KEY, serve, type Served } from "./server.js";

let served: Served;

before(async () => {
  // The second payment an account sends within ten minutes is held pending review.
  served = await serve(["fraud:", "  rules:", "    velocity_count: {max_payments: 1, window: 10m, action: hold}"]);
});

after(async () => {
  await served?.stop();
});

test("a held payment is answered as held, with its pending transfer and its fraud event", async () => {
  const admin = new TallyClient({ baseUrl: served.baseUrl, apiKey: ADMIN_KEY });
  const game = new TallyClient({ baseUrl: served.baseUrl, apiKey: await admin.createApiKey("game", "service") });
  await admin.createAccount("alice", "alice@example.com");
  await admin.createAccount("bob", "bob@example.com");
  await admin.mint("mint-1", "alice", "EUR", "100.00");
  const payment = (id: string) =>
    ({ transaction_id: id, type: "PURCHASE", sender_id: "alice", receiver_id: "bob", currency: "EUR", amount: "1.00" }) as const;
  assert.equal((await game.transfer(payment("h1"))).outcome, "created");

  const held = await game.transfer(payment("h2"));

  assert.equal(held.outcome, "held");
  assert.equal(held.entry.transaction_id, "h2");
  assert.equal(held.entry.type, "PENDING");
  assert.equal(held.hold?.rule, "velocity_count");
  assert.equal(typeof held.hold?.fraud_event_id, "number");
  assert.equal((await game.account("bob")).balances?.EUR, "0.80");
});
