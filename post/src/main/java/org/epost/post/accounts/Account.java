package org.epost.post.accounts;

import java.util.Objects;

/**
 * A provisioned account as its home peer sees it.
 *
 * @param address     the normalized address
 * @param certificate the user certificate (stored in PAST)
 * @param identity    the newest identity block this peer knows of
 * @param created     true if this call created the account (fresh keys), false if it already existed
 */
public record Account(String address, UserCertificate certificate, IdentityBlock identity, boolean created) {
    public Account {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(identity, "identity");
    }
}
