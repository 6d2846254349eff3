package org.epost.post.delivery;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.post.accounts.AccountService;

/**
 * This peer's own POST account, which signs the notifications of mail that no user homed here vouches for: mail
 * from outside, or submitted without authenticating as its sender. Recipients then know which peer accepted the mail,
 * not who wrote it. The address is {@code relay-<node id>@peers.epost.invalid} (RFC 2606's reserved top-level domain:
 * never a mail domain, so never a user); it is provisioned like a user's (keys in this peer's vault, a certificate
 * from the organization's user CA) on first use, and again after a failure.
 */
public final class RelayAccount {
    public static final String DOMAIN = "peers.epost.invalid";

    private final AccountService accounts;
    private final Supplier<NodeHandle> self;
    private final String address;
    private CompletableFuture<String> provisioned;

    public RelayAccount(AccountService accounts, Id nodeId, Supplier<NodeHandle> self) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.self = Objects.requireNonNull(self, "self");
        this.address = addressOf(nodeId);
    }

    public static String addressOf(Id nodeId) {
        return "relay-" + nodeId.toHex() + "@" + DOMAIN;
    }

    public String address() {
        return address;
    }

    /** The address, once its account is provisioned (immediately after the first success). */
    public synchronized CompletableFuture<String> ready() {
        if (provisioned == null || provisioned.isCompletedExceptionally()) {
            provisioned = accounts.provision(address, self.get()).thenApply(account -> address);
        }
        return provisioned;
    }
}
