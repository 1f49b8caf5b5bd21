import dev.tally.client.TallyClient;
import dev.tally.client.TallyProblem;
import dev.tally.client.Transfer;
import dev.tally.client.VerifiedInclusion;
import dev.tally.client.Written;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A game server selling an item through Tally, with the Java client (tally-client). Run against a server
 * started as in examples/node/shop.mjs:
 *
 * <pre>
 * mvn -q -pl tally-client -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * TALLY_ADMIN_KEY=admin-secret-change-me-0123456789 TALLY_CHECKPOINT_PUB=keys/checkpoint.pub \
 *   java -cp "tally-client/target/classes:$(cat /tmp/cp.txt)" examples/java/Shop.java
 * </pre>
 */
public class Shop {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(System.getenv().getOrDefault("TALLY_URL", "http://localhost:8080"));
        TallyClient admin = TallyClient.builder(base, System.getenv("TALLY_ADMIN_KEY")).build();
        String pinnedKey = Files.readString(
                Path.of(System.getenv().getOrDefault("TALLY_CHECKPOINT_PUB", "keys/checkpoint.pub")));

        // Set-up (once, by an operator): a player with some money, the shop, and a key for the game server.
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String player = "player-" + tag;
        String shop = "shop-" + tag;
        admin.createAccount(player, player + "@example.com");
        admin.createAccount(shop, shop + "@example.com");
        admin.mint("grant-" + tag, player, "EUR", "20.00");
        TallyClient game = TallyClient.builder(base, admin.createApiKey("game-" + tag, "service"))
                .timeout(Duration.ofSeconds(2))
                .build();

        // The sale: a PURCHASE, so the treasury collects VAT out of the price. The order number is the id.
        Transfer order = Transfer.purchase("order-" + tag, player, shop, "EUR", "12.50");
        try {
            Written sold = game.transfer(order);
            System.out.println("sold: " + sold.outcome() + ", price " + sold.entry().amountGross() + ", VAT "
                    + sold.entry().taxWithheld() + ", shop gets " + sold.entry().amountNet());
        } catch (TallyProblem p) {
            System.out.println("refused: " + p.code()); // INSUFFICIENT_FUNDS, ACCOUNT_FROZEN, ...
            throw p;
        }

        // The game server timed out waiting and sends the same order again: Tally answers with the same entry.
        System.out.println("retry after a timeout: " + game.transfer(order).outcome() + " (the player paid once)");

        // Proof that the sale is in the log whose checkpoint our pinned key signed (signed in the background).
        for (int i = 0; ; i++) {
            try {
                VerifiedInclusion proven = game.verifyInclusion(order.transactionId(), pinnedKey);
                System.out.println("proven: leaf " + proven.leafIndex() + " of " + proven.treeSize() + " in "
                        + proven.origin() + ", signed by " + proven.keyName());
                break;
            } catch (RuntimeException e) {
                if (i == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
