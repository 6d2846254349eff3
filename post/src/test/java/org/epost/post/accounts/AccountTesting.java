package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.epost.post.testing.Seeded;

final class AccountTesting {
    private AccountTesting() {
    }

    static byte[] secret(long seed) {
        return Seeded.bytes(32, seed);
    }

    static KeyVault vault(Path directory, long seed) throws KeyVaultException {
        return KeyVault.open(directory, secret(seed));
    }

    /** The {@link AccountException} a done future failed with. */
    static AccountException failure(CompletableFuture<?> future) {
        assertThat(future).isDone();
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = AccountService.unwrap(e.getCause());
            assertThat(cause).isInstanceOf(AccountException.class);
            return (AccountException) cause;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
