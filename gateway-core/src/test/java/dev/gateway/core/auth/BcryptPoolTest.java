package dev.gateway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded bcrypt executor: checks run off the caller, and a full queue answers "busy" at once. */
class BcryptPoolTest {

    private static final String HASH = BCrypt.withDefaults().hashToString(10, "right".toCharArray());

    @Test
    void aFullQueueIsBusyInsteadOfPilingUp() throws Exception {
        BcryptPool pool = new BcryptPool(1, 1);
        CompletableFuture<Integer> running = new CompletableFuture<>();
        CompletableFuture<Integer> queued = new CompletableFuture<>();
        CompletableFuture<Integer> refused = new CompletableFuture<>();
        pool.verify("right".getBytes(StandardCharsets.UTF_8), HASH, running::complete);
        pool.verify("wrong".getBytes(StandardCharsets.UTF_8), HASH, queued::complete);
        pool.verify("right".getBytes(StandardCharsets.UTF_8), HASH, refused::complete);
        assertThat(refused.getNow(null)).as("refused on the caller's thread, at once").isEqualTo(BcryptPool.BUSY);
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(BcryptPool.MATCH);
        assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(BcryptPool.MISMATCH);
    }

    @Test
    void verifiedCredentialsAreRememberedOnlyForTheSameHash() {
        VerifiedCredentials cache = new VerifiedCredentials();
        byte[] password = "pw".getBytes(StandardCharsets.UTF_8);
        String key = cache.key("alice", password, HASH);
        long now = System.nanoTime();
        assertThat(cache.contains(key, now)).isFalse();
        cache.add(key, now);
        assertThat(cache.contains(key, now + 1)).isTrue();
        assertThat(cache.contains(cache.key("alice", password, HASH.replace('a', 'b')), now)).isFalse();
        assertThat(cache.contains(key, now + TimeUnit.SECONDS.toNanos(VerifiedCredentials.TTL_SECONDS + 1))).isFalse();
    }
}
