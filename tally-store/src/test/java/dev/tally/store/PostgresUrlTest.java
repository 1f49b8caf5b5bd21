package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
    @Test
    void libpqUrlsBecomeAJdbcUrlAndDecodedCredentials() {
        PostgresUrl url = PostgresUrl.parse("postgresql://tally:p%40ss@db.example:5433/ledger?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/ledger?sslmode=require");
        assertThat(url.user()).contains("tally");
        assertThat(url.password()).contains("p@ss");
    }

    @Test
    void credentialsAreOptional() {
        PostgresUrl url = PostgresUrl.parse("postgres://localhost/ledger");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/ledger");
        assertThat(url.user()).isEmpty();
        assertThat(url.password()).isEmpty();
    }

    @Test
    void onlyTheLibpqSchemesAreRecognised() {
        assertThat(PostgresUrl.isLibpqForm("postgresql://h/d")).isTrue();
        assertThat(PostgresUrl.isLibpqForm("postgres://h/d")).isTrue();
        assertThat(PostgresUrl.isLibpqForm("jdbc:postgresql://h/d")).isFalse();
        assertThat(PostgresUrl.isLibpqForm("tally.db")).isFalse();
    }
}
