package org.epost.post.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.delivery.RecipientDirectory.Status;
import org.junit.jupiter.api.Test;

/** Which addresses are ePOST recipients, and how long the answer is kept (lookups scripted). */
class RecipientDirectoryTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> asked = new ArrayList<>();
    private CompletableFuture<UserCertificate> answer;
    private final RecipientDirectory directory = new RecipientDirectory(domain -> domain.equals("epost.test"),
        address -> {
            asked.add(address);
            return answer;
        }, now::get, 60_000, 5_000);

    @Test
    void otherDomainsAreNotLookedUp() {
        assertThat(directory.lookup("bob@example.com").join()).isEqualTo(Status.NOT_EPOST_DOMAIN);
        assertThat(directory.lookup("no-at-sign").join()).isEqualTo(Status.NOT_EPOST_DOMAIN);
        assertThat(directory.isEpostDomain("EPOST.test")).isTrue();
        assertThat(asked).isEmpty();
    }

    @Test
    void aMissingCertificateIsUnknownAndRememberedBriefly() {
        answer = CompletableFuture.failedFuture(new AccountException(AccountException.Reason.NOT_FOUND, "none"));

        assertThat(directory.lookup("Nobody@epost.test").join()).isEqualTo(Status.UNKNOWN);
        assertThat(directory.lookup("nobody@epost.test").join()).isEqualTo(Status.UNKNOWN);
        assertThat(asked).containsExactly("nobody@epost.test");
        now.set(5_000);
        directory.lookup("nobody@epost.test").join();
        assertThat(asked).hasSize(2);
    }

    @Test
    void aFoundCertificateIsRememberedLongerAndAFailedLookupNotAtAll() {
        answer = CompletableFuture.failedFuture(new CompletionException(new TimeoutException("no answer")));
        Throwable failure = catchThrowable(() -> directory.lookup("bob@epost.test").join());
        assertThat(failure).hasCauseInstanceOf(RecipientLookupException.class).hasMessageContaining("no answer");

        answer = CompletableFuture.completedFuture(null);
        assertThat(directory.lookup("bob@epost.test").join()).isEqualTo(Status.EPOST);
        now.set(59_999);
        assertThat(directory.lookup("bob@epost.test").join()).isEqualTo(Status.EPOST);
        assertThat(asked).hasSize(2);
        now.set(60_000);
        directory.lookup("bob@epost.test").join();
        assertThat(asked).hasSize(3);
    }
}
