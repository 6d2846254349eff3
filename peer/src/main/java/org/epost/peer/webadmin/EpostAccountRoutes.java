package org.epost.peer.webadmin;

import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.overlay.security.RevocationList;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.AccountService;
import org.epost.post.accounts.IdentityBlock;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.crypto.Hashes;

import spark.Request;
import spark.Service;

/**
 * {@code GET /epost/accounts/{address}}: any user's POST account as this peer finds it in the ring — the certificate
 * (verified against the organization's user CA) and the newest identity block (verified against the certified
 * key): which keys, which home peer. Works on every peer, not only the user's home.
 */
public class EpostAccountRoutes implements Routes {
    public static final String ACCOUNTS_PATH = EpostStatusRoutes.BASE_PATH + "/accounts/:address";
    private static final long TIMEOUT_SECONDS = 30;

    /**
     * The JSON body: key fingerprints are SHA-256 of the X.509 public keys, in hex; {@code revocationKey} is what
     * {@code epost-admin revoke --user-key} takes to revoke this certificate.
     */
    public record Account(String address, String signingKey, String encryptionKey, String certificateExpires,
                          long identityVersion, String homeNodeId, String homeAddress, String revocationKey) {
    }

    private final PostReadiness post;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostAccountRoutes(PostReadiness post, JsonTransformer jsonTransformer) {
        this.post = post;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostStatusRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(ACCOUNTS_PATH, (request, response) -> {
            response.type("application/json");
            return account(request);
        }, jsonTransformer);
    }

    private Account account(Request request) throws Exception {
        AccountService accounts = post.ifRunning().map(PostServices::accounts).orElseThrow(() -> ErrorResponder.builder()
            .statusCode(HttpStatus.NOT_FOUND_404)
            .type(ErrorResponder.ErrorType.NOT_FOUND)
            .message("This peer serves no ePOST domain (post.domains)")
            .haltError());
        String address = request.params("address");
        try {
            UserCertificate certificate = accounts.lookupCertificate(address).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            IdentityBlock identity = accounts.lookupIdentity(address).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Account(certificate.address(), fingerprint(certificate.signingKey().getEncoded()),
                fingerprint(certificate.encryptionKey().getEncoded()), Instant.ofEpochMilli(certificate.notAfter()).toString(),
                identity.version(), identity.home().id().toHex(), identity.home().address(),
                RevocationList.userKeyHash(certificate.signingKey()).toHex());
        } catch (ExecutionException e) {
            Throwable cause = AccountService.unwrap(e.getCause());
            if (cause instanceof AccountException && ((AccountException) cause).reason() == AccountException.Reason.NOT_FOUND) {
                throw ErrorResponder.builder()
                    .statusCode(HttpStatus.NOT_FOUND_404)
                    .type(ErrorResponder.ErrorType.NOT_FOUND)
                    .message("No ePOST account for " + address)
                    .haltError();
            }
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_GATEWAY_502)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("The account of " + address + " could not be verified: " + cause.getMessage())
                .haltError();
        }
    }

    private static String fingerprint(byte[] x509) {
        return HexFormat.of().formatHex(Hashes.sha256(x509));
    }
}
