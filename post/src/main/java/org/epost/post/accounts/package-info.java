/**
 * POST accounts (DESIGN.md section 5, "Accounts" and "Identity block"), James-free.
 *
 * <h2>What is stored where</h2>
 * <ul>
 *   <li>{@link org.epost.post.accounts.UserCertificate}: PAST certificate block named {@code "user:" + address}
 *       binding [Ed25519 signing key, X25519 encryption key] (X.509 encodings, in that order) until notAfter, signed
 *       by the organization's user CA.</li>
 *   <li>{@link org.epost.post.accounts.IdentityBlock}: PAST public-key block of the signing key, label
 *       {@code "identity"}, payload {@code ["epost/identity/v1", address, homeNodeId, "host:port",
 *       [[folder, head], ...]]} in canonical CBOR; the block version only increases.</li>
 *   <li>{@link org.epost.post.accounts.KeyVault}: the private keys, on the home peer only, one AES-GCM sealed file
 *       per user under a key derived (HKDF-SHA-256) from a peer secret that is never written to disk.</li>
 * </ul>
 *
 * <h2>Why a separate Ed25519 user CA</h2>
 * The organization authority ({@code org.epost.overlay.security.OrganizationAuthority}, {@code ca.p12}) is an EC
 * P-256 X.509 CA for node TLS certificates, but PAST certificate blocks are verified against one Ed25519 key
 * ({@code BlockVerifier(PublicKey certificateAuthority, ...)}). Rather than teach the overlay a second signature
 * scheme, the authority directory gets a second key, the <em>user CA</em>
 * ({@link org.epost.post.accounts.OrganizationUserAuthority}): Ed25519, created at ca-init time (or on first use)
 * by the admin, who has ca.p12's password. Its public key goes to peers in {@code user-ca.pem} together with an
 * ECDSA endorsement by the organization CA, so peers still trust only {@code ca.pem} and check the endorsement
 * ({@code loadTrustedPublicKey}) before handing the key to their {@code BlockVerifier}.
 *
 * <p>It is deliberately a separate key, not the org CA key re-encoded: users are added on line (James's users
 * repository calls provisioning), so the peer that adds users must hold the signing key, while ca.p12 stays offline
 * with the admin. The user CA private key is sealed in {@code user-ca.key} (PBKDF2-HMAC-SHA256, 310,000 iterations,
 * AES-256-GCM, mode 0600) under its own password, which the provisioning peer is configured with. Its compromise lets
 * an attacker certify users, not nodes; recovery is a new user CA, re-endorsed, re-configured on every peer. A
 * hand-sealed file was chosen over PKCS#12 because a PKCS#12 key entry needs an X.509 certificate for the Ed25519
 * key, which would only restate the endorsement.
 *
 * <h2>Trust on lookup</h2>
 * Certificates are verified against the user CA (signature, handle, expiry with clock skew) by the overlay's
 * {@code BlockVerifier}; identities must be under the certified signing key, carry the same address, decode
 * strictly, and never be older than a version this peer accepted or published before. Failures are
 * {@link org.epost.post.accounts.AccountException}s with a {@link org.epost.post.accounts.AccountException.Reason}.
 *
 * <h2>Lifecycle</h2>
 * {@code provision} is idempotent and resumable (the vault is the record of which keys an address has);
 * {@code deprovision} deletes the local keys only: blocks cannot be deleted in PAST, their leases lapse (30 days by
 * default) once nobody refreshes them, and until the certificate is gone the address cannot be certified to new keys.
 */
package org.epost.post.accounts;
