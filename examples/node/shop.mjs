// A game server selling an item through Tally, with the TypeScript client (clients/typescript).
//
//   (cd clients/typescript && npm ci && npm run build)
//   ./tally keygen --out keys && TALLY_ADMIN_KEY=admin-secret-change-me-0123456789 TALLY_CHECKPOINT_KEY=keys/checkpoint.key \
//     ./tally serve --db ./shop.db --port 8080 &
//   TALLY_ADMIN_KEY=admin-secret-change-me-0123456789 TALLY_CHECKPOINT_PUB=keys/checkpoint.pub node examples/node/shop.mjs
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { TallyClient, TallyProblem } from "../../clients/typescript/dist/src/index.js";

const baseUrl = process.env.TALLY_URL ?? "http://localhost:8080";
const admin = new TallyClient({ baseUrl, apiKey: process.env.TALLY_ADMIN_KEY });
const pinnedKey = readFileSync(process.env.TALLY_CHECKPOINT_PUB ?? "keys/checkpoint.pub", "utf8");

// Set-up (once, by an operator): a player with some money, the shop's account, and a key for the game server.
const tag = randomUUID().slice(0, 8);
const player = `player-${tag}`;
const shop = `shop-${tag}`;
await admin.createAccount(player, `${player}@example.com`);
await admin.createAccount(shop, `${shop}@example.com`);
await admin.mint(`grant-${tag}`, player, "EUR", "20.00");
const game = new TallyClient({ baseUrl, apiKey: await admin.createApiKey(`game-${tag}`, "service"), timeoutMs: 2_000 });

// The sale: a PURCHASE, so the treasury collects VAT out of the price. The order number is the transaction id.
const order = { transaction_id: `order-${tag}`, type: "PURCHASE", sender_id: player, receiver_id: shop, currency: "EUR", amount: "12.50" };
try {
  const sold = await game.transfer(order);
  console.log(`sold: ${sold.outcome}, price ${sold.entry.amount_gross}, VAT ${sold.entry.tax_withheld}, shop gets ${sold.entry.amount_net}`);
} catch (e) {
  if (e instanceof TallyProblem && e.code === "INSUFFICIENT_FUNDS") console.log("the player cannot afford it");
  throw e;
}

// The game server timed out waiting and sends the same order again: Tally answers with the same entry.
const retried = await game.transfer(order);
console.log(`retry after a timeout: ${retried.outcome} (the player paid once)`);

// Proof that the sale is in the log whose checkpoint our pinned key signed (checkpoints are signed in the
// background, so wait for one that covers the sale).
for (let i = 0; ; i++) {
  try {
    const proven = await game.verifyInclusion(order.transaction_id, pinnedKey);
    console.log(`proven: leaf ${proven.leafIndex} of ${proven.treeSize} in ${proven.origin}, signed by ${proven.keyName}`);
    break;
  } catch (e) {
    if (i === 100) throw e;
    await new Promise((r) => setTimeout(r, 100));
  }
}
