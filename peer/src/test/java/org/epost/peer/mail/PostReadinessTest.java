package org.epost.peer.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PostReadinessTest {

    @Test
    void awaitingBeforeTheStartEndsWithAClearErrorAfterTheTimeout() {
        PostReadiness readiness = new PostReadiness();

        assertThatThrownBy(() -> readiness.await(Duration.ofMillis(50), "the mailboxes of peer1"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("did not start within")
            .hasMessageContaining("the mailboxes of peer1 unavailable");
        assertThat(readiness.ifRunning()).isEmpty();
    }

    @Test
    void aFailedStartIsReportedToWhoeverAwaits() {
        PostReadiness readiness = new PostReadiness();
        CompletableFuture<PostServices> awaited = readiness.services();

        readiness.failed(new IOException("Cannot open the key vault"));

        assertThat(awaited).isCompletedExceptionally();
        assertThatThrownBy(() -> readiness.await(Duration.ofSeconds(1), "the mailboxes"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("failed to start (Cannot open the key vault)")
            .hasCauseInstanceOf(IOException.class);
        assertThat(readiness.ifRunning()).isEmpty();
    }

    @Test
    void stoppingFailsPendingWaitsAndLaterReads() throws Exception {
        PostReadiness readiness = new PostReadiness();
        CompletableFuture<PostServices> awaited = readiness.services();

        readiness.stopped();

        assertThat(awaited).isCompletedExceptionally();
        assertThat(readiness.ifRunning()).isEmpty();
        assertThatThrownBy(() -> readiness.services().get(1, TimeUnit.SECONDS)).hasMessageContaining("stopped");
    }
}
