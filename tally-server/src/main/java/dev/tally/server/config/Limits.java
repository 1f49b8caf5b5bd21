package dev.tally.server.config;

import dev.tally.core.store.AccountQuery;

/**
 * What one request may ask of the server: body size, transfers per batch, and page sizes. Every limit is
 * enforced before anything reaches the ledger, so an oversized request writes nothing.
 */
public record Limits(long maxBodyBytes, int maxBatch, int maxPageSize, int defaultPageSize) {
    public static final Limits DEFAULTS = new Limits(1_048_576, 1000, AccountQuery.MAX_LIMIT, 50);

    public Limits {
        if (maxBodyBytes < 1024 || maxBodyBytes > 64L * 1024 * 1024) {
            throw new ConfigException("limits.max_body_bytes must be between 1024 and 67108864");
        }
        if (maxBatch < 1 || maxBatch > 10_000) {
            throw new ConfigException("limits.max_batch must be between 1 and 10000");
        }
        if (maxPageSize < 1 || maxPageSize > AccountQuery.MAX_LIMIT) {
            throw new ConfigException("limits.max_page_size must be between 1 and " + AccountQuery.MAX_LIMIT);
        }
        if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new ConfigException("limits.default_page_size must be between 1 and limits.max_page_size");
        }
    }
}
