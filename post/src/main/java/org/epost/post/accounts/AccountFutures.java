package org.epost.post.accounts;

import java.util.concurrent.CompletableFuture;

/** Small future helpers of {@link AccountService}, apart so that the service keeps to its accounts logic. */
final class AccountFutures {
    private AccountFutures() {
    }

    interface AddressAction<T> {
        CompletableFuture<T> run(String normalized);
    }

    /** Runs {@code action} with the normalized address, or fails with {@code INVALID_ADDRESS}. */
    static <T> CompletableFuture<T> withAddress(String address, AddressAction<T> action) {
        String normalized;
        try {
            normalized = AccountAddress.normalize(address);
        } catch (IllegalArgumentException e) {
            return failed(new AccountException(AccountException.Reason.INVALID_ADDRESS, e.getMessage(), e));
        }
        return action.run(normalized);
    }

    static <T> CompletableFuture<T> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }
}
